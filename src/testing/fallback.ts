import { echoRequest } from "./echo.js";
import type { FakeRequest, HttpMethod, Route } from "./route.js";

/**
 * One operation's canned success answer. The generator writes a table of these
 * (`generated/fallbackResponses.ts`) for every operation in the spec, from the spec's own schemas
 * and examples, so the fake needs no spec at run time.
 */
export interface FallbackResponse {
  /** The operation's HTTP method. */
  readonly method: HttpMethod;
  /** The spec's path template, e.g. `/v2/cdn/endpoints/{cdn_id}`. */
  readonly path: string;
  /** The operation's first 2xx status. */
  readonly status: number;
  /** The success response's media type; absent when it has no body (204 and the like). */
  readonly contentType?: string | undefined;
  /** A body valid for the success schema: a JSON value for JSON types, a string for text types. */
  readonly body?: unknown;
  /** For operations that stream when the request asks (`Accept: text/event-stream`): the events' `data:` payloads. */
  readonly events?: readonly unknown[] | undefined;
}

/** Every operation's canned answer, by operationId. */
export type FallbackTable = Readonly<Record<string, FallbackResponse>>;

/** Changes to the default canned answers, by operationId: only what differs (method and path come from the default). */
export type FallbackOverrides = Readonly<Record<string, Partial<FallbackResponse>>>;

/** The default table with `overrides` merged in; an override of an operation the spec lacks must say its method and path. */
export function mergeFallback(defaults: FallbackTable, overrides: FallbackOverrides): FallbackTable {
  const merged: Record<string, FallbackResponse> = { ...defaults };
  for (const [operationId, override] of Object.entries(overrides)) {
    const answer: Partial<FallbackResponse> = { ...(defaults[operationId] ?? { status: 200 }), ...override };
    if (answer.method === undefined || answer.path === undefined) {
      throw new TypeError(`fallback: ${operationId} is not an operation of the spec; give its method and path`);
    }
    merged[operationId] = answer as FallbackResponse;
  }
  return merged;
}

/**
 * Refuses overrides of operations the fake answers from its state: the stateful route would win and
 * the override would be silently ignored, so a test would check an answer the fake never gives.
 */
export function refuseStatefulOverrides(overrides: FallbackOverrides, statefulOperationIds: ReadonlySet<string>): void {
  const stateful = Object.keys(overrides).filter((operationId) => statefulOperationIds.has(operationId));
  if (stateful.length === 0) return;
  // A few names are enough to find them; a test's whole table is not echoed back.
  const named = stateful.slice(0, 3).join(", ") + (stateful.length > 3 ? ` and ${stateful.length - 3} more` : "");
  throw new TypeError(
    `startFakeDigitalOcean: fallback overrides ${named}, which the fake answers from its state; change fake.state, seed or fake.faults instead`,
  );
}

/**
 * Routes answering every operation in `table` that has no stateful route, with its canned answer,
 * so any SDK call gets a spec-valid response from the fake.
 */
export function fallbackRoutes(table: FallbackTable, statefulOperationIds: ReadonlySet<string>): Route[] {
  return Object.entries(table)
    .filter(([operationId]) => !statefulOperationIds.has(operationId))
    .map(([operationId, answer]): Route => ({
      operationId,
      method: answer.method,
      path: answer.path,
      handle: (request) =>
        answer.events !== undefined && request.headers.accept === EVENT_STREAM
          ? { status: answer.status, contentType: EVENT_STREAM, body: eventStream(answer.events) }
          : {
              status: answer.status,
              ...(answer.body !== undefined ? { body: echoed(answer.body, request) } : {}),
              ...(answer.contentType !== undefined ? { contentType: answer.contentType } : {}),
            },
    }));
}

const EVENT_STREAM = "text/event-stream";

/** The events as DigitalOcean's inference streams send them: one `data:` line each, then `[DONE]`. */
function eventStream(events: readonly unknown[]): string {
  return `${events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join("")}data: [DONE]\n\n`;
}

/**
 * A create or update answers with what the request said where the API would: the canned
 * resource under the answer's one envelope key gets the request's matching fields.
 */
function echoed(body: unknown, request: FakeRequest): unknown {
  if (request.method === "GET" || request.method === "DELETE" || typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const keys = Object.keys(body);
  if (keys.length !== 1) return body;
  const key = keys[0]!;
  return { [key]: echoRequest((body as Record<string, unknown>)[key], request.body) };
}
