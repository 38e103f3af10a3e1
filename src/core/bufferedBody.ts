import type { PipelineRequest } from "@azure/core-rest-pipeline";

/**
 * Requests whose streamed 2xx body is to be read in full inside the retry loop, so that an answer
 * cut mid-body is retried like any other failed attempt (a binary download). A WeakSet rather than a
 * header or a property: nothing is sent, nothing shows on the caller's object.
 */
const buffered = new WeakSet<PipelineRequest>();

/** Asks the pipeline to read `request`'s streamed answer in full before the retry policy sees it. */
export function bufferStreamedBody(request: PipelineRequest): void {
  buffered.add(request);
}

/** Whether `bufferStreamedBody` was called for `request`. */
export function wantsBufferedBody(request: PipelineRequest): boolean {
  return buffered.has(request);
}
