import { AzureKeyCredential } from "@azure/core-auth";
import { createDefaultHttpClient, createHttpHeaders, createPipelineRequest, type HttpClient, type HttpMethods, type Pipeline, type PipelinePolicy, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { AzureLogger, getLogLevel, setLogLevel, type AzureLogLevel } from "@azure/logger";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { format } from "node:util";
import { createTsdoPipeline, type TsdoPipelineOptions } from "../../../src/pipeline/createPipeline.js";
import { NodeHttpClient } from "../../../src/pipeline/nodeHttpClient.js";
import { UndiciHttpClient } from "../../../src/undici/index.js";

/** A fake DigitalOcean token, recognisable in any output it leaks into. */
export const TOKEN = "dop_v1_0123456789abcdefSECRETTOKENfedcba9876543210";

export interface TestServer {
  readonly url: string;
  readonly port: number;
  /** Every request the server received, in order. */
  readonly requests: IncomingMessage[];
  close(): Promise<void>;
}

/** A loopback HTTP server on 127.0.0.1 with an ephemeral port: where nock cannot fake sockets (resets, stalls). */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse, index: number) => void,
  host = "127.0.0.1",
): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req);
    handler(req, res, requests.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Keep-alive sockets (and deliberately stalled responses) would hold close() open.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port that nothing listens on: bound once, then released. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The transports the policies must work over: tsdo's default client, tsdo/undici's, and core's
 * (which users may pass as `httpClient`). Each is one keep-alive client shared by the tests, as a tsdo client shares one.
 */
const transports: ReadonlyArray<readonly [string, HttpClient]> = [
  ["tsdo's NodeHttpClient", new NodeHttpClient()],
  ["tsdo's UndiciHttpClient", new UndiciHttpClient()],
  ["core's default client", createDefaultHttpClient()],
];

/** The client `send` uses: tsdo's by default, each in turn inside `forEachTransport`. */
let httpClient: HttpClient = transports[0]![1];

/** Runs a suite once per transport. */
export function forEachTransport(suite: () => void): void {
  for (const [name, client] of transports) {
    describe(`over ${name}`, () => {
      before(() => {
        httpClient = client;
      });
      after(() => {
        httpClient = transports[0]![1];
      });
      suite();
    });
  }
}

/** tsdo's pipeline aimed at a loopback endpoint, with fast retries. */
export function testPipeline(endpoint: string, options: Partial<TsdoPipelineOptions> = {}): Pipeline {
  return createTsdoPipeline({
    credential: new AzureKeyCredential(TOKEN),
    endpoint,
    allowInsecureConnection: true,
    // The policies are tested alone: the rate limiter (its own suites) would hold a token's calls after a 429.
    rateLimitOptions: { enabled: false },
    ...options,
    retryOptions: { retryDelayInMs: 10, ...options.retryOptions },
  });
}

export interface RequestInit {
  method?: HttpMethods;
  body?: string;
  headers?: Record<string, string>;
  abortSignal?: AbortSignal;
  timeout?: number;
  stream?: number[];
}

export function request(url: string, init: RequestInit = {}): PipelineRequest {
  const request = createPipelineRequest({
    url,
    method: init.method ?? "GET",
    headers: createHttpHeaders(init.headers),
    body: init.body,
    abortSignal: init.abortSignal,
    timeout: init.timeout,
  });
  if (init.stream) request.streamResponseStatusCodes = new Set(init.stream);
  return request;
}

export function send(pipeline: Pipeline, req: PipelineRequest): Promise<PipelineResponse> {
  return pipeline.sendRequest(httpClient, req);
}

/** Rejects with whatever `promise` rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error("expected a rejection, but the promise resolved");
}

/** A per-attempt policy that counts what reaches the transport, and keeps every response it sees. */
export function attemptRecorder(): { policy: PipelinePolicy; attempts: PipelineRequest[]; responses: PipelineResponse[] } {
  const attempts: PipelineRequest[] = [];
  const responses: PipelineResponse[] = [];
  const policy: PipelinePolicy = {
    name: "test-attempt-recorder",
    async sendRequest(req, next) {
      attempts.push(req);
      const response = await next(req);
      responses.push(response);
      return response;
    },
  };
  return { policy, attempts, responses };
}

/** Captures `@azure/logger` output at `level`; `restore()` puts the previous level and sink back. */
export function captureLogs(level: AzureLogLevel | undefined): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const previousLevel = getLogLevel();
  const previousLog = AzureLogger.log;
  // util.format is what the default sink applies too: objects are expanded, nothing is hidden.
  AzureLogger.log = (...args: unknown[]) => {
    lines.push(format(...args));
  };
  setLogLevel(level);
  return {
    lines,
    restore() {
      setLogLevel(previousLevel);
      AzureLogger.log = previousLog;
    },
  };
}

/** Reads a Node stream to a string. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream as AsyncIterable<Buffer | string>) text += chunk.toString();
  return text;
}

type TimerCallback = (...args: unknown[]) => void;

/**
 * Watches the timers created while it is installed whose delay matches `matches` (so the test's
 * own timers and Node's internal ones are ignored): `live()` counts those neither fired nor cleared.
 */
export function trackTimers(matches: (delayInMs: number) => boolean): { created(): number; live(): number; restore(): void } {
  const realSetTimeout = globalThis.setTimeout;
  const realClearTimeout = globalThis.clearTimeout;
  const live = new Set<unknown>();
  let created = 0;
  const trackingSetTimeout = (callback: TimerCallback, delayInMs?: number, ...args: unknown[]): NodeJS.Timeout => {
    if (delayInMs === undefined || !matches(delayInMs)) return realSetTimeout(callback, delayInMs, ...args);
    created++;
    const timer = realSetTimeout(
      (...callbackArgs: unknown[]) => {
        live.delete(timer);
        callback(...callbackArgs);
      },
      delayInMs,
      ...args,
    );
    live.add(timer);
    return timer;
  };
  const trackingClearTimeout = (timer?: NodeJS.Timeout | string | number): void => {
    live.delete(timer);
    realClearTimeout(timer);
  };
  globalThis.setTimeout = trackingSetTimeout as unknown as typeof setTimeout;
  globalThis.clearTimeout = trackingClearTimeout as typeof clearTimeout;
  return {
    created: () => created,
    live: () => live.size,
    restore() {
      globalThis.setTimeout = realSetTimeout;
      globalThis.clearTimeout = realClearTimeout;
    },
  };
}
