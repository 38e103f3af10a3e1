import type { IncomingHttpHeaders } from "node:http";
import type { ActionScheduler } from "./actions.js";
import type { Lifecycles } from "./lifecycle.js";
import type { FakeState } from "./state.js";

/** The HTTP methods the API's operations use. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

/** A request as a handler sees it: matched, authenticated, its JSON body parsed. */
export interface FakeRequest {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** The full URL the client asked for (pagination links are built from it). */
  readonly url: URL;
  /** Path parameters by the names the spec's template gives them, decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Request headers, names in lower case. */
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; `undefined` when the request had none. */
  readonly body: unknown;
}

export interface FakeResponse {
  readonly status: number;
  /** Sent as JSON unless `contentType` says otherwise (then it must be a string). */
  readonly body?: unknown;
  readonly contentType?: string;
}

/** What handlers work on: the state, the clock of actions, and the builds that take time. */
export interface World {
  readonly state: FakeState;
  readonly actions: ActionScheduler;
  readonly lifecycles: Lifecycles;
}

export type Handler = (request: FakeRequest, world: World) => FakeResponse;

/**
 * What a resource file declares for one operation: its operationId and handler. Method and path
 * come from the generated operation table (`bindRoutes`), so a route cannot drift from the spec.
 */
export interface StatefulRoute {
  readonly operationId: string;
  readonly handle: Handler;
}

/** One operation of the spec: its id, method and path template, and what answers it. */
export interface Route {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** The spec's template, e.g. `/v2/droplets/{droplet_id}`. */
  readonly path: string;
  readonly handle: Handler;
}

export function ok(body: unknown, status = 200): FakeResponse {
  return { status, body };
}

export function noContent(): FakeResponse {
  return { status: 204 };
}
