import assert from "node:assert/strict";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { getEventListeners } from "node:events";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { AbortError, DigitalOceanClient, type DigitalOceanClientOptions } from "../../src/index.js";
import { scenario, type Row } from "./results.js";
import { activeTimers, eventually, httpServer, json, type RawServer } from "./servers.js";

const GROUP = "Cancellation";
/** How soon after `abort()` the call must reject. */
const WITHIN_MS = 50;

describe("fault suite: cancellation at every stage", () => {
  let server: RawServer | undefined;
  afterEach(() => server?.close());

  const clientOf = (options: DigitalOceanClientOptions = {}, credential: string | TokenCredential = "t"): DigitalOceanClient =>
    new DigitalOceanClient(credential, { endpoint: server!.url, allowInsecureConnection: true, retryOptions: { retryDelayInMs: 60_000 }, ...options });

  /**
   * Starts the call, aborts it once `reached` resolves (the stage under test), and checks: it
   * rejects with AbortError within WITHIN_MS, no listener stays on the signal, no timer outlives
   * it, and no connection stays open (but the idle keep-alive one a complete answer leaves pooled).
   */
  const cancel = async (row: Row, stage: string, reached: Promise<void>, start: (signal: AbortSignal) => Promise<unknown>, idleAllowed = 0): Promise<void> => {
    const timersBefore = activeTimers();
    const controller = new AbortController();
    const call = start(controller.signal).then(
      () => assert.fail("the call resolved"),
      (error: unknown) => error,
    );
    await reached;
    const abortedAt = performance.now();
    controller.abort();
    // Bounded, so a call that never rejects fails the scenario instead of mocha's timeout.
    const error = await Promise.race([call, new Promise((resolve) => setTimeout(resolve, 1000, new Error("did not reject within 1 s of abort()")).unref())]);
    const elapsedMs = performance.now() - abortedAt;
    assert.ok(error instanceof AbortError || (error as Error).name === "AbortError", `rejects with AbortError (got ${String(error)})`);
    assert.ok(elapsedMs < WITHIN_MS, `rejected ${elapsedMs.toFixed(1)} ms after abort()`);
    assert.equal(getEventListeners(controller.signal, "abort").length, 0, "listeners left on the signal");
    await eventually(() => activeTimers() <= timersBefore, 200, "no timer outlives the call");
    await eventually(() => server!.open() <= idleAllowed, 500, "no connection left open");
    row.requests = server!.received();
    row.faults = `abort during ${stage}`;
    row.figure = `AbortError ${elapsedMs.toFixed(1)} ms after abort(); 0 listeners, 0 timers, ${idleAllowed ? "≤ 1 idle keep-alive connection" : "0 connections"} left`;
  };

  /** A promise and the function that resolves it. */
  const signalled = (): [Promise<void>, () => void] => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return [promise, resolve];
  };

  scenario(GROUP, "while connecting (the socket exists, the connection is not up)", async (row) => {
    server = await httpServer((_q, response) => json(response, 200, {}));
    const [reached, reach] = signalled();
    const onSocket = (): void => reach();
    subscribe("net.client.socket", onSocket);
    try {
      await cancel(row, "connect", reached, (abortSignal) => clientOf().account.get({ abortSignal }));
    } finally {
      unsubscribe("net.client.socket", onSocket);
    }
  });

  scenario(GROUP, "waiting for the answer's headers", async (row) => {
    const [reached, reach] = signalled();
    server = await httpServer(() => reach());
    await cancel(row, "headers", reached, (abortSignal) => clientOf().account.get({ abortSignal }));
  });

  scenario(GROUP, "while the body arrives (half sent, then a stall)", async (row) => {
    const [reached, reach] = signalled();
    server = await httpServer((_q, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": 100 });
      response.write('{"account": {"email": "');
      setTimeout(reach, 10);
    });
    await cancel(row, "body", reached, (abortSignal) => clientOf().account.get({ abortSignal }));
  });

  scenario(GROUP, "during a retry wait (503, then a 60 s backoff)", async (row) => {
    const [reached, reach] = signalled();
    server = await httpServer((_q, response) => {
      json(response, 503, { id: "service_unavailable", message: "later" });
      setTimeout(reach, 10);
    });
    await cancel(row, "retry wait", reached, (abortSignal) => clientOf().account.get({ abortSignal }), 1);
  });

  scenario(GROUP, "while a TokenCredential fetches the token", async (row) => {
    server = await httpServer((_q, response) => json(response, 200, {}));
    const [reached, reach] = signalled();
    // A token service that never answers (and holds no timer of its own).
    const credential: TokenCredential = { getToken: () => (reach(), new Promise<AccessToken>(() => {})) };
    await cancel(row, "token fetch", reached, (abortSignal) => clientOf({}, credential).account.get({ abortSignal }));
  });

  scenario(GROUP, "in waitForAction between polls (60 s interval)", async (row) => {
    const [reached, reach] = signalled();
    server = await httpServer((_q, response) => {
      json(response, 200, { action: { id: 1, status: "in-progress", type: "create" } });
      setTimeout(reach, 10);
    });
    await cancel(row, "waiter (waitForAction)", reached, (abortSignal) => clientOf().waitForAction(1, { abortSignal, pollIntervalInMs: 60_000 }), 1);
  });

  scenario(GROUP, "while paging (page 2 never answers)", async (row) => {
    const [reached, reach] = signalled();
    server = await httpServer((request, response) => {
      if ((request.url ?? "").includes("page=2")) return reach();
      json(response, 200, { droplets: [{ id: 1 }], links: { pages: { next: `${server!.url}/v2/droplets?page=2` } }, meta: { total: 2 } });
    });
    await cancel(row, "pagination", reached, async (abortSignal) => {
      for await (const droplet of clientOf().droplets.list(undefined, { abortSignal })) void droplet;
    }, 1);
  });
});
