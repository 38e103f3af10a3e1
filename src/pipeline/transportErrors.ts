import type { PipelineRequest } from "@azure/core-rest-pipeline";
import { isRestError, RestError } from "../core/restError.js";
import { ConnectionError, pathOf } from "../core/errors.js";

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
 * `undefined` for anything else (HTTP answers, aborts, timeouts, programming errors).
 */
export function systemCodeOf(error: unknown): string | undefined {
  if (error instanceof ConnectionError) return error.systemCode;
  if (!isRestError(error) || error.statusCode !== undefined) return undefined;
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
 * Wraps a transport failure as a tsdo `ConnectionError`. The message names the method, the URL's
 * path and the system's own message (e.g. "connect ECONNREFUSED 127.0.0.1:443"), none of which
 * comes from request headers, so the token cannot leak through it.
 */
export function toConnectionError(error: Error, systemCode: string, request: PipelineRequest): ConnectionError {
  const detail = error.message === BODY_ABORTED_MESSAGE ? "connection closed while reading the response body" : error.message;
  const wrapped = new ConnectionError(`${request.method} ${pathOf(request.url)} failed (${systemCode}): ${detail}`, systemCode, { request });
  return withCause(wrapped, error);
}

/**
 * Attaches `cause` the way `new Error(message, { cause })` does (own, non-enumerable), since tsdo's
 * error constructors do not take it. Being non-enumerable, it stays out of `JSON.stringify` and of
 * RestError's `util.inspect` output.
 */
export function withCause<T extends Error>(error: T, cause: unknown): T {
  Object.defineProperty(error, "cause", { value: cause, enumerable: false, writable: true, configurable: true });
  return error;
}
