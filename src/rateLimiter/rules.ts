/** One sliding-window log: at most `limit` units within any `windowInMs`. */
export interface RateLimitWindow {
  /** The log's name; windows with the same name share one log (an alias route, a second client). */
  readonly name: string;
  /** Units (requests, or purged files) allowed within any window. */
  readonly limit: number;
  /** The window's length: each unit counts for this long after it was spent. */
  readonly windowInMs: number;
}

/** A limit of its own on some requests, counted on top of the windows every request counts in. */
export interface RouteRateLimit extends RateLimitWindow {
  /** The HTTP method it applies to; any method when absent. */
  readonly method?: string | undefined;
  /** Path under the endpoint, `*` standing for one segment: `/v2/cdn/endpoints/*\/cache`. */
  readonly path: string;
  /** `exact` (default) or `prefix`: the path and everything below it. */
  readonly match?: "exact" | "prefix" | undefined;
  /** What a request spends: one unit (default), or one per entry in its JSON body's `files` array. */
  readonly cost?: "request" | "files" | undefined;
}

/** The limits a limiter (or the fake) enforces. */
export interface RateLimitRules {
  /**
   * Windows every request counts in. The first is the one DigitalOcean's `ratelimit-*` headers
   * describe: its limit follows `ratelimit-limit`, and readings correct its log.
   */
  readonly windows: readonly RateLimitWindow[];
  /** Per-route limits. */
  readonly routes: readonly RouteRateLimit[];
}

/** DigitalOcean's published limits (https://docs.digitalocean.com/reference/api/#rate-limit). */
export const DIGITALOCEAN_RATE_LIMITS: RateLimitRules = {
  windows: [
    { name: "hour", limit: 5000, windowInMs: 3_600_000 },
    { name: "minute", limit: 250, windowInMs: 60_000 },
  ],
  routes: [
    // Reserved IPs were floating IPs: both paths create the same resource, so they share one log.
    { name: "reserved-ip-create", method: "POST", path: "/v2/floating_ips", limit: 12, windowInMs: 60_000 },
    { name: "reserved-ip-create", method: "POST", path: "/v2/reserved_ips", limit: 12, windowInMs: 60_000 },
    { name: "ssh-keys-list", method: "GET", path: "/v2/account/keys", limit: 10, windowInMs: 60_000 },
    { name: "cdn-endpoints", path: "/v2/cdn/endpoints", match: "prefix", limit: 5, windowInMs: 10_000 },
    { name: "cdn-purge-files", method: "DELETE", path: "/v2/cdn/endpoints/*/cache", limit: 50, windowInMs: 20_000, cost: "files" },
  ],
};

/** A window a request counts in, with what it spends there. */
export interface WindowDemand {
  /** The window the request counts in. */
  readonly window: RateLimitWindow;
  /** How many entries it takes there: 1 per request, or the number of `files` of a CDN purge, at most the window's limit. */
  readonly cost: number;
  /** True for the windows every request counts in, false for a route's own. */
  readonly general: boolean;
}

/** Rules compiled for matching: built once per limiter, consulted once per request. */
export interface CompiledRules {
  /** The windows `method path` counts in (`body` is read only by `files`-cost routes). */
  demandsOf(method: string, path: string, body: unknown): WindowDemand[];
}

/** Checks the rules and compiles the route paths into matchers; bad rules throw `RangeError`. */
export function compileRules(rules: RateLimitRules): CompiledRules {
  if (rules.windows.length === 0) throw new RangeError("rate limits: at least one window is needed");
  const seen = new Map<string, RateLimitWindow>();
  for (const window of [...rules.windows, ...rules.routes]) checkWindow(window, seen);
  const general: WindowDemand[] = rules.windows.map((window) => ({ window, cost: 1, general: true }));
  const routes = rules.routes.map((route) => ({ route, pattern: pathPattern(route), method: route.method?.toUpperCase() }));
  return {
    demandsOf(method, path, body) {
      let demands = general;
      for (const { route, pattern, method: routeMethod } of routes) {
        if ((routeMethod !== undefined && routeMethod !== method) || !pattern.test(path)) continue;
        if (demands === general) demands = general.slice();
        // A purge of more files than the window allows takes the whole window, no more: it can never
        // fit anyway, and the stores' work per call must follow the configuration, not a body.
        demands.push({ window: route, cost: route.cost === "files" ? Math.min(filesIn(body), route.limit) : 1, general: false });
      }
      return demands;
    },
  };
}

function checkWindow(window: RateLimitWindow, seen: Map<string, RateLimitWindow>): void {
  if (typeof window.name !== "string" || window.name === "") throw new RangeError("rate limits: every window needs a name");
  if (!Number.isInteger(window.limit) || window.limit < 1) throw new RangeError(`rate limits: "${window.name}" needs a positive integer limit (got ${window.limit})`);
  if (!Number.isFinite(window.windowInMs) || window.windowInMs <= 0) {
    throw new RangeError(`rate limits: "${window.name}" needs a positive windowInMs (got ${window.windowInMs})`);
  }
  const other = seen.get(window.name);
  // Routes that share a log (aliases) must agree on it.
  if (other && (other.limit !== window.limit || other.windowInMs !== window.windowInMs)) {
    throw new RangeError(`rate limits: two windows named "${window.name}" with different limits`);
  }
  seen.set(window.name, window);
}

function pathPattern(route: RouteRateLimit): RegExp {
  const segments = route.path.replace(/\/+$/, "").split("/").map((part) => (part === "*" ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  return new RegExp(`^${segments.join("/")}${route.match === "prefix" ? "(?:/.*)?" : "/?"}$`);
}

/** Entries in a purge's `files` array; the body is the JSON text the operation layer encoded. */
function filesIn(body: unknown): number {
  let parsed = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      return 1;
    }
  }
  const files = (parsed as { files?: unknown } | null | undefined)?.files;
  return Array.isArray(files) ? files.length : 1;
}
