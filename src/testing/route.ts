import type { IncomingHttpHeaders } from "node:http";
import type { ActionScheduler } from "./actions.js";
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

/** What handlers work on: the state and the clock of actions. */
export interface World {
  readonly state: FakeState;
  readonly actions: ActionScheduler;
}

export type Handler = (request: FakeRequest, world: World) => FakeResponse;

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
