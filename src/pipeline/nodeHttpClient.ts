import type { HttpClient, HttpHeaders, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import { onAbort } from "../core/abortListener.js";
import { loadCore } from "../core/azureCore.js";
import { createHttpHeaders } from "../core/pipelineRequest.js";
import { AbortError, ClientClosedError, InsecureConnectionError, pathOf, ResponseTooLargeError } from "../core/errors.js";
import { streamSystemCodeOf, toConnectionError } from "./transportErrors.js";
import { brandClasses } from "../core/brand.js";

/** Default `maxResponseBytes`: 64 MiB, far above any JSON answer DigitalOcean gives. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Options of `NodeHttpClient`. */
export interface NodeHttpClientOptions {
  /**
   * Largest body read into `bodyAsText` (JSON, text), in bytes; reading stops there and the request
   * rejects with `ResponseTooLargeError`. Default 64 MiB. Streamed bodies are not counted here.
   */
  maxResponseBytes?: number | undefined;
}

const AGENT_OPTIONS = { keepAlive: true, timeout: 5000, scheduling: "lifo" } as const;

/** Statuses that never have a body (RFC 9110): any bytes after their headers are not theirs. */
const BODYLESS_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);

/**
 * tsdo's default HTTP client: one keep-alive agent per scheme, a request, a response. Core's node
 * client does much more on every call (its own AbortController and timer, progress hooks, TLS agent
 * lookups, decompression checks), which costs about a third of a small call's client CPU. Requests
 * that use those features — progress callbacks, TLS settings, request overrides, disabled
 * keep-alive — are handed to core's client, so nothing a caller sets is ignored. Proxies work on
 * both paths: core's proxy policy sets `request.agent`, which is used as given.
 */
export class NodeHttpClient implements HttpClient {
  // As Node's own global agent: an idle-socket timeout is what makes the agent honour a server's
  // `Keep-Alive: timeout=N` hint (it then drops the socket a second early); without one, an idle
  // socket can be reused just as the server closes it, and the request fails with ECONNRESET.
  // LIFO reuses the most recently active socket, the one least likely to be closing.
  readonly #httpAgent = new HttpAgent(AGENT_OPTIONS);
  readonly #httpsAgent = new HttpsAgent(AGENT_OPTIONS);
  /** The other agents lent to core's client (see `#agentForCore`): `close()` destroys them too. */
  readonly #coreAgents = new Set<HttpAgent>();
  /** Per TLS settings object, as core keys its own; an agent is forgotten with its settings object. */
  readonly #tlsAgents = new WeakMap<object, HttpsAgent>();
  #forgetTlsAgent: FinalizationRegistry<HttpsAgent> | undefined;
  #oneShotHttpAgent: HttpAgent | undefined;
  #oneShotHttpsAgent: HttpsAgent | undefined;
  readonly #maxResponseBytes: number;
  #fullClient: HttpClient | undefined;
  #closed = false;

  constructor(options: NodeHttpClientOptions = {}) {
    const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    if (!Number.isFinite(maxResponseBytes) || maxResponseBytes <= 0) {
      throw new RangeError(`maxResponseBytes must be a positive number of bytes (got ${maxResponseBytes})`);
    }
    this.#maxResponseBytes = maxResponseBytes;
  }

  sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    if (this.#closed) return Promise.reject(new ClientClosedError("This HTTP client is closed."));
    if (needsFullClient(request)) {
      return this.#sendWithCore(request);
    }
    return new Promise((resolve, reject) => this.#send(request, resolve, reject));
  }

  async #sendWithCore(request: PipelineRequest): Promise<PipelineResponse> {
    this.#fullClient ??= (await loadCore()).createDefaultHttpClient();
    if (this.#closed) throw new ClientClosedError("This HTTP client is closed.");
    // An agent set by core's proxy policy is used as given.
    if (request.agent !== undefined) return this.#fullClient.sendRequest(request);
    // Core's client would use agents of its own, which close() cannot reach (its client object is
    // not exposed): it is lent one of ours for this request, and the request gets its own back.
    const agent = this.#agentForCore(request);
    if (agent === undefined) return this.#fullClient.sendRequest(request);
    request.agent = agent;
    try {
      return await this.#fullClient.sendRequest(request);
    } finally {
      request.agent = undefined;
    }
  }

  /**
   * The agent core's client would have made for `request`, made and kept here instead; none for TLS
   * settings without keep-alive, whose agent core makes keeps no socket past its request.
   */
  #agentForCore(request: PipelineRequest): HttpAgent | undefined {
    const secure = new URL(request.url).protocol === "https:";
    const keepAlive = request.disableKeepAlive !== true;
    if (secure && request.tlsSettings !== undefined) {
      if (!keepAlive) return undefined;
      const settings = request.tlsSettings;
      let agent = this.#tlsAgents.get(settings);
      if (agent === undefined) {
        agent = this.#kept(new HttpsAgent({ ...AGENT_OPTIONS, ...settings }));
        this.#tlsAgents.set(settings, agent);
        this.#forgetTlsAgent ??= new FinalizationRegistry((forgotten) => this.#coreAgents.delete(forgotten));
        this.#forgetTlsAgent.register(settings, agent);
      }
      return agent;
    }
    if (keepAlive) return secure ? this.#httpsAgent : this.#httpAgent;
    // Core would send these on Node's global agent, which keeps sockets alive since Node 19.
    return secure ? (this.#oneShotHttpsAgent ??= this.#kept(new HttpsAgent())) : (this.#oneShotHttpAgent ??= this.#kept(new HttpAgent()));
  }

  #kept<TAgent extends HttpAgent>(agent: TAgent): TAgent {
    this.#coreAgents.add(agent);
    return agent;
  }

  /**
   * Closes the keep-alive sockets (requests still in flight fail) and refuses later requests. Idle
   * sockets do not hold the process open anyway (Node's agent unrefs them); this releases them now.
   */
  close(): void {
    this.#closed = true;
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
    for (const agent of this.#coreAgents) agent.destroy();
  }

  #send(request: PipelineRequest, resolve: (response: PipelineResponse) => void, reject: (error: unknown) => void): void {
    const signal = request.abortSignal;
    if (signal?.aborted) return reject(new AbortError("The request was aborted before it was sent."));
    const url = new URL(request.url);
    const secure = url.protocol === "https:";
    if (!secure && !request.allowInsecureConnection) {
      return reject(new InsecureConnectionError(`Cannot connect to ${url.protocol}//${url.host} over plain http: allowInsecureConnection is not set.`, { request }));
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
    let unsubscribe: (() => void) | undefined;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      unsubscribe?.();
      reject(error);
    };

    const outgoing = (secure ? httpsRequest : httpRequest)(options, (response) => {
      const status = response.statusCode ?? 0;
      const pipelineResponse: PipelineResponse = { status, headers: responseHeaders(response), request };
      const bodyless = request.method === "HEAD" || BODYLESS_STATUSES.has(status);
      const streamed = !bodyless && (request.streamResponseStatusCodes?.has(status) || request.streamResponseStatusCodes?.has(Number.POSITIVE_INFINITY));
      if (bodyless || streamed) {
        // A bodyless answer is complete with its headers: stray bytes a server sends after a 204
        // make the parser fail the socket afterwards, which must not fail this request.
        if (bodyless) response.resume();
        else pipelineResponse.readableStreamBody = response;
        settled = true;
        // The caller's signal keeps guarding a streamed body until it ends.
        if (streamed) response.once("close", () => unsubscribe?.());
        else unsubscribe?.();
        return resolve(pipelineResponse);
      }
      readText(response, this.#maxResponseBytes).then((text) => {
        if (settled) return;
        settled = true;
        unsubscribe?.();
        pipelineResponse.bodyAsText = text;
        resolve(pipelineResponse);
      }, (error: NodeJS.ErrnoException) => {
        response.destroy();
        fail(error instanceof BodyTooLarge ? tooLarge(request, pipelineResponse, this.#maxResponseBytes) : transportError(error, request));
      });
    });
    // `on`, not `once`: a socket can fail more than once (a parse error after a bodyless answer,
    // then the reset), and an unhandled second "error" would crash the process.
    outgoing.on("error", (error: NodeJS.ErrnoException) => fail(transportError(error, request)));
    if (signal) {
      unsubscribe = onAbort(signal, () => {
        const error = new AbortError("The request was aborted.");
        outgoing.destroy(error);
        fail(error);
      });
    }
    writeBody(outgoing, request, fail);
  }
}
// `instanceof` holds for instances made by the other build (ESM or CommonJS) too: src/core/brand.ts.
brandClasses({ NodeHttpClient });

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

/** Thrown inside `readText` when the body passes the limit. */
class BodyTooLarge extends Error {}

/**
 * Reads the body as UTF-8, counting bytes: it stops at `maxBytes` rather than grow one string until
 * V8's string limit (~512 MB) throws a RangeError nobody can catch.
 */
function readText(response: Readable, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return reject(new BodyTooLarge());
      chunks.push(chunk);
    });
    response.once("end", () => resolve(Buffer.concat(chunks, size).toString("utf8")));
    response.once("error", reject);
    // A connection that drops mid-body emits "aborted" (and then "close" without "end").
    response.once("aborted", () => reject(Object.assign(new Error("connection closed while reading the response body"), { code: "ECONNRESET" })));
  });
}

/** A socket failure as tsdo's `ConnectionError` (with a redacted copy of the request); aborts pass through. */
function transportError(error: NodeJS.ErrnoException, request: PipelineRequest): unknown {
  if (error instanceof AbortError || error.name === "AbortError") return error;
  return toConnectionError(error, streamSystemCodeOf(error), request);
}

function tooLarge(request: PipelineRequest, response: PipelineResponse, maxBytes: number): ResponseTooLargeError {
  return new ResponseTooLargeError(
    `${request.method} ${pathOf(request.url)}: the response body is larger than maxResponseBytes (${maxBytes} bytes)`,
    maxBytes,
    { request, response },
  );
}
