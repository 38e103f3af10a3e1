import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { AbortError, ConnectionError, RateLimitError, TimeoutError } from "../../../src/core/errors.js";
import { attemptRecorder, readAll, rejection, request, send, startServer, testPipeline, unusedPort, trackTimers, type TestServer, forEachTransport } from "./support.js";

/** Answers each request with the next status of `statuses` (the last one repeats). */
function statusSequence(statuses: number[], headers: Record<string, string> = {}): (req: unknown, res: ServerResponse, index: number) => void {
  return (_req, res, index) => {
    const status = statuses[Math.min(index, statuses.length - 1)] as number;
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify({ id: status === 200 ? undefined : "error", message: `status ${status}` }));
  };
}

describe("retryPolicy", () =>
  forEachTransport(() => {
  const servers: TestServer[] = [];
  async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
    const server = await startServer(handler);
    servers.push(server);
    return server;
  }
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  describe("POST and PATCH (not idempotent)", () => {
    it("sends a POST answered 503 exactly once and returns the 503", async () => {
      const server = await serve(statusSequence([503, 200]));
      const response = await send(testPipeline(server.url), request(`${server.url}/v2/droplets`, { method: "POST", body: "{}" }));
      assert.equal(response.status, 503);
      assert.equal(server.requests.length, 1);
    });

    it("sends a PATCH answered 500 exactly once", async () => {
      const server = await serve(statusSequence([500, 200]));
      const response = await send(testPipeline(server.url), request(`${server.url}/v2/apps/1`, { method: "PATCH", body: "{}" }));
      assert.equal(response.status, 500);
      assert.equal(server.requests.length, 1);
    });

    it("sends a POST whose connection is reset exactly once", async () => {
      const server = await serve((req) => req.socket.destroy());
      const error = await rejection(send(testPipeline(server.url), request(`${server.url}/v2/droplets`, { method: "POST", body: "{}" })));
      assert.ok(error instanceof ConnectionError, `got ${error.name}: ${error.message}`);
      assert.equal(error.systemCode, "ECONNRESET");
      assert.equal(server.requests.length, 1);
    });

    it("does not retry a POST that timed out", async () => {
      const server = await serve(() => undefined); // never answers
      const error = await rejection(
        send(testPipeline(server.url, { timeoutInMs: 100 }), request(`${server.url}/v2/droplets`, { method: "POST", body: "{}" })),
      );
      assert.ok(error instanceof TimeoutError, `got ${error.name}`);
      assert.equal(server.requests.length, 1);
    });

    it("retries a POST refused at connect (it never reached a server)", async () => {
      const port = await unusedPort();
      const url = `http://127.0.0.1:${port}`;
      const recorder = attemptRecorder();
      const pipeline = testPipeline(url, { additionalPolicies: [{ policy: recorder.policy, position: "perRetry" }] });
      const error = await rejection(send(pipeline, request(`${url}/v2/droplets`, { method: "POST", body: "{}" })));
      assert.ok(error instanceof ConnectionError, `got ${error.name}: ${error.message}`);
      assert.equal(error.systemCode, "ECONNREFUSED");
      assert.equal(recorder.attempts.length, 4, "1 attempt + 3 retries");
    });

    it("retries a POST answered 429", async () => {
      const server = await serve(statusSequence([429, 201]));
      const response = await send(testPipeline(server.url), request(`${server.url}/v2/droplets`, { method: "POST", body: "{}" }));
      assert.equal(response.status, 201);
      assert.equal(server.requests.length, 2);
    });
  });

  describe("idempotent methods", () => {
    it("GET answered 503, 503, 200 succeeds after exactly 3 requests", async () => {
      const server = await serve(statusSequence([503, 503, 200]));
      const response = await send(testPipeline(server.url), request(`${server.url}/v2/droplets`));
      assert.equal(response.status, 200);
      assert.equal(server.requests.length, 3);
    });

    for (const status of [408, 500, 502, 504]) {
      it(`retries a DELETE answered ${status}`, async () => {
        const server = await serve(statusSequence([status, 204]));
        const response = await send(testPipeline(server.url), request(`${server.url}/v2/droplets/1`, { method: "DELETE" }));
        assert.equal(response.status, 204);
        assert.equal(server.requests.length, 2);
      });
    }

    it("does not retry other statuses (404, 501)", async () => {
      for (const status of [404, 501]) {
        const server = await serve(statusSequence([status, 200]));
        const response = await send(testPipeline(server.url), request(`${server.url}/v2/droplets/1`));
        assert.equal(response.status, status);
        assert.equal(server.requests.length, 1);
      }
    });

    it("returns the last response once retries are exhausted on a retryable status", async () => {
      const server = await serve(statusSequence([503]));
      const response = await send(testPipeline(server.url, { retryOptions: { maxRetries: 2 } }), request(`${server.url}/v2/droplets`));
      assert.equal(response.status, 503);
      assert.equal(server.requests.length, 3);
    });

    it("retries a GET whose connection is reset", async () => {
      const server = await serve((req, res, index) => (index === 0 ? req.socket.destroy() : res.end("{}")));
      const response = await send(testPipeline(server.url), request(`${server.url}/v2/droplets`));
      assert.equal(response.status, 200);
      assert.equal(server.requests.length, 2);
    });

    it("retries a GET whose connection drops mid-body", async () => {
      const server = await serve((req, res, index) => {
        if (index > 0) return void res.end('{"ok":true}');
        res.writeHead(200, { "content-length": "100" });
        res.write('{"partial":');
        setTimeout(() => req.socket.destroy(), 20);
      });
      const response = await send(testPipeline(server.url), request(`${server.url}/v2/droplets`));
      assert.equal(response.bodyAsText, '{"ok":true}');
      assert.equal(server.requests.length, 2);
    });

    it("retries a GET whose attempt timed out", async () => {
      const server = await serve((_req, res, index) => (index === 0 ? undefined : res.end("{}")));
      const response = await send(testPipeline(server.url, { timeoutInMs: 100 }), request(`${server.url}/v2/droplets`));
      assert.equal(response.status, 200);
      assert.equal(server.requests.length, 2);
    });

    it("does not retry a request whose body was a stream (it cannot be sent again)", async () => {
      const server = await serve(statusSequence([503, 200]));
      const req = request(`${server.url}/v2/spaces/object`, { method: "PUT" });
      req.body = Readable.from([Buffer.from("chunk")]);
      const response = await send(testPipeline(server.url), req);
      assert.equal(response.status, 503);
      assert.equal(server.requests.length, 1);
    });

    it("rethrows the last error once retries are exhausted", async () => {
      const server = await serve((req) => req.socket.destroy());
      const error = await rejection(send(testPipeline(server.url, { retryOptions: { maxRetries: 1 } }), request(`${server.url}/v2/droplets`)));
      assert.ok(error instanceof ConnectionError);
      assert.equal(server.requests.length, 2);
    });

    it("destroys a retried response's streamed body before retrying", async () => {
      const server = await serve(statusSequence([503, 200]));
      const recorder = attemptRecorder();
      const pipeline = testPipeline(server.url, { additionalPolicies: [{ policy: recorder.policy, position: "perRetry" }] });
      const response = await send(pipeline, request(`${server.url}/v2/droplets`, { stream: [200, 503] }));
      assert.equal(response.status, 200);
      assert.equal(recorder.responses.length, 2);
      const discarded = recorder.responses[0]?.readableStreamBody as unknown as { destroyed: boolean };
      assert.equal(discarded.destroyed, true);
      assert.ok(response.readableStreamBody);
      assert.match(await readAll(response.readableStreamBody), /status 200/);
    });
  });

  describe("429", () => {
    it("waits retry-after seconds", async () => {
      const arrivals: number[] = [];
      const server = await serve((req, res, index) => {
        arrivals.push(Date.now());
        statusSequence([429, 200], { "retry-after": "1" })(req, res, index);
      });
      const response = await send(testPipeline(server.url), request(`${server.url}/v2/droplets`));
      assert.equal(response.status, 200);
      assert.equal(arrivals.length, 2);
      const waited = (arrivals[1] as number) - (arrivals[0] as number);
      assert.ok(waited >= 990, `waited only ${waited} ms`);
      assert.ok(waited < 3000, `waited ${waited} ms`);
    });

    it("waits until ratelimit-reset when there is no retry-after", async () => {
      // A reset at least 300 ms ahead: far longer than the 10 ms backoff this test pipeline would use otherwise.
      const reset = Math.ceil((Date.now() + 300) / 1000);
      const arrivals: number[] = [];
      const server = await serve((req, res, index) => {
        arrivals.push(Date.now());
        statusSequence([429, 200], { "ratelimit-reset": String(reset), "ratelimit-limit": "5000", "ratelimit-remaining": "0" })(req, res, index);
      });
      const response = await send(testPipeline(server.url), request(`${server.url}/v2/droplets`));
      assert.equal(response.status, 200);
      assert.ok((arrivals[1] as number) >= reset * 1000 - 5, `retried ${reset * 1000 - (arrivals[1] as number)} ms before the reset`);
    });

    it("throws RateLimitError at once when retry-after exceeds maxRetryDelayInMs", async () => {
      const server = await serve(statusSequence([429, 200], { "retry-after": "120" }));
      const started = Date.now();
      const error = await rejection(send(testPipeline(server.url), request(`${server.url}/v2/droplets`)));
      assert.ok(Date.now() - started < 500, "did not fail at once");
      assert.ok(error instanceof RateLimitError, `got ${error.name}`);
      assert.equal(error.statusCode, 429);
      assert.equal(error.retryAfterInMs, 120_000);
      assert.equal(server.requests.length, 1);
    });

    it("throws RateLimitError at once when ratelimit-reset is further away than maxRetryDelayInMs", async () => {
      const reset = Math.floor(Date.now() / 1000) + 3600;
      const server = await serve(statusSequence([429, 200], { "ratelimit-reset": String(reset) }));
      const error = await rejection(send(testPipeline(server.url, { retryOptions: { maxRetryDelayInMs: 5000 } }), request(`${server.url}/v2/droplets`)));
      assert.ok(error instanceof RateLimitError, `got ${error.name}`);
      assert.ok((error.retryAfterInMs ?? 0) > 3_500_000);
      assert.equal(server.requests.length, 1);
    });

    it("backs off when the 429 says nothing, and returns the 429 when retries run out", async () => {
      const server = await serve(statusSequence([429]));
      const response = await send(testPipeline(server.url, { retryOptions: { maxRetries: 2 } }), request(`${server.url}/v2/droplets`));
      assert.equal(response.status, 429);
      assert.equal(server.requests.length, 3);
    });
  });

  describe("abort", () => {
    it("an abort during a retry wait rejects promptly with AbortError and leaves no timer", async () => {
      const controller = new AbortController();
      let abortedAt = 0;
      const server = await serve((req, res, index) => {
        statusSequence([503])(req, res, index);
        setTimeout(() => {
          abortedAt = Date.now();
          controller.abort();
        }, 50);
      });
      // A 10 s base delay: the policy is certainly waiting (5 to 10 s) when the abort comes.
      const pipeline = testPipeline(server.url, { retryOptions: { retryDelayInMs: 10_000 } });
      const timers = trackTimers((delayInMs) => delayInMs >= 5000 && delayInMs <= 10_000);
      let error: Error;
      try {
        error = await rejection(send(pipeline, request(`${server.url}/v2/droplets`, { abortSignal: controller.signal })));
      } finally {
        timers.restore();
      }
      const lag = Date.now() - abortedAt;
      assert.ok(error instanceof AbortError, `got ${error.name}`);
      // Promptly: far below the 10 s wait it cut short (generous for a loaded 2-core CI machine).
      assert.ok(lag < 500, `rejected ${lag} ms after the abort`);
      assert.equal(server.requests.length, 1);
      assert.equal(timers.created(), 1, "the retry wait's timer");
      assert.equal(timers.live(), 0, "the retry wait's timer was left running");
    });
  });
}));
