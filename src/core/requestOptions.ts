import type { AbortSignalLike } from "@azure/abort-controller";
import type { PipelineResponse } from "@azure/core-rest-pipeline";
import type { RecoverableCreateOptions } from "./recoverable.js";

/** Options every operation method accepts as its last argument. */
export interface OperationOptions {
  /** Cancels the call, including any retry wait; the call rejects with an `AbortError`. */
  abortSignal?: AbortSignalLike | undefined;
  /** Overrides the client's per-attempt timeout (milliseconds) for this call; the body is covered too. */
  timeoutInMs?: number | undefined;
  /** Extra request headers for this call. */
  headers?: Record<string, string> | undefined;
  /** Called with the raw response of every successful attempt, before the body is parsed into the result. */
  onResponse?: ((response: PipelineResponse) => void) | undefined;
  /**
   * Makes this create recoverable (overriding the client's `recoverableCreates`): it is sent with a
   * marker tag and, after a failure that leaves its outcome unknown, looked up by that tag instead
   * of failing. Only creates whose body takes `tags`; others reject it. See the README's
   * "Exactly-once creates".
   */
  recoverable?: boolean | RecoverableCreateOptions | undefined;
}
