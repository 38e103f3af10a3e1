import type { AbortSignalLike } from "@azure/abort-controller";
import { AbortError } from "./errors.js";

/** Resolves after `ms`, or rejects with `AbortError` as soon as `signal` fires; leaves no timer or listener behind. */
export function delay(ms: number, signal: AbortSignalLike | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
