import { RestError, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { parseRateLimit, retryAfterInMs, type RateLimit } from "./rateLimit.js";

// tsdo's errors extend core-rest-pipeline's `RestError`, so `isRestError(err)` holds and code
// written for Azure clients keeps working. RestError keeps `request` and `response` on the error
// non-enumerable (so `JSON.stringify` skips them) and its `util.inspect` output passes them through
// its header sanitizer, which redacts `Authorization`; tests hold both to that.

/** Completes a RestError subclass instance: RestError's constructor resets prototype and name. */
function finishError(error: RestError, prototype: object, name: string): void {
  Object.setPrototypeOf(error, prototype);
  error.name = name;
}

/** Constructor options shared by tsdo's RestError subclasses. */
export interface ErrorContext {
  request?: PipelineRequest;
  response?: PipelineResponse;
}

/** An HTTP answer outside 2xx. DigitalOcean's `{ id, message, request_id }` body is read into fields. */
export class DigitalOceanError extends RestError {
  /** The HTTP status code. */
  declare statusCode: number;
  /** DigitalOcean's error id, e.g. `not_found`, `unprocessable_entity`; `undefined` when the body has none. */
  readonly id: string | undefined;
  /** `request_id` from the body, else the `x-request-id` header: quote it to DigitalOcean support. */
  readonly requestId: string | undefined;
  /** Rate-limit headroom from this response's headers, when present. */
  readonly rateLimit: RateLimit | undefined;
  /** The parsed JSON body (or its text when it is not JSON). */
  readonly body: unknown;

  constructor(message: string, statusCode: number, body: unknown, context: ErrorContext = {}) {
    super(message, { statusCode, request: context.request, response: context.response });
    finishError(this, new.target.prototype, new.target.name);
    const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
    this.id = typeof fields.id === "string" ? fields.id : undefined;
    this.requestId =
      (typeof fields.request_id === "string" && fields.request_id !== "" ? fields.request_id : undefined) ??
      context.response?.headers.get("x-request-id");
    this.rateLimit = context.response ? parseRateLimit(context.response) : undefined;
    this.body = body;
  }

  /** Builds the error for a non-2xx response, choosing the subclass by status code. */
  static fromResponse(response: PipelineResponse): DigitalOceanError {
    const status = response.status;
    const body = parseErrorBody(response.bodyAsText);
    const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
    const detail = typeof fields.message === "string" && fields.message !== "" ? fields.message : undefined;
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
    return new RateLimitError(message, 429, undefined, { request }, Math.ceil(waitInMs));
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
export class ConnectionError extends RestError {
  /** The system error code (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`…), when known. */
  readonly systemCode: string | undefined;
  constructor(message: string, systemCode: string | undefined, context: ErrorContext = {}) {
    super(message, { code: RestError.REQUEST_SEND_ERROR, request: context.request });
    finishError(this, new.target.prototype, new.target.name);
    this.systemCode = systemCode;
  }
}

/** An attempt, or a wait such as `waitForAction`, took longer than its `timeoutInMs`. */
export class TimeoutError extends RestError {
  readonly timeoutInMs: number;
  constructor(message: string, timeoutInMs: number, context: ErrorContext = {}) {
    super(message, { code: "TIMEOUT", request: context.request });
    finishError(this, new.target.prototype, new.target.name);
    this.timeoutInMs = timeoutInMs;
  }
}

/** The caller's `abortSignal` fired. Named `AbortError` like the platform's, so `err.name === "AbortError"` checks work. */
export class AbortError extends Error {
  constructor(message = "The operation was aborted.") {
    super(message);
    this.name = "AbortError";
  }
}

/** A 2xx answer whose body could not be parsed as the operation declares. Carries a short excerpt, never the whole body. */
export class ResponseParseError extends RestError {
  declare statusCode: number;
  readonly requestId: string | undefined;
  /** At most the first 200 characters of the body. */
  readonly excerpt: string;
  constructor(message: string, response: PipelineResponse, excerpt: string) {
    super(message, { code: RestError.PARSE_ERROR, statusCode: response.status, request: response.request, response });
    finishError(this, new.target.prototype, new.target.name);
    this.requestId = response.headers.get("x-request-id");
    this.excerpt = excerpt;
  }
}

/** `waitForAction` saw the action end as `errored`. */
export class ActionFailedError<TAction extends { readonly id?: number; readonly status?: string; readonly type?: string } = {
  readonly id?: number;
  readonly status?: string;
  readonly type?: string;
}> extends Error {
  /** The action as last read. */
  readonly action: TAction;
  constructor(action: TAction) {
    super(`Action ${action.id ?? "(no id)"} (${action.type ?? "unknown type"}) ended as ${action.status ?? "unknown"}`);
    this.name = "ActionFailedError";
    this.action = action;
  }
}
