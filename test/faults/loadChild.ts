/**
 * The client side of the load scenario, run as its own process (`node --expose-gc`) so that
 * warnings, sockets, heap and "exits by itself" are this client's alone. Reads its settings from
 * FAULT_LOAD (JSON), prints one JSON line of figures, then simply returns: if anything tsdo made
 * (a socket, a timer, a listener) kept the event loop alive, the process would not exit.
 */
import { subscribe } from "node:diagnostics_channel";
import { getEventListeners } from "node:events";
import type { Socket } from "node:net";
import { DigitalOceanClient } from "../../src/index.js";

export interface LoadSettings {
  url: string;
  token: string;
  count: number;
  concurrency: number;
  sharedSignal: boolean;
}

export interface LoadFigures {
  succeeded: number;
  failed: Record<string, number>;
  warnings: string[];
  peakSockets: number;
  socketsOpened: number;
  heapGrowthBytes: number;
  listenersLeft: number;
  p50Ms: number;
  p99Ms: number;
  elapsedMs: number;
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.env.FAULT_LOAD ?? "{}") as LoadSettings;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with --expose-gc");
  const warnings: string[] = [];
  process.on("warning", (warning) => warnings.push(`${warning.name}: ${warning.message}`));
  let open = 0;
  let peakSockets = 0;
  let socketsOpened = 0;
  subscribe("net.client.socket", (message) => {
    const socket = (message as { socket: Socket }).socket;
    socketsOpened++;
    peakSockets = Math.max(peakSockets, ++open);
    socket.once("close", () => open--);
  });

  const client = new DigitalOceanClient(settings.token, {
    endpoint: settings.url,
    allowInsecureConnection: true,
    // Retries and sockets under faults are measured, not pacing: the limiter's 250 a minute would stretch 10,000 calls to 40 minutes.
    rateLimitOptions: { enabled: false },
    // Short configured waits: the scenario is about surviving faults, not about backoff timing.
    retryOptions: { maxRetries: 12, retryDelayInMs: 1, maxRetryDelayInMs: 8 },
  });
  const controller = settings.sharedSignal ? new AbortController() : undefined;
  const failed: Record<string, number> = {};
  const latencies: number[] = [];
  let succeeded = 0;
  const run = async (count: number, record: boolean): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        next++;
        const started = performance.now();
        try {
          await client.account.get({ abortSignal: controller?.signal });
          if (record) succeeded++;
        } catch (error) {
          const name = error instanceof Error ? error.name : "unknown";
          failed[name] = (failed[name] ?? 0) + 1;
        }
        if (record) latencies.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: settings.concurrency }, worker));
  };

  // Warm up (sockets, JIT, lazy groups) before the heap baseline.
  await run(settings.concurrency * 4, false);
  gc();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  await run(settings.count, true);
  const elapsedMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  gc();
  gc();
  const heapGrowthBytes = process.memoryUsage().heapUsed - heapBefore;
  const figures: LoadFigures = {
    succeeded,
    failed,
    warnings,
    peakSockets,
    socketsOpened,
    heapGrowthBytes,
    listenersLeft: controller ? getEventListeners(controller.signal, "abort").length : 0,
    p50Ms: latencies[Math.floor(latencies.length * 0.5)] ?? 0,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
    elapsedMs,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
