import type { Route } from "./route.js";

interface CompiledRoute {
  readonly route: Route;
  /** Literal segments as text, parameters as `{ name }`. */
  readonly segments: readonly (string | { readonly name: string })[];
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

/**
 * Matches `method + path` against the spec's path templates. Where templates overlap
 * (`/v2/droplets/backups/policies` and `/v2/droplets/{droplet_id}/backups`), a literal segment
 * beats a parameter at the first place they differ, which is how the spec's authors mean them.
 */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: Iterable<Route>) {
    this.routes = [...routes].map(compile).sort(bySpecificity);
  }

  match(method: string, pathname: string): RouteMatch | undefined {
    const parts = splitPath(pathname);
    for (const { route, segments } of this.routes) {
      if (route.method !== method || segments.length !== parts.length) continue;
      const params = matchSegments(segments, parts);
      if (params) return { route, params };
    }
    return undefined;
  }
}

function compile(route: Route): CompiledRoute {
  const segments = splitPath(route.path).map((segment) => {
    const parameter = /^\{(.+)\}$/.exec(segment);
    return parameter ? { name: parameter[1]! } : segment;
  });
  return { route, segments };
}

function splitPath(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "");
}

function matchSegments(segments: CompiledRoute["segments"], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    const part = parts[index]!;
    if (typeof segment === "string") {
      if (segment !== part) return undefined;
    } else {
      const value = safeDecode(part);
      if (value === undefined) return undefined;
      params[segment.name] = value;
    }
  }
  return params;
}

function safeDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.min(a.segments.length, b.segments.length);
  for (let index = 0; index < length; index++) {
    const aLiteral = typeof a.segments[index] === "string";
    const bLiteral = typeof b.segments[index] === "string";
    if (aLiteral !== bLiteral) return aLiteral ? -1 : 1;
  }
  return 0;
}
