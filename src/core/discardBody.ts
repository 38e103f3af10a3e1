import type { PipelineResponse } from "@azure/core-rest-pipeline";

/**
 * Destroys a response's streamed body that nobody will read (a retried answer, an error, a 204),
 * so its socket is released rather than left waiting for a reader.
 */
export function discardBody(response: PipelineResponse): void {
  (response.readableStreamBody as { destroy?: () => void } | undefined)?.destroy?.();
}
