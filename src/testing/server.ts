import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { errorIdFor, FakeApiError } from "./errors.js";
import type { AfterFault, FaultInjector } from "./faults.js";
import type { RateLimiter, RateLimitReading } from "./rateLimit.js";
import type { FakeRequest, FakeResponse, Route, World } from "./route.js";
import type { Router } from "./router.js";

/** What the server needs from the fake it serves. */
export interface ServerParts {
  readonly router: Router;
  readonly world: World;
  readonly faults: FaultInjector;
  readonly rateLimiter: RateLimiter;
  /**
   * The fake's time: the rate-limit window counts on it, so a virtual minute is a minute. Each
   * request is tracked on it from arrival to its answer's end, so a virtual clock waits for it.
   */
  readonly clock: { now(): number; track(work: Promise<unknown>): unknown };
  /**
   * Which bearer token each part of the URL space wants, most specific prefix first: the inference
   * and agent hosts are played under their own prefixes, with their own keys.
   */
  readonly credentials: readonly ScopedCredential[];
  /** Called each time an operation's handler really runs. */
  readonly onExecute: (operationId: string) => void;
}

/** A bearer token wanted under a path prefix, optionally only for operations whose id starts with `operationPrefix`. */
export interface ScopedCredential {
  readonly prefix: string;
  readonly token: string;
  readonly operationPrefix?: string;
}

/** An answer ready to write: status, the body's bytes and their type. */
interface Answer {
  status: number;
  body: string | undefined;
  contentType: string | undefined;
  retryAfterSeconds?: number;
}

/**
 * The HTTP side of the fake, on `node:http` only. Each request goes through the same steps as on
 * DigitalOcean's edge, in this order: read the body, fault latency, "before" faults, rate limit,
 * authentication, routing, JSON parsing, the operation, "after" faults. Every socket and timer is
 * tracked so `close()` leaves nothing that keeps the process alive.
 */
export class FakeServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly parts: ServerParts) {
    this.server = createServer((request, response) => {
      // Served until the answer is written or the connection drops (a hung answer: the clock's own limit ends its wait).
      this.parts.clock.track(new Promise((resolve) => response.once("close", resolve)));
      this.handle(request, response).catch((error: unknown) => {
        // Reaching here is a bug in the fake; answer it rather than leave the client hanging.
        if (!response.headersSent) {
          const requestId = randomUUID();
          this.writeAnswer(response, requestId, this.parts.rateLimiter.peek(), errorAnswer(500, `The fake failed: ${String(error)}`, requestId));
        } else {
          response.destroy();
        }
      });
    });
    // Idle keep-alive connections stay open long enough that a client pausing between calls (a
    // test stepping through a scenario) reuses them instead of racing the server's close.
    this.server.keepAliveTimeout = 30_000;
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  /** Starts listening; resolves with the base URL, e.g. `http://127.0.0.1:54321`. */
  async listen(host: string, port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  }

  /** Stops listening, drops every connection (stalled answers included) and cancels every timer. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const rawBody = await readBody(request);
    const url = new URL(request.url ?? "/", `http://${request.headers.host ?? "127.0.0.1"}`);
    const scope = this.parts.credentials.find(({ prefix }) => prefix === "" || url.pathname.startsWith(`${prefix}/`))!;
    const path = url.pathname.slice(scope.prefix.length).replace(/\/+$/, "") || "/";
    const routed = this.parts.router.match(request.method ?? "GET", path);
    // Under a host's prefix only that host's operations exist.
    const match = routed && (scope.operationPrefix === undefined || routed.route.operationId.startsWith(scope.operationPrefix)) ? routed : undefined;
    const operationId = match?.route.operationId;

    const latency = this.parts.faults.takeLatency(operationId);
    if (latency > 0) await this.sleep(latency);

    const before = this.parts.faults.takeBefore(operationId);
    if (before?.kind === "reset") {
      request.socket.resetAndDestroy();
      return;
    }
    if (before?.kind === "fail") {
      this.writeAnswer(response, requestId, this.parts.rateLimiter.peek(), errorAnswer(before.status, "Injected failure.", requestId));
      return;
    }
    if (before?.kind === "rateLimit") {
      // As DigitalOcean's own 429s do, the headers say the window is spent until retry-after has passed.
      const { limit } = this.parts.rateLimiter.peek();
      const resetAt = Math.ceil(Date.now() / 1000) + before.retryAfterSeconds;
      this.writeAnswer(response, requestId, { limit, remaining: 0, resetAt }, tooManyRequests(requestId, before.retryAfterSeconds));
      return;
    }

    const rate = this.parts.rateLimiter.take({ method: request.method ?? "GET", path, body: rawBody }, this.parts.clock.now());
    if (rate.retryAfterSeconds !== undefined) {
      this.writeAnswer(response, requestId, rate, tooManyRequests(requestId, rate.retryAfterSeconds));
      return;
    }
    if (request.headers.authorization !== `Bearer ${scope.token}`) {
      this.writeAnswer(response, requestId, rate, errorAnswer(401, "Unable to authenticate you.", requestId));
      return;
    }
    if (!match) {
      this.writeAnswer(response, requestId, rate, errorAnswer(404, "The resource you were accessing could not be found.", requestId));
      return;
    }
    const body = parseJson(rawBody);
    if (body === invalidJson) {
      this.writeAnswer(response, requestId, rate, errorAnswer(400, "The request body is not valid JSON.", requestId));
      return;
    }

    const fakeRequest: FakeRequest = {
      operationId: match.route.operationId,
      method: match.route.method,
      url,
      params: match.params,
      query: url.searchParams,
      headers: request.headers,
      body,
    };
    this.parts.onExecute(match.route.operationId);
    const answer = this.run(match.route, fakeRequest, requestId);

    const after = this.parts.faults.takeAfter(operationId);
    if (after?.kind === "reset") {
      request.socket.resetAndDestroy();
      return;
    }
    // Left unanswered: the client's timeout ends it, or close() drops the socket.
    if (after?.kind === "hang") return;
    if (after?.kind === "fail") {
      this.writeAnswer(response, requestId, rate, errorAnswer(after.status, "Injected failure after processing.", requestId));
      return;
    }
    this.writeAnswer(response, requestId, rate, answer, after);
  }

  private run(route: Route, request: FakeRequest, requestId: string): Answer {
    let result: FakeResponse;
    try {
      result = route.handle(request, this.parts.world);
    } catch (error) {
      if (error instanceof FakeApiError) return errorAnswer(error.status, error.message, requestId, error.id);
      throw error;
    }
    if (result.body === undefined) return { status: result.status, body: undefined, contentType: undefined };
    if (result.contentType !== undefined && !result.contentType.includes("json")) {
      return { status: result.status, body: String(result.body), contentType: result.contentType };
    }
    return { status: result.status, body: JSON.stringify(result.body), contentType: result.contentType ?? "application/json; charset=utf-8" };
  }

  private writeAnswer(
    response: ServerResponse,
    requestId: string,
    rate: RateLimitReading,
    answer: Answer,
    fault?: Extract<AfterFault, { kind: "stall" | "malformed" }>,
  ): void {
    let { status, body } = answer;
    if (fault?.kind === "malformed") {
      // Cut the JSON in half so it cannot parse; a bodiless answer gets a fragment (and a 200, since 204 has no body).
      body = body === undefined ? '{"' : body.slice(0, Math.max(1, Math.floor(body.length / 2)));
      if (status === 204) status = 200;
    }
    const headers: Record<string, string | number> = {
      "x-request-id": requestId,
      "ratelimit-limit": rate.limit,
      "ratelimit-remaining": rate.remaining,
      "ratelimit-reset": rate.resetAt,
    };
    if (answer.retryAfterSeconds !== undefined) headers["retry-after"] = answer.retryAfterSeconds;
    if (body !== undefined) {
      headers["content-type"] = answer.contentType ?? "application/json; charset=utf-8";
      headers["content-length"] = Buffer.byteLength(body);
    }
    response.writeHead(status, headers);
    if (fault?.kind === "stall" && body !== undefined) {
      const half = Buffer.from(body).subarray(0, Math.floor(Buffer.byteLength(body) / 2));
      response.write(half);
      if (fault.forMs !== undefined) {
        const rest = Buffer.from(body).subarray(half.length);
        this.later(fault.forMs, () => response.end(rest));
      }
      return;
    }
    response.end(body);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.later(ms, resolve));
  }

  private later(ms: number, callback: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      callback();
    }, ms);
    this.timers.add(timer);
  }
}

function errorAnswer(status: number, message: string, requestId: string, id: string = errorIdFor(status)): Answer {
  return {
    status,
    body: JSON.stringify({ id, message, request_id: requestId }),
    contentType: "application/json; charset=utf-8",
  };
}

function tooManyRequests(requestId: string, retryAfterSeconds: number): Answer {
  return { ...errorAnswer(429, "Too many requests, please slow down.", requestId), retryAfterSeconds };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

const invalidJson: unique symbol = Symbol("invalid JSON");

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return invalidJson;
  }
}
