import type { AnchorHTMLAttributes } from 'react';
import { followLink } from './location';

/** A real link (it opens in a new tab, it can be copied); a plain click stays in the app. */
export function Link({ href, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <a href={href} {...rest} onClick={followLink} />;
}
