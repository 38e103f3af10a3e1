import type { PipelineRequest } from "@azure/core-rest-pipeline";

/**
 * Requests marked as background work (later pages, waiters' polls, `priority: "background"`), for
 * the rate limiter to let interactive calls go first. A WeakSet for the reason `attempt.ts` gives:
 * nothing is sent and nothing shows on the caller's request object.
 */
const background = new WeakSet<PipelineRequest>();

/** Marks `request` as background work. */
export function markBackground(request: PipelineRequest): void {
  background.add(request);
}

/** Whether `request` was marked as background work. */
export function isBackground(request: PipelineRequest): boolean {
  return background.has(request);
}
