import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "@azure/core-rest-pipeline";
import { delay } from "../core/delay.js";
import { discardBody } from "../core/discardBody.js";
import { AbortError, DigitalOceanError, pathOf, TimeoutError } from "../core/errors.js";
import { retryAfterHeaderInMs, retryAfterInMs } from "../core/rateLimit.js";
import { checkRetryOptions, type RetryOptions } from "../core/requestOptions.js";
import { requestSettingsOf } from "../core/requestSettings.js";
import type { RetryBudget } from "./retryBudget.js";
import { setAttempt } from "./attempt.js";
import { log } from "./logger.js";
import { systemCodeOf } from "./transportErrors.js";

/** Name of the retry policy, for `pipeline.removePolicy({ name })`. */
export const retryPolicyName = "tsdo-retry";

/** The retry policy's settings (the same a single call may override with its `retryOptions`). */
export type RetryPolicyOptions = RetryOptions;

interface RetrySettings {
  readonly maxRetries: number;
  readonly retryDelayInMs: number;
  readonly maxRetryDelayInMs: number;
}

/** Methods whose repetition cannot create a second resource: DigitalOcean treats these as idempotent. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
/** Statuses that say "try again" without the request having taken effect (for idempotent methods). */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 500, 502, 503, 504]);
/** Failures where the request provably never reached the server: safe to repeat even a POST. */
const UNSENT_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);
/** Transport failures worth retrying for idempotent methods (the request may or may not have arrived). */
const IDEMPOTENT_RETRY_CODES: ReadonlySet<string> = new Set([...UNSENT_CODES, "ECONNRESET", "ETIMEDOUT", "EPIPE"]);

/**
 * Retries what is safe to retry, in place of core's `defaultRetryPolicy` — which retries POST on
 * 5xx and connection resets, and for DigitalOcean a repeated POST is a second droplet on the bill.
 *
 * - GET, HEAD, PUT, DELETE, OPTIONS: retried on transport failures, attempt timeouts and 408/5xx
 *   (500, 502, 503, 504), with exponential backoff and equal jitter.
 * - POST, PATCH: retried only when the request never left (ECONNREFUSED, ENOTFOUND, EAI_AGAIN) and on 429.
 * - 429, any method: waits `retry-after`, else until `ratelimit-reset`, else backs off; a wait longer
 *   than `maxRetryDelayInMs` throws the `RateLimitError` at once.
 * - 503, the methods above: waits `retry-after` when the response gives one (RFC 9110), else backs off;
 *   a wait longer than `maxRetryDelayInMs` returns the 503 at once.
 *
 * A call's own `retryOptions` override these settings for that call. With a `budget`, every retry
 * must be paid from it (see `RetryBudget`); when it cannot be, the failure is returned at once.
 * Out of retries, a retryable status is returned as the response and an error is rethrown. Waits
 * end early with `AbortError` when the request's `abortSignal` fires.
 */
export function retryPolicy(options: RetryPolicyOptions = {}, budget?: RetryBudget): PipelinePolicy {
  const settings = settingsOf(checkRetryOptions(options, "retryOptions"), DEFAULT_SETTINGS);
  return {
    name: retryPolicyName,
    sendRequest(request, next) {
      const overrides = requestSettingsOf(request)?.retryOptions;
      return sendWithRetries(request, next, overrides === undefined ? settings : settingsOf(overrides, settings), budget);
    },
  };
}

const DEFAULT_SETTINGS: RetrySettings = { maxRetries: 3, retryDelayInMs: 500, maxRetryDelayInMs: 60_000 };

/** `options` (already validated) over `base`, field by field. */
function settingsOf(options: RetryOptions, base: RetrySettings): RetrySettings {
  return {
    maxRetries: options.maxRetries ?? base.maxRetries,
    retryDelayInMs: options.retryDelayInMs ?? base.retryDelayInMs,
    maxRetryDelayInMs: options.maxRetryDelayInMs ?? base.maxRetryDelayInMs,
  };
}

async function sendWithRetries(request: PipelineRequest, next: SendRequest, settings: RetrySettings, budget: RetryBudget | undefined): Promise<PipelineResponse> {
  // What the latest retry cost: a success refunds it (or the first-attempt refund) to the budget.
  let lastCost: number | undefined;
  const canPay = (price: "retryCost" | "timeoutRetryCost", reason: string): boolean => {
    if (budget === undefined) return true;
    const cost = budget[price];
    if (!budget.trySpend(cost)) {
      log("info", `${request.method} ${pathOf(request.url)} failed (${reason}); not retried: the retry budget is spent`);
      return false;
    }
    lastCost = cost;
    return true;
  };
  for (let attempt = 1; ; attempt++) {
    setAttempt(request, attempt);
    const canRetry = attempt <= settings.maxRetries && hasReplayableBody(request);
    let response: PipelineResponse;
    try {
      response = await next(request);
    } catch (error) {
      if (!canRetry || !isRetryableError(error, request.method)) throw error;
      const reason = describeError(error);
      if (!canPay(error instanceof TimeoutError ? "timeoutRetryCost" : "retryCost", reason)) throw error;
      await waitBeforeRetry(request, attempt, backoffInMs(attempt, settings), reason);
      continue;
    }

    const status = response.status;
    if (status === 429) {
      if (!canRetry) return response;
      const hinted = retryAfterInMs(response);
      // 0 is what a reset time in the past (clock skew) gives: back off instead of hammering.
      const waitInMs = hinted !== undefined && hinted > 0 ? hinted : backoffInMs(attempt, settings);
      if (waitInMs > settings.maxRetryDelayInMs) {
        discardBody(response);
        throw DigitalOceanError.fromResponse(response);
      }
      if (!canPay("retryCost", "429")) return response;
      discardBody(response);
      await waitBeforeRetry(request, attempt, waitInMs, "429");
      continue;
    }
    if (!canRetry || !RETRYABLE_STATUSES.has(status) || !IDEMPOTENT_METHODS.has(request.method)) {
      if (status < 400) budget?.refund(lastCost ?? budget.successRefund);
      return response;
    }
    let waitInMs = backoffInMs(attempt, settings);
    if (status === 503) {
      const hinted = retryAfterHeaderInMs(response);
      if (hinted !== undefined && hinted > settings.maxRetryDelayInMs) return response;
      if (hinted !== undefined && hinted > 0) waitInMs = hinted;
    }
    if (!canPay("retryCost", String(status))) return response;
    discardBody(response);
    await waitBeforeRetry(request, attempt, waitInMs, String(status));
  }
}

function isRetryableError(error: unknown, method: string): boolean {
  if (error instanceof AbortError) return false;
  const idempotent = IDEMPOTENT_METHODS.has(method);
  if (error instanceof TimeoutError) return idempotent;
  const code = systemCodeOf(error);
  if (code === undefined) return false;
  return idempotent ? IDEMPOTENT_RETRY_CODES.has(code) : UNSENT_CODES.has(code);
}

/** Exponential backoff with "equal jitter": half the delay is fixed, half random, so waits never collapse to 0. */
function backoffInMs(attempt: number, settings: RetrySettings): number {
  const exponential = Math.min(settings.maxRetryDelayInMs, settings.retryDelayInMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + Math.random() * (exponential / 2));
}

function waitBeforeRetry(request: PipelineRequest, attempt: number, waitInMs: number, reason: string): Promise<void> {
  log("info", `${request.method} ${pathOf(request.url)} attempt=${attempt} failed (${reason}); retrying in ${waitInMs} ms`);
  return delay(waitInMs, request.abortSignal);
}

/** A stream body is consumed by the first attempt and cannot be sent again (a body factory can). */
function hasReplayableBody(request: PipelineRequest): boolean {
  const body = request.body;
  if (typeof body !== "object" || body === null) return true;
  return typeof (body as { pipe?: unknown }).pipe !== "function" && typeof (body as { getReader?: unknown }).getReader !== "function";
}

function describeError(error: unknown): string {
  const code = systemCodeOf(error);
  if (code !== undefined) return code;
  return error instanceof Error ? error.name : "error";
}
