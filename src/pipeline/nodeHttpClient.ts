import type { HttpClient, HttpHeaders, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import { loadCore } from "../core/azureCore.js";
import { AbortError } from "../core/errors.js";
import { createHttpHeaders } from "../core/pipelineRequest.js";
import { RestError } from "../core/restError.js";

/**
 * tsdo's default HTTP client: one keep-alive agent per scheme, a request, a response. Core's node
 * client does much more on every call (its own AbortController and timer, progress hooks, TLS agent
 * lookups, decompression checks), which costs about a third of a small call's client CPU. Requests
 * that use those features — progress callbacks, TLS settings, request overrides, disabled
 * keep-alive — are handed to core's client, so nothing a caller sets is ignored. Proxies work on
 * both paths: core's proxy policy sets `request.agent`, which is used as given.
 */
export class NodeHttpClient implements HttpClient {
  readonly #httpAgent = new HttpAgent({ keepAlive: true });
  readonly #httpsAgent = new HttpsAgent({ keepAlive: true });
  #fullClient: HttpClient | undefined;

  sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    if (needsFullClient(request)) {
      return this.#sendWithCore(request);
    }
    return new Promise((resolve, reject) => this.#send(request, resolve, reject));
  }

  async #sendWithCore(request: PipelineRequest): Promise<PipelineResponse> {
    this.#fullClient ??= (await loadCore()).createDefaultHttpClient();
    return this.#fullClient.sendRequest(request);
  }

  #send(request: PipelineRequest, resolve: (response: PipelineResponse) => void, reject: (error: unknown) => void): void {
    const signal = request.abortSignal;
    if (signal?.aborted) return reject(new AbortError("The request was aborted before it was sent."));
    const url = new URL(request.url);
    const secure = url.protocol === "https:";
    if (!secure && !request.allowInsecureConnection) {
      return reject(new RestError(`Cannot connect to ${url.protocol}//${url.host} over plain http: allowInsecureConnection is not set.`, { request }));
    }
    const options: RequestOptions = {
      agent: (request.agent as HttpAgent | undefined) ?? (secure ? this.#httpsAgent : this.#httpAgent),
      // URL keeps IPv6 literals bracketed ("[::1]"); node:http wants the bare address.
      hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      method: request.method,
      headers: request.headers.toJSON({ preserveCase: true }),
    };

    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      reject(error);
    };
    const onAbort = (): void => {
      const error = new AbortError("The request was aborted.");
      outgoing.destroy(error);
      fail(error);
    };

    const outgoing = (secure ? httpsRequest : httpRequest)(options, (response) => {
      const status = response.statusCode ?? 0;
      const pipelineResponse: PipelineResponse = { status, headers: responseHeaders(response), request };
      const streamed = request.streamResponseStatusCodes?.has(status) || request.streamResponseStatusCodes?.has(Number.POSITIVE_INFINITY);
      if (request.method === "HEAD" || streamed) {
        if (request.method === "HEAD") response.resume();
        else pipelineResponse.readableStreamBody = response;
        settled = true;
        // The caller's signal keeps guarding a streamed body until it ends.
        if (signal && streamed) response.once("close", () => signal.removeEventListener("abort", onAbort));
        else signal?.removeEventListener("abort", onAbort);
        return resolve(pipelineResponse);
      }
      readText(response).then((text) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        pipelineResponse.bodyAsText = text;
        resolve(pipelineResponse);
      }, (error: NodeJS.ErrnoException) => fail(transportError(error, request)));
    });
    outgoing.once("error", (error: NodeJS.ErrnoException) => fail(transportError(error, request)));
    signal?.addEventListener("abort", onAbort, { once: true });
    writeBody(outgoing, request, fail);
  }
}

/** Features only core's client implements; such requests go through it. */
export function needsFullClient(request: PipelineRequest): boolean {
  return (
    request.onUploadProgress !== undefined ||
    request.onDownloadProgress !== undefined ||
    request.tlsSettings !== undefined ||
    request.requestOverrides !== undefined ||
    request.disableKeepAlive === true ||
    request.multipartBody !== undefined ||
    // Core decompresses what it asked to be compressed; this client never asks.
    request.headers.has("accept-encoding") ||
    (request.body !== undefined && request.body !== null && !isPlainBody(request.body))
  );
}

type PlainBody = string | Uint8Array | NodeJS.ReadableStream;

function isPlainBody(body: unknown): body is PlainBody {
  return typeof body === "string" || body instanceof Uint8Array || typeof (body as NodeJS.ReadableStream).pipe === "function";
}

function writeBody(outgoing: ReturnType<typeof httpRequest>, request: PipelineRequest, fail: (error: unknown) => void): void {
  const body = request.body as PlainBody | undefined | null;
  if (body === undefined || body === null) return void outgoing.end();
  if (typeof body === "string" || body instanceof Uint8Array) {
    if (!request.headers.has("content-length")) outgoing.setHeader("content-length", Buffer.byteLength(body));
    return void outgoing.end(body);
  }
  body.once("error", fail);
  body.pipe(outgoing);
}

function responseHeaders(response: IncomingMessage): HttpHeaders {
  const headers = createHttpHeaders();
  const raw = response.headers;
  for (const name in raw) {
    const value = raw[name];
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

function readText(response: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      text += chunk;
    });
    response.once("end", () => resolve(text));
    response.once("error", reject);
    // A connection that drops mid-body emits "aborted" (and then "close" without "end").
    response.once("aborted", () => reject(Object.assign(new Error("connection closed while reading the response body"), { code: "ECONNRESET" })));
  });
}

/** The shape core's client gives transport failures, which the timeout and retry policies classify. */
function transportError(error: NodeJS.ErrnoException, request: PipelineRequest): unknown {
  if (error instanceof AbortError || error.name === "AbortError") return error;
  return new RestError(error.message, { code: error.code ?? RestError.REQUEST_SEND_ERROR, request });
}
