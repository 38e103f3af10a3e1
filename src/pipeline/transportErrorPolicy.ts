import type { PipelinePolicy, PipelineRequest } from "@azure/core-rest-pipeline";
import { pipeline as pipeStreams, PassThrough, type Readable } from "node:stream";
import { toTsdoError } from "./transportErrors.js";

/** Name of the transport-error policy, for `pipeline.removePolicy({ name })`. */
export const transportErrorPolicyName = "tsdo-transport-errors";

/**
 * Turns whatever the HTTP client rejects with, or a streamed body emits, into tsdo's errors:
 * system errors and core's RestErrors become `ConnectionError` (with a redacted copy of the request,
 * never the live one), aborts `AbortError`. It is the only policy that does so, and sits next to the
 * HTTP client, so the retry policy classifies the same errors whichever other policies are in place
 * and whichever HTTP client is used.
 */
export function transportErrorPolicy(): PipelinePolicy {
  return {
    name: transportErrorPolicyName,
    async sendRequest(request, next) {
      let response;
      try {
        response = await next(request);
      } catch (error) {
        throw toTsdoError(error, request);
      }
      const stream = response.readableStreamBody as Readable | undefined;
      if (stream !== undefined) response.readableStreamBody = translatedBody(stream, request);
      return response;
    },
  };
}

/** The streamed body through a pass-through that re-emits the source's failure as a tsdo error. */
function translatedBody(source: Readable, request: PipelineRequest): Readable {
  const body = new PassThrough();
  // Registered before pipeline()'s own listener, so the consumer sees the tsdo error rather than
  // Node's bare "aborted".
  source.once("error", (error: Error) => body.destroy(toTsdoError(error, request) as Error));
  pipeStreams(source, body, () => undefined);
  return body;
}
