import { type MouseEvent, useSyncExternalStore } from 'react';

/**
 * A small history router: the URL is the state (page, project, range, filters), so any view
 * can be bookmarked or shared, and Back works as people expect.
 */

const NAVIGATE_EVENT = 'llmlab:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

export interface Location {
  path: string;
  params: URLSearchParams;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname, params: url.searchParams };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** Params that follow the user from page to page: the project and the view's range and filters. */
export const SHARED_PARAMS = ['project_id', 'days', 'from', 'to', 'provider', 'model', 'feature', 'user_id'];

export function hrefWithShared(path: string, params: URLSearchParams): string {
  const next = new URLSearchParams();
  for (const key of SHARED_PARAMS) {
    const v = params.get(key);
    if (v) next.set(key, v);
  }
  const qs = next.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The current URL with some params changed (null or '' removes one). */
export function hrefWithParams(loc: Location, changes: Record<string, string | null | undefined>): string {
  const next = new URLSearchParams(loc.params);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') next.delete(k);
    else next.set(k, v);
  }
  const qs = next.toString();
  return qs ? `${loc.path}?${qs}` : loc.path;
}

/** Click handler for in-app links: plain clicks navigate in place, modified clicks open normally. */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href') ?? '/');
}
