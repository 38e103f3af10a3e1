import { isRestError, RestError, type PipelineRequest } from "@azure/core-rest-pipeline";
import { AbortError, ConnectionError, pathOf, TsdoError } from "../core/errors.js";

/**
 * Core's node client rejects with this message (and code `PARSE_ERROR`, losing the system code)
 * when the connection drops while it reads a non-streamed body; Node's own message for that is
 * "aborted", with code ECONNRESET.
 */
const BODY_ABORTED_MESSAGE = "Error reading response as text: aborted";

/** Codes core puts on RestError that are not system error codes. */
const NON_SYSTEM_CODES: ReadonlySet<string> = new Set([RestError.REQUEST_SEND_ERROR, RestError.PARSE_ERROR, "TIMEOUT"]);

/**
 * The system error code behind a transport failure (`ECONNRESET`, `ECONNREFUSED`, `ENOTFOUND`, a
 * TLS code…), whether it is still core's RestError or already a tsdo `ConnectionError`;
 * `undefined` for anything else (HTTP answers, aborts, timeouts, tsdo's other errors, programming errors).
 */
export function systemCodeOf(error: unknown): string | undefined {
  if (error instanceof ConnectionError) return error.systemCode;
  if (error instanceof TsdoError || !isRestError(error) || error.statusCode !== undefined) return undefined;
  if (typeof error.code === "string" && error.code !== "" && !NON_SYSTEM_CODES.has(error.code)) return error.code;
  return error.message === BODY_ABORTED_MESSAGE ? "ECONNRESET" : undefined;
}

/**
 * The system error code of a plain Node error, as a streamed response body emits when its socket
 * drops (`aborted`, code ECONNRESET). Node's own stream-state codes (`ERR_…`) are not transport failures.
 */
export function streamSystemCodeOf(error: Error): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === "string" && code !== "" && !code.startsWith("ERR_") ? code : undefined;
}

/**
 * Any HTTP client's failure as a tsdo error: tsdo's own errors pass through, an abort becomes
 * tsdo's `AbortError`, core's RestErrors and system errors become `ConnectionError`s (with a
 * redacted copy of the request); anything else (a policy's own error, a programming error) passes
 * through.
 */
export function toTsdoError(error: unknown, request: PipelineRequest): unknown {
  if (error instanceof TsdoError || !(error instanceof Error)) return error;
  if (error.name === "AbortError") return withCause(new AbortError(error.message), redactedCause(error));
  const systemCode = isRestError(error) ? systemCodeOf(error) : streamSystemCodeOf(error);
  return systemCode !== undefined || isRestError(error) ? toConnectionError(error, systemCode, request) : error;
}

/**
 * Wraps a transport failure as a tsdo `ConnectionError`. The message names the method, the URL's
 * path and the system's own message (e.g. "connect ECONNREFUSED 127.0.0.1:443"), none of which
 * comes from request headers, so the token cannot leak through it.
 */
export function toConnectionError(error: Error, systemCode: string | undefined, request: PipelineRequest): ConnectionError {
  const detail = error.message === BODY_ABORTED_MESSAGE ? "connection closed while reading the response body" : error.message;
  const code = systemCode === undefined ? "" : ` (${systemCode})`;
  const wrapped = new ConnectionError(`${request.method} ${pathOf(request.url)} failed${code}: ${detail}`, systemCode, { request });
  return withCause(wrapped, redactedCause(error));
}

/**
 * The error to keep as `cause`: core's RestErrors hold the live request (with its `Authorization`
 * header) in fields that cannot be redefined, so they are replaced by a plain copy of their name,
 * message, code and stack. Node's system errors carry no headers and are kept as they are.
 */
function redactedCause(error: Error): Error {
  if (!("request" in error) && !("response" in error)) return error;
  const copy = new Error(error.message);
  copy.name = error.name;
  copy.stack = error.stack;
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}

/**
 * Attaches `cause` the way `new Error(message, { cause })` does (own, non-enumerable), since tsdo's
 * error constructors do not take it. Being non-enumerable, it stays out of `JSON.stringify`.
 */
export function withCause<T extends Error>(error: T, cause: unknown): T {
  Object.defineProperty(error, "cause", { value: cause, enumerable: false, writable: true, configurable: true });
  return error;
}
