import type { PipelineRequest } from "@azure/core-rest-pipeline";

/**
 * The retry policy's attempt counter, read by the log policy.
 *
 * A WeakMap keyed by the request object rather than a header or a property on the request: a header
 * would be sent to the server, and a property would show up on an object the caller owns. Only
 * retries (attempt 2 and later) get an entry, so the common single-attempt request costs nothing;
 * the entry dies with the request.
 */
const attempts = new WeakMap<PipelineRequest, number>();

/** Records that `request` is about to be sent for the `attempt`-th time (1-based). */
export function setAttempt(request: PipelineRequest, attempt: number): void {
  if (attempt > 1) attempts.set(request, attempt);
  // A caller may send the same request object again: forget the previous call's count.
  else attempts.delete(request);
}

/** The attempt number of `request`'s current send: 1 unless the retry policy is retrying it. */
export function attemptOf(request: PipelineRequest): number {
  return attempts.get(request) ?? 1;
}
