import type { AnchorHTMLAttributes } from 'react';
import { followLink } from './location';

export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <a {...props} onClick={followLink} />;
}
