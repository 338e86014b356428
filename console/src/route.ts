/** Hash routing (`#/syncs/x`): the server serves one page, the app picks what to show. */
import { useEffect, useState } from 'react';

/** The current route: path segments and query parameters after `#`. */
export interface Route {
  parts: string[];
  query: URLSearchParams;
}

function current(): Route {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = hash.split('?');
  return {
    parts: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(search),
  };
}

/** The route, updated on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** Goes to `hash` (e.g. `#/profiles?q=…`). */
export function go(hash: string): void {
  window.location.hash = hash;
}
