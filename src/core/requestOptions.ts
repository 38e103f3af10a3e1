import type { AbortSignalLike } from "@azure/abort-controller";
import type { PipelineResponse } from "@azure/core-rest-pipeline";

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
}
