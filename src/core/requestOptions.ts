import type { AbortSignalLike } from "@azure/abort-controller";
import type { PipelineResponse } from "@azure/core-rest-pipeline";
import type { RecoverableCreateOptions } from "./recoverable.js";
import { neutralize } from "./redact.js";

/** Retry settings, for a client (`retryOptions`) or one call (the call's `retryOptions` override the client's, field by field). */
export interface RetryOptions {
  /** Retries after the first attempt; default 3. 0 disables retrying. */
  maxRetries?: number | undefined;
  /** Base of the exponential backoff, in milliseconds; default 500. */
  retryDelayInMs?: number | undefined;
  /**
   * Longest single wait, in milliseconds; default 60 000, at most 2 147 483 647 (setTimeout's limit).
   * A 429 or 503 whose `retry-after` asks for a longer wait fails at once instead of holding the call.
   */
  maxRetryDelayInMs?: number | undefined;
}

/** Options every operation method accepts as its last argument. */
export interface OperationOptions {
  /** Cancels the call, including any retry wait; the call rejects with an `AbortError`. */
  abortSignal?: AbortSignalLike | undefined;
  /** Overrides the client's per-attempt timeout (milliseconds) for this call; the body is covered too. */
  timeoutInMs?: number | undefined;
  /** Extra request headers for this call. */
  headers?: Record<string, string> | undefined;
  /**
   * `"background"` lets interactive calls take rate-limit slots first (later pages and waiters'
   * polls are background already). Default `"interactive"`.
   */
  priority?: "interactive" | "background" | undefined;
  /** Called with the raw response of every successful attempt, before the body is parsed into the result. */
  onResponse?: ((response: PipelineResponse) => void) | undefined;
  /** Overrides the client's retry settings for this call (`{ maxRetries: 0 }`: one attempt only). */
  retryOptions?: RetryOptions | undefined;
  /**
   * Makes this create recoverable (overriding the client's `recoverableCreates`): it is sent with a
   * marker tag and, after a failure that leaves its outcome unknown, looked up by that tag instead
   * of failing. Only creates whose body takes `tags`; others reject it. See the README's
   * "Exactly-once creates".
   */
  recoverable?: boolean | RecoverableCreateOptions | undefined;
}

/** setTimeout fires at once for delays above 2^31 - 1 ms, so no wait may be longer. */
export const MAX_TIMER_DELAY_IN_MS = 2_147_483_647;

const RETRY_LIMITS: Readonly<Record<keyof RetryOptions, { readonly integer: boolean; readonly max: number }>> = {
  maxRetries: { integer: true, max: Number.MAX_SAFE_INTEGER },
  retryDelayInMs: { integer: false, max: MAX_TIMER_DELAY_IN_MS },
  maxRetryDelayInMs: { integer: false, max: MAX_TIMER_DELAY_IN_MS },
};

/** Validates retry settings; `where` names them in errors (`"retryOptions"`, `"droplets_get: retryOptions"`). */
export function checkRetryOptions(value: unknown, where: string): RetryOptions {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TypeError(`${where} must be an object`);
  for (const [key, setting] of Object.entries(value)) {
    const limits = Object.hasOwn(RETRY_LIMITS, key) ? RETRY_LIMITS[key as keyof RetryOptions] : undefined;
    if (limits === undefined) throw new TypeError(`${where}: unknown option "${key}" (expected one of: ${Object.keys(RETRY_LIMITS).join(", ")})`);
    if (setting === undefined) continue;
    const valid = typeof setting === "number" && setting >= 0 && setting <= limits.max && (limits.integer ? Number.isInteger(setting) : Number.isFinite(setting));
    if (!valid) {
      const kind = limits.integer ? "a non-negative integer" : `a number of milliseconds from 0 to ${limits.max}`;
      throw new RangeError(`${where}.${key} must be ${kind} (got ${String(setting)})`);
    }
  }
  return value as RetryOptions;
}

/** A header name: an HTTP token (RFC 9110), what Node's http accepts as one. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/**
 * What a header value may hold: tab, space, visible ASCII and Latin-1, as Node's http checks. CR and
 * LF would split the header (core's headers strip them, silently sending another value than the
 * caller's); Node refuses NUL and the other controls only once the request is under way.
 */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Validates headers a caller supplies; returns their entries. `where` names them in errors
 * (`'The client option "headers"'`, `"droplets_get: headers"`); a message names the header, never
 * its value, which may be a credential.
 */
export function checkHeaders(value: unknown, where: string): Array<[string, string]> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TypeError(`${where} must be an object of strings`);
  const entries = Object.entries(value);
  for (const [name, header] of entries) {
    if (!HEADER_NAME.test(name)) throw new TypeError(`${where}: ${headerName(name)} is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only)`);
    if (TRANSPORT_HEADERS.has(name.toLowerCase())) throw new TypeError(`${where}: ${headerName(name)} is set by the transport and may not be given`);
    if (typeof header !== "string") throw new TypeError(`${where}: header ${headerName(name)} must be a string (got ${typeof header})`);
    checkHeaderValue(header, `${where}: header ${headerName(name)}`);
  }
  return entries as Array<[string, string]>;
}

/**
 * Headers that say where and how the request travels, not what it asks. `host` would move the TLS
 * server name and the virtual host (and the token with them) away from the endpoint; the framing and
 * hop-by-hop ones would let a caller split or smuggle requests on a shared connection.
 */
const TRANSPORT_HEADERS: ReadonlySet<string> = new Set(["host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer", "expect", "proxy-connection"]);

/** Refuses a header value with a character no header may carry; `what` names it, the value is not shown. */
export function checkHeaderValue(value: string, what: string): void {
  if (!HEADER_VALUE.test(value)) {
    throw new TypeError(`${what} holds a character a header value may not (CR, LF, NUL, another control character, or one above U+00FF); the value is not shown`);
  }
}

/** A header name quoted for a message: escaped, and cut short when it is long. */
function headerName(name: string): string {
  return neutralize(JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name), 80);
}
