import type { AbortSignalLike } from "@azure/abort-controller";
import { onAbort } from "./abortListener.js";
import { AbortError } from "./errors.js";

/** Resolves after `ms`, or rejects with `AbortError` as soon as `signal` fires; leaves no timer or listener behind. */
export function delay(ms: number, signal: AbortSignalLike | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError());
    const unsubscribe = signal
      ? onAbort(signal, () => {
          clearTimeout(timer);
          reject(new AbortError());
        })
      : undefined;
    const timer = setTimeout(() => {
      unsubscribe?.();
      resolve();
    }, ms);
  });
}
