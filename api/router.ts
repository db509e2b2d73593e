import type { HttpMethod, Route } from './route.ts';

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'no-route' }
  | { kind: 'wrong-method'; allowed: HttpMethod[] };

type Segment = { literal: string } | { param: string };

interface CompiledRoute {
  route: Route;
  segments: Segment[];
}

function compile(route: Route): CompiledRoute {
  const segments = route.path
    .split('/')
    .slice(1)
    .map((part): Segment => {
      const param = /^\{([A-Za-z][A-Za-z0-9]*)\}$/.exec(part)?.[1];
      return param === undefined ? { literal: part } : { param };
    });
  return { route, segments };
}

/** Percent-decoded segments; undefined when the path is not one of ours (`//`, bad escapes). */
function splitPath(path: string): string[] | undefined {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (!trimmed.startsWith('/')) return undefined;
  try {
    const parts = trimmed.slice(1).split('/').map(decodeURIComponent);
    return parts.some((part) => part === '') && trimmed !== '/' ? undefined : parts;
  } catch {
    return undefined;
  }
}

function paramsIfMatches(compiled: CompiledRoute, parts: readonly string[]): Record<string, string> | undefined {
  if (compiled.segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of compiled.segments.entries()) {
    const part = parts[index]!;
    if ('literal' in segment) {
      if (segment.literal !== part) return undefined;
    } else {
      params[segment.param] = part;
    }
  }
  return params;
}

/**
 * Matches method and path against the route table: the route and its path parameters, or why nothing matched (no
 * such path: 404; the path exists with other methods: 405 with those methods).
 */
export function createRouter(routes: readonly Route[]): (method: string, path: string) => RouteMatch {
  const compiled = routes.map(compile);
  return (method, path) => {
    const parts = splitPath(path);
    if (parts === undefined) return { kind: 'no-route' };
    const allowed: HttpMethod[] = [];
    for (const candidate of compiled) {
      const params = paramsIfMatches(candidate, parts);
      if (params === undefined) continue;
      if (candidate.route.method === method) return { kind: 'found', route: candidate.route, params };
      allowed.push(candidate.route.method);
    }
    return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'no-route' };
  };
}
