import type { HttpClient, HttpHeaders, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import type { IncomingHttpHeaders } from "node:http";
import { PassThrough, type Readable } from "node:stream";
import { Agent, type Dispatcher } from "undici";
import { AbortError } from "../core/errors.js";
import { createHttpHeaders } from "../core/pipelineRequest.js";
import { RestError } from "../core/restError.js";
import { needsFullClient, NodeHttpClient } from "../pipeline/nodeHttpClient.js";
import { brandClasses } from "../core/brand.js";

/** Options of `UndiciHttpClient`. */
export interface UndiciHttpClientOptions {
  /**
   * The undici dispatcher to send with: an `Agent` with your own pool settings, a `ProxyAgent`, a
   * `MockAgent`… By default one keep-alive `Agent` per client.
   */
  dispatcher?: Dispatcher | undefined;
}

/**
 * undici's error codes for a connection that failed or dropped, as the system codes tsdo's timeout
 * and retry policies classify (node:http reports the same failures with these).
 */
const SYSTEM_CODES: Readonly<Record<string, string>> = {
  UND_ERR_SOCKET: "ECONNRESET",
  UND_ERR_CONNECT_TIMEOUT: "ETIMEDOUT",
  UND_ERR_HEADERS_TIMEOUT: "ETIMEDOUT",
  UND_ERR_BODY_TIMEOUT: "ETIMEDOUT",
  UND_ERR_CLOSED: "ECONNRESET",
  UND_ERR_DESTROYED: "ECONNRESET",
};

/**
 * An `HttpClient` on undici's dispatcher API, which parses HTTP faster than `node:http` (pass it as
 * the `httpClient` option). Timeouts, retries and aborts stay with tsdo's policies, which work the
 * same over it. Requests undici cannot serve as asked — an `agent` set by core's proxy policy
 * (`proxyOptions`), progress callbacks, TLS settings, request overrides, disabled keep-alive,
 * multipart or form bodies, compression — go through tsdo's `NodeHttpClient` instead, so nothing
 * a caller sets is ignored; to proxy over undici itself, pass a `ProxyAgent` as `dispatcher`.
 */
export class UndiciHttpClient implements HttpClient {
  readonly #dispatcher: Dispatcher;
  #nodeClient: NodeHttpClient | undefined;

  constructor(options: UndiciHttpClientOptions = {}) {
    this.#dispatcher = options.dispatcher ?? new Agent();
  }

  /** Sends one request and reads its answer (as text, or as a stream for `streamResponseStatusCodes`). */
  async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    if (request.agent !== undefined || needsFullClient(request)) {
      this.#nodeClient ??= new NodeHttpClient();
      return this.#nodeClient.sendRequest(request);
    }
    const signal = request.abortSignal;
    if (signal?.aborted) throw new AbortError("The request was aborted before it was sent.");
    const url = new URL(request.url);
    if (url.protocol !== "https:" && !request.allowInsecureConnection) {
      throw new RestError(`Cannot connect to ${url.protocol}//${url.host} over plain http: allowInsecureConnection is not set.`, { request });
    }
    const options: Dispatcher.DispatchOptions = {
      origin: url.origin,
      path: url.pathname + url.search,
      method: request.method,
      headers: request.headers.toJSON({ preserveCase: true }),
      body: request.body as string | Uint8Array | Readable | null | undefined,
    };
    const streamed = request.streamResponseStatusCodes !== undefined && request.streamResponseStatusCodes.size > 0;
    return streamed ? this.#sendStreamed(request, options) : this.#sendBuffered(request, options);
  }

  /** Most calls: the body is read as text straight from undici's callbacks, with no stream in between. */
  #sendBuffered(request: PipelineRequest, options: Dispatcher.DispatchOptions): Promise<PipelineResponse> {
    return new Promise((resolve, reject) => {
      const signal = request.abortSignal;
      let controller: Dispatcher.DispatchController | undefined;
      let response: PipelineResponse | undefined;
      const chunks: Buffer[] = [];
      let settled = false;
      const settle = (error: unknown): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        if (error !== undefined || response === undefined) return reject(error);
        if (request.method !== "HEAD") response.bodyAsText = chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8");
        resolve(response);
      };
      const onAbort = (): void => {
        const error = new AbortError("The request was aborted.");
        controller?.abort(error);
        settle(error);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#dispatcher.dispatch(options, {
        onRequestStart(started) {
          controller = started;
          if (settled) started.abort(new AbortError("The request was aborted."));
        },
        onResponseStart(_controller, status, headers) {
          response = { status, headers: responseHeaders(headers), request };
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          settle(undefined);
        },
        onResponseError(_controller, error) {
          settle(transportError(error as NodeJS.ErrnoException, request));
        },
      });
    });
  }

  /** Statuses the caller asked to stream get undici's body stream; the others are read as text. */
  async #sendStreamed(request: PipelineRequest, options: Dispatcher.DispatchOptions): Promise<PipelineResponse> {
    let answer: Dispatcher.ResponseData;
    try {
      answer = await this.#dispatcher.request({ ...options, signal: request.abortSignal as AbortSignal | undefined } as Dispatcher.RequestOptions);
    } catch (error) {
      throw transportError(error as NodeJS.ErrnoException, request);
    }
    const status = answer.statusCode;
    const response: PipelineResponse = { status, headers: responseHeaders(answer.headers), request };
    const codes = request.streamResponseStatusCodes;
    if (request.method === "HEAD") {
      await answer.body.dump();
    } else if (codes?.has(status) || codes?.has(Number.POSITIVE_INFINITY)) {
      response.readableStreamBody = translatedStream(answer.body, request);
    } else {
      try {
        response.bodyAsText = await answer.body.text();
      } catch (error) {
        throw transportError(error as NodeJS.ErrnoException, request);
      }
    }
    return response;
  }
}
// `instanceof` holds for instances made by the other build (ESM or CommonJS) too: src/core/brand.ts.
brandClasses({ UndiciHttpClient });

function responseHeaders(raw: IncomingHttpHeaders): HttpHeaders {
  const headers = createHttpHeaders();
  for (const name in raw) {
    const value = raw[name];
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

/** undici's body, re-emitting its transport failures as the Node errors a node:http body emits. */
function translatedStream(body: Readable, request: PipelineRequest): Readable {
  const out = new PassThrough();
  body.once("error", (error: NodeJS.ErrnoException) => {
    const translated = transportError(error, request);
    out.destroy(translated instanceof RestError ? Object.assign(new Error(error.message), { code: translated.code }) : (translated as Error));
  });
  out.once("close", () => body.destroy());
  return body.pipe(out);
}

/** The shape core's client gives transport failures, which the timeout and retry policies classify. */
function transportError(error: NodeJS.ErrnoException, request: PipelineRequest): unknown {
  if (error instanceof AbortError) return error;
  if (error.name === "AbortError" || error.code === "UND_ERR_ABORTED") return new AbortError("The request was aborted.");
  const code = (error.code !== undefined && SYSTEM_CODES[error.code]) || error.code || RestError.REQUEST_SEND_ERROR;
  return new RestError(error.message, { code, request });
}
