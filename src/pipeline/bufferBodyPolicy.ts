import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { Readable } from "node:stream";
import { wantsBufferedBody } from "../core/bufferedBody.js";
import { pathOf, ResponseTooLargeError } from "../core/errors.js";

/** Name of the body-buffering policy, for `pipeline.removePolicy({ name })`. */
export const bufferBodyPolicyName = "tsdo-buffer-body";

/** Default `maxBinaryResponseBytes`: 1 GiB. */
export const DEFAULT_MAX_BINARY_RESPONSE_BYTES = 1024 * 1024 * 1024;

/** Options of `bufferBodyPolicy`. */
export interface BufferBodyPolicyOptions {
  /** Largest binary body read, in bytes; a larger one rejects with `ResponseTooLargeError`. Default 1 GiB. */
  maxBinaryResponseBytes?: number | undefined;
}

/**
 * Reads the streamed 2xx body of requests marked by `bufferStreamedBody` (binary downloads) in full,
 * inside the retry policy: a body cut mid-way fails the attempt, which the retry policy then repeats
 * as it would a JSON GET. The bytes are handed on as a one-chunk stream.
 */
export function bufferBodyPolicy(options: BufferBodyPolicyOptions = {}): PipelinePolicy {
  const maxBytes = options.maxBinaryResponseBytes ?? DEFAULT_MAX_BINARY_RESPONSE_BYTES;
  if (!Number.isFinite(maxBytes) || maxBytes <= 0) throw new RangeError(`maxBinaryResponseBytes must be a positive number (got ${maxBytes})`);
  return {
    name: bufferBodyPolicyName,
    async sendRequest(request, next) {
      const response = await next(request);
      const stream = response.readableStreamBody as Readable | undefined;
      if (stream === undefined || response.status < 200 || response.status >= 300 || !wantsBufferedBody(request)) return response;
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) {
          stream.destroy();
          throw new ResponseTooLargeError(
            `${request.method} ${pathOf(request.url)}: the response body is larger than maxBinaryResponseBytes (${maxBytes} bytes)`,
            maxBytes,
            { request, response },
          );
        }
        chunks.push(chunk);
      }
      response.readableStreamBody = Readable.from([Buffer.concat(chunks)]);
      return response;
    },
  };
}
