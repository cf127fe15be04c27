/**
 * Minimal method + path matcher: `:name` segments capture (URI-decoded), static segments win
 * over captures. Routes are bucketed by method and segment count, so a lookup scans a handful.
 */

export interface RoutePattern {
  readonly method: string;
  readonly path: string;
}

export interface RouteMatch<R> {
  readonly route: R;
  readonly params: Record<string, string>;
}

interface Compiled<R> {
  readonly route: R;
  readonly segments: readonly string[];
}

const split = (path: string) => path.split('/').filter((s) => s.length > 0);

export const createRouter = <R extends RoutePattern>(routes: readonly R[]) => {
  const buckets = new Map<string, Compiled<R>[]>();
  for (const route of routes) {
    const segments = split(route.path);
    const key = `${route.method} ${segments.length}`;
    const bucket = buckets.get(key) ?? [];
    bucket.push({ route, segments });
    buckets.set(key, bucket);
  }
  const captures = (c: Compiled<R>) => c.segments.filter((s) => s.startsWith(':')).length;
  for (const bucket of buckets.values()) bucket.sort((a, b) => captures(a) - captures(b));

  return (method: string, pathname: string): RouteMatch<R> | undefined => {
    const parts = split(pathname);
    for (const c of buckets.get(`${method} ${parts.length}`) ?? []) {
      const params: Record<string, string> = {};
      const ok = c.segments.every((seg, i) => {
        const part = parts[i]!;
        if (!seg.startsWith(':')) return seg === part;
        try {
          params[seg.slice(1)] = decodeURIComponent(part);
          return true;
        } catch {
          return false;
        }
      });
      if (ok) return { route: c.route, params };
    }
    return undefined;
  };
};
