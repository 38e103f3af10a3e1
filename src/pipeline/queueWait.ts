import type { PipelineRequest } from "@azure/core-rest-pipeline";

/** How long each request's current attempt queued for a rate-limit slot, for the log line (see `attempt.ts` on why a WeakMap). */
const waits = new WeakMap<PipelineRequest, number>();

/** Records that `request`'s attempt queued `waitedInMs` (0 clears an earlier attempt's). */
export function setQueueWait(request: PipelineRequest, waitedInMs: number): void {
  if (waitedInMs > 0) waits.set(request, waitedInMs);
  else waits.delete(request);
}

/** How long `request`'s current attempt queued for a rate-limit slot, in milliseconds. */
export function queueWaitOf(request: PipelineRequest): number {
  return waits.get(request) ?? 0;
}
