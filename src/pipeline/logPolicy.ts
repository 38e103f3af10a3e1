import type { AzureLogger } from "@azure/logger";
import type { HttpHeaders, PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "@azure/core-rest-pipeline";
import { AbortError, ConnectionError } from "../core/errors.js";
import { SENSITIVE_QUERY_NAME } from "../core/redact.js";
import { attemptOf } from "./attempt.js";
import { loadedTsdoLogger, tsdoLogger } from "./logger.js";
import { queueWaitOf } from "./queueWait.js";

/** Name of the logging policy, for `pipeline.removePolicy({ name })`. */
export const logPolicyName = "tsdo-log";

/** Headers whose values are logged at `verbose` level; every other header is logged as `REDACTED`. */
export const DEFAULT_ALLOWED_HEADER_NAMES: readonly string[] = [
  "accept",
  "accept-encoding",
  "cache-control",
  "content-encoding",
  "content-length",
  "content-type",
  "date",
  "etag",
  "location",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "retry-after",
  "user-agent",
  "x-request-id",
];

/** Options of `logPolicy`. */
export interface LogPolicyOptions {
  /** More header names (case-insensitive) whose values may be logged. */
  additionalAllowedHeaderNames?: readonly string[] | undefined;
  /** The logger to write to; default tsdo's (`azure:tsdo`). */
  logger?: AzureLogger | undefined;
}

const REDACTED = "REDACTED";

/**
 * Logs one `info` line per attempt — method, path and query, status (or error name), duration,
 * attempt number, `x-request-id`, `ratelimit-remaining` — and at `verbose` level the request and
 * response headers, values outside an allow-list replaced by `REDACTED` (core 1.24's logPolicy logs
 * response headers unredacted: Azure/azure-sdk-for-js#39101). Bodies are never logged. With logging
 * off it costs one property read per attempt.
 */
export function logPolicy(options: LogPolicyOptions = {}): PipelinePolicy {
  const allowed = new Set(DEFAULT_ALLOWED_HEADER_NAMES);
  for (const name of options.additionalAllowedHeaderNames ?? []) allowed.add(name.toLowerCase());
  return {
    name: logPolicyName,
    sendRequest(request, next) {
      const logger = options.logger ?? loadedTsdoLogger();
      if (logger === undefined) return tsdoLogger().then((loaded) => sendWithLogger(request, next, loaded, allowed));
      return sendWithLogger(request, next, logger, allowed);
    },
  };
}

function sendWithLogger(request: PipelineRequest, next: SendRequest, logger: AzureLogger, allowed: ReadonlySet<string>): Promise<PipelineResponse> {
  return logger.info.enabled ? sendAndLog(request, next, logger, allowed) : next(request);
}

async function sendAndLog(request: PipelineRequest, next: SendRequest, logger: AzureLogger, allowed: ReadonlySet<string>): Promise<PipelineResponse> {
  const attempt = attemptOf(request);
  const target = `${request.method} ${describeUrl(request.url)}`;
  // An attempt the rate limiter held back says for how long: its duration alone would hide the wait.
  const queuedMs = queueWaitOf(request);
  const queued = queuedMs > 0 ? ` queued=${queuedMs}ms` : "";
  if (logger.verbose.enabled) logger.verbose(`${target} attempt=${attempt} request headers: ${describeHeaders(request.headers, allowed)}`);
  const start = performance.now();
  let response: PipelineResponse;
  try {
    response = await next(request);
  } catch (error) {
    logger.info(`${target} ${describeFailure(error, request)} ${elapsed(start)}ms attempt=${attempt}${queued}`);
    throw error;
  }
  const headers = response.headers;
  // This policy sees the answer before the auth policy hides a token the server echoed in it.
  const hide = echoHider(request);
  logger.info(
    `${target} ${response.status} ${elapsed(start)}ms attempt=${attempt}${queued}` +
      hide(` x-request-id=${headers.get("x-request-id") ?? "-"} ratelimit-remaining=${headers.get("ratelimit-remaining") ?? "-"}`),
  );
  if (logger.verbose.enabled) logger.verbose(`${target} attempt=${attempt} response headers: ${hide(describeHeaders(headers, allowed))}`);
  return response;
}

/** Replaces the request's own credential (its Authorization value, scheme aside) wherever a line repeats it. */
function echoHider(request: PipelineRequest): (line: string) => string {
  const credential = request.headers.get("authorization")?.replace(/^\S+\s+/, "");
  if (credential === undefined || credential.length < 8) return (line) => line;
  return (line) => (line.includes(credential) ? line.replaceAll(credential, REDACTED) : line);
}

function elapsed(start: number): number {
  return Math.round(performance.now() - start);
}

/**
 * Path and query (with the origin too when `withOrigin`); the values of credential-like query
 * parameters are redacted.
 */
function describeUrl(raw: string, withOrigin = false): string {
  let url: URL;
  try {
    url = new URL(raw, "http://relative.invalid");
  } catch {
    return "(invalid URL)";
  }
  const prefix = withOrigin && url.host !== "relative.invalid" ? url.origin : "";
  if (url.search === "") return prefix + url.pathname;
  let query = "";
  for (const [name, value] of url.searchParams) {
    query += `${query === "" ? "?" : "&"}${encodeURIComponent(name)}=${SENSITIVE_QUERY_NAME.test(name) ? REDACTED : encodeURIComponent(value)}`;
  }
  return prefix + url.pathname + query;
}

function describeHeaders(headers: HttpHeaders, allowed: ReadonlySet<string>): string {
  const shown: Record<string, string> = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    // A redirect target can be a presigned URL: its credentials get the request line's treatment.
    shown[key] = !allowed.has(key) ? REDACTED : key === "location" ? describeUrl(value, true) : value;
  }
  return JSON.stringify(shown);
}

/** The error's name (and system code): never its message, which is not ours to vouch for. */
function describeFailure(error: unknown, request: PipelineRequest): string {
  // An attempt the timeout policy cut short reaches this policy as the transport's AbortError; the
  // attempt's signal says why (a TimeoutError).
  const reason = error instanceof AbortError ? (request.abortSignal as { reason?: unknown } | undefined)?.reason : undefined;
  if (reason instanceof Error && reason !== error) return reason.name;
  if (error instanceof ConnectionError && error.systemCode !== undefined) return `${error.name}(${error.systemCode})`;
  return error instanceof Error ? error.name : "error";
}
