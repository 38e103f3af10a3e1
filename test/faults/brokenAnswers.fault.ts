import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { ConnectionError, DigitalOceanClient, InternalServerError, isRestError, ResponseParseError, TimeoutError } from "../../src/index.js";
import { n, scenario, type Row } from "./results.js";
import { activeTimers, eventually, httpServer, netServer, type RawServer } from "./servers.js";

const GROUP = "Broken answers";
const TIMEOUT_IN_MS = 300;
const MAX_RETRIES = 2;

describe("fault suite: broken answers", () => {
  let server: RawServer | undefined;
  afterEach(() => server?.close());

  const client = (url: string): DigitalOceanClient =>
    new DigitalOceanClient("t", { endpoint: url, allowInsecureConnection: true, timeoutInMs: TIMEOUT_IN_MS, retryOptions: { maxRetries: MAX_RETRIES, retryDelayInMs: 1 } });

  /**
   * Calls droplets.get against `server`; checks the rejection's class and that no connection is
   * left open — except, after a complete answer, the one idle keep-alive socket the client pools.
   */
  const expectFailure = async (row: Row, faults: string, errorClass: new (...args: never[]) => Error, attempts: number, complete = false): Promise<Error> => {
    const started = Date.now();
    const error = await client(server!.url).droplets.get(1).then(() => undefined, (e: unknown) => e as Error);
    const elapsedMs = Date.now() - started;
    assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${String(error)}`);
    assert.equal(server!.received(), attempts, "attempts");
    await eventually(() => server!.open() <= (complete ? 1 : 0), 1000, "the client closes its connections");
    row.requests = server!.received();
    row.faults = faults;
    row.figure = `${error.name} after ${elapsedMs} ms (${attempts} attempt${attempts === 1 ? "" : "s"}); message ${error.message.length} chars; ${complete ? "1 idle keep-alive connection" : "0 connections"} left`;
    return error;
  };

  const answer = (status: number, contentType: string, body: string) => (response: ServerResponse) =>
    response.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body) }).end(body);

  scenario(GROUP, "malformed JSON (200): ResponseParseError with a short excerpt, not retried", async (row) => {
    server = await httpServer((_q, response) => answer(200, "application/json", '{"droplet": {"id": 1, "na')(response));
    const error = (await expectFailure(row, "1 malformed 200", ResponseParseError, 1, true)) as ResponseParseError;
    assert.ok(error.excerpt.length <= 200);
  });

  scenario(GROUP, "truncated body (content-length 1,000, 100 bytes sent, then closed): ConnectionError after the GET's retries", async (row) => {
    server = await httpServer((_q, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": 1000 });
      response.write(`{"droplet": {"name": "${"x".repeat(80)}`);
      setTimeout(() => response.socket?.destroy(), 5);
    });
    await expectFailure(row, `${MAX_RETRIES + 1} truncated bodies`, ConnectionError, MAX_RETRIES + 1);
  });

  scenario(GROUP, "HTML 502 from a proxy: InternalServerError (status 502, message without the page) after the GET's retries", async (row) => {
    const page = `<html><head><title>502 Bad Gateway</title></head><body>${"<p>upstream</p>".repeat(500)}</body></html>`;
    server = await httpServer((_q, response) => answer(502, "text/html", page)(response));
    const error = (await expectFailure(row, `${MAX_RETRIES + 1} × HTML 502 (${n(page.length)} bytes)`, InternalServerError, MAX_RETRIES + 1, true)) as InternalServerError;
    assert.equal(error.statusCode, 502);
    assert.ok(!error.message.includes("<html>") && error.message.length < 200, error.message);
  });

  scenario(GROUP, "empty 200 where JSON is declared: ResponseParseError, not undefined", async (row) => {
    server = await httpServer((_q, response) => answer(200, "application/json", "")(response));
    await expectFailure(row, "1 empty 200", ResponseParseError, 1, true);
  });

  scenario(GROUP, "a 50 MB JSON answer is read whole, once", async (row) => {
    const body = JSON.stringify({ droplet: { id: 1, name: "big", user_data: "x".repeat(50 * 2 ** 20) } });
    server = await httpServer((_q, response) => answer(200, "application/json", body)(response));
    const started = Date.now();
    const result = await new DigitalOceanClient("t", { endpoint: server.url, allowInsecureConnection: true, timeoutInMs: 60_000 }).droplets.get(1);
    const elapsedMs = Date.now() - started;
    assert.equal((result.droplet as unknown as { user_data: string }).user_data.length, 50 * 2 ** 20);
    assert.equal(server.received(), 1);
    row.requests = 1;
    row.faults = `one ${n(Math.round(body.length / 2 ** 20))} MB answer`;
    row.figure = `parsed in ${elapsedMs} ms`;
  }, { timeoutInMs: 60_000 });

  scenario(GROUP, "a 70 MB JSON answer, over the default body cap: a typed error, no crash", async (row) => {
    const body = JSON.stringify({ droplet: { id: 1, user_data: "x".repeat(70 * 2 ** 20) } });
    server = await httpServer((_q, response) => answer(200, "application/json", body)(response));
    const error = await new DigitalOceanClient("t", { endpoint: server.url, allowInsecureConnection: true, timeoutInMs: 60_000 })
      .droplets.get(1)
      .then(() => undefined, (e: unknown) => e);
    assert.ok(isRestError(error), `rejects with a tsdo error (got ${String(error)})`);
    row.requests = server.received();
    row.faults = "one 70 MB answer";
    row.figure = `${(error as Error).name}`;
  }, { timeoutInMs: 60_000 });

  scenario(GROUP, "a binary GET cut mid-body is retried like a JSON GET", async (row) => {
    server = await httpServer((_q, response, index) => {
      if (index > 0) return answer(200, "application/pdf", "%PDF-1.7 whole")(response);
      response.writeHead(200, { "content-type": "application/pdf", "content-length": 1000 });
      response.write("%PDF-1.7 half");
      setTimeout(() => response.socket?.destroy(), 5);
    });
    const pdf = await client(server.url).invoices.getPdfByUUID("u");
    assert.equal(Buffer.from(pdf).toString(), "%PDF-1.7 whole");
    row.requests = server.received();
    row.faults = "1 binary body cut mid-way";
    row.figure = `whole after ${server.received()} attempts`;
  });

  scenario(GROUP, "a throwing onResponse on a streamed (SSE) answer leaves no socket or timer behind", async (row) => {
    // Downloads are read whole inside the retry policy; an SSE stream is the answer handed over unread.
    server = await httpServer((_q, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("data: {}\n\n"); // and never more: only the client can end it
    });
    const timersBefore = activeTimers();
    // The default timeout (60 s): the short one of the other scenarios would hide a forgotten stream.
    const defaults = new DigitalOceanClient("t", { endpoint: server.url, inferenceEndpoint: `${server.url}/inference`, inferenceKey: "k", allowInsecureConnection: true });
    await assert.rejects(
      defaults.inference.createChatCompletion({ model: "m", messages: [], stream: true } as never, {
        onResponse: () => {
          throw new Error("callback failed");
        },
      }),
      /callback failed/,
    );
    await eventually(() => server!.open() === 0, 1000, "the streamed socket is released");
    await eventually(() => activeTimers() <= timersBefore, 200, "the attempt's timer is cleared");
    row.requests = server.received();
    row.faults = "onResponse throws on a never-ending SSE answer";
    row.figure = "0 connections, 0 timers left";
  });

  scenario(GROUP, "never-ending body (a byte every 10 ms): TimeoutError per attempt, then the last one; nothing left open", async (row) => {
    server = await httpServer((_q, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"droplet": {"name": "');
      const drip = setInterval(() => response.write("x"), 10);
      response.on("close", () => clearInterval(drip));
    });
    await expectFailure(row, `${MAX_RETRIES + 1} bodies that never end`, TimeoutError, MAX_RETRIES + 1);
  });

  scenario(GROUP, "silent server (accepts, reads, never answers): TimeoutError per attempt; nothing left open", async (row) => {
    const sockets: Socket[] = [];
    server = await netServer((socket) => {
      sockets.push(socket);
      socket.resume();
    });
    await expectFailure(row, `${MAX_RETRIES + 1} silent connections`, TimeoutError, MAX_RETRIES + 1);
    assert.ok(sockets.every((socket) => socket.destroyed || socket.readableEnded));
  });

  scenario(GROUP, "connection closed before any answer: ConnectionError after the GET's retries", async (row) => {
    server = await netServer((socket) => socket.once("data", () => socket.destroy()));
    await expectFailure(row, `${MAX_RETRIES + 1} connections closed unanswered`, ConnectionError, MAX_RETRIES + 1);
  });
});
