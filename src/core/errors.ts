import type { PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
// Core's RestError, reached without loading core at import (src/core/restError.ts).
import { RestError } from "./restError.js";
import { brandClasses } from "./brand.js";
import { parseRateLimit, retryAfterInMs, type RateLimit } from "./rateLimit.js";
import { jsonShape, neutralize, redactedRequest, redactedResponse } from "./redact.js";

/** Longest `message` any tsdo error gets; text from a server is neutralized and cut well before. */
const MAX_MESSAGE_LENGTH = 1000;
/** Longest part of a message that comes from the server (DigitalOcean's `message` field). */
const MAX_DETAIL_LENGTH = 300;

/** Constructor options shared by tsdo's errors. */
export interface ErrorContext {
  /** The request the error is about; the error keeps a copy without credentials. */
  request?: PipelineRequest | undefined;
  /** The response, when there was one; the error keeps a copy without the streamed body. */
  response?: PipelineResponse | undefined;
}

/** Options of `TsdoError`'s constructor. */
export interface TsdoErrorOptions extends ErrorContext {
  /** RestError's `code`: `REQUEST_SEND_ERROR`, `PARSE_ERROR`, `TIMEOUT`… */
  code?: string | undefined;
  /** The HTTP status, when the error is about an answer. */
  statusCode?: number | undefined;
}

/**
 * The root of every error tsdo throws: `err instanceof TsdoError` tells tsdo's errors from anything
 * else. It is a core-rest-pipeline `RestError` (so `isRestError(err)` holds and code written for
 * Azure clients keeps working), with two differences:
 *
 * - `request` and `response` are copies without credentials (no `Authorization`, no key or cookie
 *   headers, no userinfo or signature in the URL, no body, no socket), so no way of walking,
 *   serializing or printing an error reaches the token;
 * - `util.inspect(err)` (and `console.log(err)`) prints the class name, message and stack, then the
 *   error's own fields (`statusCode`, `id`, `requestId`, …).
 *
 * Messages are neutralized (no control characters, at most 1000 characters), since parts of them can
 * come from a server.
 *
 * `instanceof` holds across tsdo's two builds: an error thrown where tsdo was loaded as CommonJS is
 * an `instanceof` the class of the same name imported as ESM, and the other way round.
 */
export class TsdoError extends RestError {
  constructor(message: string, options: TsdoErrorOptions = {}) {
    // The super call runs ErrorBase (below), not RestError's constructor.
    super(neutralize(message, MAX_MESSAGE_LENGTH));
    this.name = new.target.name;
    this.code = options.code;
    this.statusCode = options.statusCode;
    this.details = undefined;
    const request = options.request && redactedRequest(options.request);
    const response = options.response && redactedResponse(options.response, request ?? redactedRequest(options.response.request));
    // Non-enumerable, as RestError has them, so JSON.stringify(err) stays small.
    Object.defineProperty(this, "request", { value: request, enumerable: false, writable: true, configurable: true });
    Object.defineProperty(this, "response", { value: response, enumerable: false, writable: true, configurable: true });
  }
}

/**
 * RestError's constructor pins a non-configurable `util.inspect` hook on every instance that prints
 * "RestError: <message>" and a JSON dump, without the class name or the stack, and that no subclass
 * can replace. tsdo's errors are therefore built by Error's constructor (what `super(...)` in
 * TsdoError calls, through this function) with RestError's fields set by TsdoError itself, while
 * their prototype chain still runs through `RestError.prototype` and RestError's statics.
 */
function ErrorBase(this: unknown, message: string): Error {
  const error = Reflect.construct(Error, [message], new.target) as Error;
  // The stack starts where the error was made, not inside these constructors.
  Error.captureStackTrace(error, new.target);
  return error;
}
Object.setPrototypeOf(ErrorBase, RestError);
ErrorBase.prototype = RestError.prototype;
Object.setPrototypeOf(TsdoError, ErrorBase);

type Inspect = (value: unknown, options: object) => string;

Object.defineProperty(TsdoError.prototype, Symbol.for("nodejs.util.inspect.custom"), {
  enumerable: false,
  value(this: TsdoError, _depth: number, options: object, inspect: Inspect): string {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this)) {
      // `body` can be large and is the server's, not a summary of the error.
      if (key !== "name" && key !== "message" && key !== "body" && value !== undefined) fields[key] = value;
    }
    const cause = (this as { cause?: unknown }).cause;
    if (cause !== undefined) fields.cause = cause;
    return Object.keys(fields).length === 0 ? String(this.stack) : `${String(this.stack)} ${inspect(fields, options)}`;
  },
});

/** An HTTP answer outside 2xx. DigitalOcean's `{ id, message, request_id }` body is read into fields. */
export class DigitalOceanError extends TsdoError {
  /** The HTTP status code. */
  declare statusCode: number;
  /** DigitalOcean's error id, e.g. `not_found`, `unprocessable_entity`; `undefined` when the body has none. */
  readonly id: string | undefined;
  /** `request_id` from the body, else the `x-request-id` header: quote it to DigitalOcean support. */
  readonly requestId: string | undefined;
  /** Rate-limit headroom from this response's headers, when present. */
  readonly rateLimit: RateLimit | undefined;
  /**
   * The parsed JSON body (or its text when it is not JSON), with the fields of DigitalOcean's error
   * documents only (`id`, `message`, `request_id`, `code`, `error`, `messages`, `root_causes`,
   * `type`): anything else, such as a resource a server echoes, is dropped, and so is
   * `response.bodyAsText` then.
   */
  readonly body: unknown;

  constructor(message: string, statusCode: number, body: unknown, context: ErrorContext = {}) {
    super(message, { statusCode, request: context.request, response: context.response });
    const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
    this.id = typeof fields.id === "string" ? fields.id : undefined;
    this.requestId =
      (typeof fields.request_id === "string" && fields.request_id !== "" ? fields.request_id : undefined) ??
      context.response?.headers.get("x-request-id");
    this.rateLimit = context.response ? parseRateLimit(context.response) : undefined;
    this.body = errorDocument(body);
    // The text would still hold what the document lost.
    if (this.body !== body && this.response !== undefined) delete this.response.bodyAsText;
  }

  /** Builds the error for a non-2xx response, choosing the subclass by status code. */
  static fromResponse(response: PipelineResponse): DigitalOceanError {
    const status = response.status;
    const body = parseErrorBody(response.bodyAsText);
    const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
    const detail = typeof fields.message === "string" && fields.message !== "" ? neutralize(fields.message, MAX_DETAIL_LENGTH) : undefined;
    const message = `${status} ${detail ?? defaultReason(status)} (${response.request.method} ${pathOf(response.request.url)})`;
    return new (errorClassFor(status))(message, status, body, { request: response.request, response });
  }
}

/** 400: the request was malformed. */
export class BadRequestError extends DigitalOceanError {}
/** 401: the token is missing, invalid or revoked. */
export class AuthenticationError extends DigitalOceanError {}
/** 403: the token lacks the scope for this call. */
export class PermissionDeniedError extends DigitalOceanError {}
/** 404: the resource does not exist (or is not visible to this token). */
export class NotFoundError extends DigitalOceanError {}
/** 409: the request conflicts with the resource's current state. */
export class ConflictError extends DigitalOceanError {}
/** 422: the request was well-formed but invalid (unknown slug, missing field…). */
export class UnprocessableEntityError extends DigitalOceanError {}
/** 5xx: DigitalOcean failed to handle the request. */
export class InternalServerError extends DigitalOceanError {}

/**
 * 429: rate limited. `retryAfterInMs` is how long DigitalOcean asked to wait (`retry-after`, else
 * until `ratelimit-reset`), when it said; the retry policy throws this at once when that wait is
 * longer than `maxRetryDelayInMs`.
 */
export class RateLimitError extends DigitalOceanError {
  /** How long DigitalOcean asked to wait before the next request, when it said so. */
  readonly retryAfterInMs: number | undefined;
  /** When the budget frees up: `retryAfterInMs` after the error was made. */
  readonly retryAt: Date | undefined;
  /** True when tsdo's rate limiter refused the call before sending it (it would have queued too long). */
  readonly beforeSending: boolean;
  constructor(message: string, status: number, body: unknown, context: ErrorContext = {}, queuedForMs?: number) {
    super(message, status, body, context);
    this.retryAfterInMs = queuedForMs ?? (context.response ? retryAfterInMs(context.response) : undefined);
    this.retryAt = this.retryAfterInMs === undefined ? undefined : new Date(Date.now() + this.retryAfterInMs);
    this.beforeSending = queuedForMs !== undefined;
  }

  /** The error for a call the rate limiter will not queue: its slot is `waitInMs` away, beyond `maxQueueWaitInMs`. */
  static forQueueWait(request: PipelineRequest, waitInMs: number): RateLimitError {
    const message = `429 rate limit budget spent: a slot frees up in ${Math.ceil(waitInMs / 1000)} s, beyond maxQueueWaitInMs (${request.method} ${pathOf(request.url)}); nothing was sent`;
    return new this(message, 429, undefined, { request }, Math.ceil(waitInMs));
  }
}

type DigitalOceanErrorClass = new (message: string, status: number, body: unknown, context: ErrorContext) => DigitalOceanError;

const errorClassByStatus: Readonly<Record<number, DigitalOceanErrorClass>> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

function errorClassFor(status: number): DigitalOceanErrorClass {
  return errorClassByStatus[status] ?? (status >= 500 ? InternalServerError : DigitalOceanError);
}

function defaultReason(status: number): string {
  return status >= 500 ? "server error" : "request failed";
}

/** The fields of DigitalOcean's error documents (the API's, NFS's `code`, the inference hosts' `error` and `type`). */
const ERROR_DOCUMENT_FIELDS: ReadonlySet<string> = new Set(["id", "message", "request_id", "code", "error", "messages", "root_causes", "type"]);

/**
 * An error body as an error keeps it: a server that echoes the resource or the request in its
 * error (a database with its passwords, a droplet's `user_data`) must not put it in the error. A
 * body with other fields keeps the error fields only; a JSON array is no error document and is dropped.
 */
function errorDocument(body: unknown): unknown {
  if (Array.isArray(body)) return undefined;
  if (typeof body !== "object" || body === null) return body;
  const fields = Object.entries(body);
  if (fields.every(([key]) => ERROR_DOCUMENT_FIELDS.has(key))) return body;
  return Object.fromEntries(fields.filter(([key]) => ERROR_DOCUMENT_FIELDS.has(key)));
}

function parseErrorBody(text: string | null | undefined): unknown {
  if (text === undefined || text === null || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The URL's path only: query strings can hold user data and have no place in an error message. */
export function pathOf(url: string): string {
  const queryStart = url.indexOf("?");
  const withoutQuery = queryStart === -1 ? url : url.slice(0, queryStart);
  const schemeEnd = withoutQuery.indexOf("://");
  if (schemeEnd === -1) return withoutQuery;
  const pathStart = withoutQuery.indexOf("/", schemeEnd + 3);
  return pathStart === -1 ? "/" : withoutQuery.slice(pathStart);
}

/** The request never got an answer: connection refused or reset, DNS failure, TLS failure… */
export class ConnectionError extends TsdoError {
  /** The system error code (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`…), when known. */
  readonly systemCode: string | undefined;
  constructor(message: string, systemCode: string | undefined, context: ErrorContext = {}) {
    super(message, { code: RestError.REQUEST_SEND_ERROR, request: context.request });
    this.systemCode = systemCode;
  }
}

/** An attempt, or a wait such as `waitForAction`, took longer than its `timeoutInMs`. */
export class TimeoutError extends TsdoError {
  /** The limit that was exceeded. */
  readonly timeoutInMs: number;
  constructor(message: string, timeoutInMs: number, context: ErrorContext = {}) {
    super(message, { code: "TIMEOUT", request: context.request });
    this.timeoutInMs = timeoutInMs;
  }
}

/** The caller's `abortSignal` fired. Named `AbortError` like the platform's, so `err.name === "AbortError"` checks work. */
export class AbortError extends TsdoError {
  constructor(message = "The operation was aborted.") {
    super(message);
  }
}

/** A 2xx answer whose body could not be parsed as the operation declares. Carries a short excerpt, never the whole body. */
export class ResponseParseError extends TsdoError {
  declare statusCode: number;
  /** The `x-request-id` header: quote it to DigitalOcean support. */
  readonly requestId: string | undefined;
  /**
   * The shape of the body's first 200 characters (at most 200 characters): keys, braces, numbers,
   * `true`/`false`/`null`, with every string value shown as `"…"` and any other text as `…`, e.g.
   * `{"database":{"id":"…","connection":{"password":"…"`. A success answer's values may be secrets
   * (a database's password, a kubeconfig, `user_data`), and the error keeps no body text.
   */
  readonly excerpt: string;
  constructor(message: string, response: PipelineResponse, excerpt: string) {
    super(message, { code: RestError.PARSE_ERROR, statusCode: response.status, request: response.request, response });
    this.requestId = response.headers.get("x-request-id");
    this.excerpt = neutralize(jsonShape(excerpt), 200);
  }
}

/** `waitForAction` saw the action end as `errored`. */
export class ActionFailedError<
  TAction extends {
    /** The action's id. */
    readonly id?: number | undefined;
    /** `errored` (or another status that is not `completed`). */
    readonly status?: string | undefined;
    /** What the action did, e.g. `create`, `power_cycle`. */
    readonly type?: string | undefined;
  } = {
    /** The action's id. */
    readonly id?: number | undefined;
    /** `errored` (or another status that is not `completed`). */
    readonly status?: string | undefined;
    /** What the action did, e.g. `create`, `power_cycle`. */
    readonly type?: string | undefined;
  },
> extends TsdoError {
  /** The action as last read. */
  readonly action: TAction;
  constructor(action: TAction) {
    super(`Action ${action.id ?? "(no id)"} (${action.type ?? "unknown type"}) ended as ${action.status ?? "unknown"}`);
    this.action = action;
  }
}

/** Thrown, before anything is sent, for a plain-http URL (or one with userinfo) that the options do not allow. */
export class InsecureConnectionError extends TsdoError {}

/**
 * A redirect tsdo will not follow: a 307/308 that would carry a request body to another origin
 * (unless `redirectOptions.allowCrossOriginBody`), more hops than `redirectOptions.maxRedirects`, a
 * `Location` that is not a valid http or https URL. The message names the target's origin only;
 * `response` keeps the redirect's headers with the `Location` cut before its query, and no body.
 */
export class RedirectError extends TsdoError {
  constructor(message: string, response: PipelineResponse) {
    super(message, { statusCode: response.status, request: response.request, response });
    // Locations are chosen by the server: a query there (a presigned URL's signature, a token under
    // any name) or a page that repeats it is not the caller's to keep in an error.
    const kept = this.response;
    const location = kept?.headers.get("location");
    if (location !== undefined) kept!.headers.set("location", withoutQuery(location));
    if (kept !== undefined) delete kept.bodyAsText;
    if (this.request !== undefined) this.request.url = withoutQuery(this.request.url);
  }
}

function withoutQuery(url: string): string {
  return url.replace(/[?#].*$/s, "");
}

/**
 * A response body larger than the client's `maxResponseBytes` (or `maxBinaryResponseBytes`, or an
 * event of an event stream longer than its limit): reading stopped there, and the connection was closed.
 */
export class ResponseTooLargeError extends TsdoError {
  /** The limit that was exceeded, in bytes (characters for an event). */
  readonly maxResponseBytes: number;
  constructor(message: string, maxResponseBytes: number, context: ErrorContext = {}) {
    super(message, { code: "RESPONSE_TOO_LARGE", statusCode: context.response?.status, request: context.request, response: context.response });
    this.maxResponseBytes = maxResponseBytes;
  }
}

/**
 * A page's `continuationToken`, a server's `links.pages.next` or a poller token that tsdo will not
 * follow: another origin or list, path tricks, too long, damaged. Thrown before anything is sent.
 * The message names the token and what is wrong with it, never its text: a page link's query holds
 * the list's filters, and a forged token may be huge.
 */
export class InvalidTokenError extends TsdoError {
  /** `continuation` for a page's token or link, `poller` for a `resumePoller` token. */
  readonly kind: "continuation" | "poller";
  constructor(message: string, kind: "continuation" | "poller") {
    super(message, { code: "INVALID_TOKEN" });
    this.kind = kind;
  }
}

/** The client was closed (`client.close()`); nothing more is sent through it. */
export class ClientClosedError extends TsdoError {
  constructor(message = "The client is closed: create a new one to send more requests.") {
    super(message);
  }
}

/** Longest resource id or name a wait error shows: they come from a server. */
const MAX_SHOWN_FIELD_LENGTH = 200;

/** A resource's top-level `id`, when it is a string or a number. */
function idOf(resource: unknown): string | number | undefined {
  const id = (resource as { id?: unknown } | null | undefined)?.id;
  if (typeof id === "number" && Number.isFinite(id)) return id;
  return typeof id === "string" ? neutralize(id, MAX_SHOWN_FIELD_LENGTH) : undefined;
}

/** A resource's `name`, or an app's `spec.name`, when it is a string. */
function nameOf(resource: unknown): string | undefined {
  const fields = resource as { name?: unknown; spec?: { name?: unknown } | null } | null | undefined;
  const name = typeof fields?.name === "string" ? fields.name : fields?.spec?.name;
  return typeof name === "string" ? neutralize(name, MAX_SHOWN_FIELD_LENGTH) : undefined;
}

/** A status as a wait error shows it: a server's string of any length, with any control characters. */
function shownState(state: string | undefined): string | undefined {
  return typeof state === "string" ? neutralize(state, MAX_SHOWN_FIELD_LENGTH) : undefined;
}

/**
 * A waiter (`client.waitFor.*`, a poller) saw the resource end up where it will not become ready:
 * a failure state (`errored`, `ERROR`…), or gone (404 after the grace period). Shows the resource's
 * id, name and state; the resource itself, which can hold secrets (a database's passwords), only
 * `getResource()` returns.
 */
export class WaitFailedError<TResource = unknown> extends TsdoError {
  /** The resource's `id` as last read, when it has one. */
  readonly resourceId: string | number | undefined;
  /** The resource's `name` (an app's `spec.name`) as last read, when it has one. */
  readonly resourceName: string | undefined;
  /** Its status when the wait failed (`error`, `ERROR`…), or `not_found` when it disappeared; at most 200 characters, control characters as spaces. */
  readonly state: string | undefined;
  // A private field: no inspect (showHidden or not), JSON, spread, property walk or structuredClone sees it.
  readonly #resource: TResource | undefined;
  constructor(message: string, resource: TResource | undefined, state: string | undefined, options: { cause?: unknown } = {}) {
    super(message, { code: "WAIT_FAILED" });
    this.resourceId = idOf(resource);
    this.resourceName = nameOf(resource);
    this.state = shownState(state);
    this.#resource = resource;
    if (options.cause !== undefined) Object.defineProperty(this, "cause", { value: options.cause, enumerable: false, configurable: true, writable: true });
  }

  /** The resource as last read, secrets included (a database's `connection`, `users`…); `undefined` when it was never seen. */
  getResource(): TResource | undefined {
    return this.#resource;
  }
}

/**
 * A waiter's `timeoutInMs` ran out before the resource was ready. A `TimeoutError`; shows the
 * resource's id, name and last state, and returns the resource as last read from `getResource()` only.
 */
export class WaitTimeoutError<TResource = unknown> extends TimeoutError {
  /** The resource's `id` at the last poll, when it has one. */
  readonly resourceId: string | number | undefined;
  /** The resource's `name` (an app's `spec.name`) at the last poll, when it has one. */
  readonly resourceName: string | undefined;
  /** Its status at the last poll, when it has one; at most 200 characters, control characters as spaces. */
  readonly state: string | undefined;
  // Private for the same reason as WaitFailedError's.
  readonly #resource: TResource | undefined;
  constructor(message: string, timeoutInMs: number, resource: TResource | undefined, state: string | undefined) {
    super(message, timeoutInMs);
    this.resourceId = idOf(resource);
    this.resourceName = nameOf(resource);
    this.state = shownState(state);
    this.#resource = resource;
  }

  /** The resource as last read, secrets included; `undefined` when no poll answered in time. */
  getResource(): TResource | undefined {
    return this.#resource;
  }
}

// Every error class answers `instanceof` for its namesakes from the other build too (src/core/brand.ts).
brandClasses({
  TsdoError,
  DigitalOceanError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  InternalServerError,
  RateLimitError,
  ConnectionError,
  TimeoutError,
  AbortError,
  ResponseParseError,
  ActionFailedError,
  InsecureConnectionError,
  RedirectError,
  ResponseTooLargeError,
  InvalidTokenError,
  ClientClosedError,
  WaitFailedError,
  WaitTimeoutError,
});
