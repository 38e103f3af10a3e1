import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";
import type { LoadFigures, LoadSettings } from "./loadChild.js";
import { n, scenario } from "./results.js";

const GROUP = "Load";
/** Sockets above the concurrency allowed for: each reset costs one socket, replaced after the fact. */
const SOCKET_MARGIN = 8;

describe("fault suite: load with 503s and resets", () => {
  let fake: FakeDigitalOcean;
  before(async () => {
    fake = await startFakeDigitalOcean({ rateLimit: { limit: 1_000_000 } });
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  const load = async (row: { requests: number; faults: string; figure: string }, count: number, sharedSignal: boolean): Promise<LoadFigures> => {
    fake.faults.randomly({ seed: 9, operationId: "account_get", failBefore: 0.1, resetBefore: 0.05 });
    const settings: LoadSettings = { url: fake.url, token: fake.token, count, concurrency: 64, sharedSignal };
    const { figures, exitedAfterMs } = await runChild(settings);
    const injected = fake.faults.injected();
    row.requests = fake.executionCount("account_get") + injected.failBefore + injected.resetBefore;
    row.faults = `${n(injected.failBefore)} × 503, ${n(injected.resetBefore)} resets (seed 9); requests include ${64 * 4} warm-up calls`;
    row.figure =
      `${n(figures.succeeded)}/${n(count)} ok in ${Math.round(figures.elapsedMs)} ms, p50 ${figures.p50Ms.toFixed(1)} ms, p99 ${figures.p99Ms.toFixed(1)} ms; ` +
      `peak sockets ${figures.peakSockets} (${n(figures.socketsOpened)} opened); heap +${(figures.heapGrowthBytes / 2 ** 20).toFixed(1)} MB; ` +
      `${figures.warnings.length} warnings; exited ${exitedAfterMs} ms after its last call`;
    assert.ok(injected.failBefore > count * 0.08 && injected.resetBefore > count * 0.03, "the faults were injected");
    assert.deepEqual(figures.failed, {}, "every call succeeds");
    assert.equal(figures.succeeded, count);
    assert.deepEqual(figures.warnings, [], "no process warnings");
    assert.ok(figures.peakSockets <= 64 + SOCKET_MARGIN, `sockets open at once: ${figures.peakSockets}`);
    assert.ok(figures.heapGrowthBytes < 16 * 2 ** 20, `heap growth after GC: ${figures.heapGrowthBytes} bytes`);
    return figures;
  };

  scenario(GROUP, "10,000 GETs at concurrency 64, 10 % 503 and 5 % resets: all succeed, bounded sockets and heap, exits by itself", async (row) => {
    await load(row, 10_000, false);
  }, { timeoutInMs: 120_000 });

  scenario(GROUP, "2,000 GETs at concurrency 64 sharing one AbortSignal: no MaxListenersExceededWarning, no listener left", async (row) => {
    const figures = await load(row, 2_000, true);
    assert.equal(figures.listenersLeft, 0, "listeners left on the shared signal");
  }, { timeoutInMs: 60_000 });
});

/** Runs the client in a child process; it must print its figures and then exit on its own within 5 s. */
function runChild(settings: LoadSettings): Promise<{ figures: LoadFigures; exitedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", join(__dirname, "loadChild.js")], {
      env: { ...process.env, FAULT_LOAD: JSON.stringify(settings) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let printedAt: number | undefined;
    let exitTimer: NodeJS.Timeout | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (printedAt === undefined && stdout.includes("\n")) {
        printedAt = Date.now();
        exitTimer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error("the client process did not exit by itself within 5 s of its last call"));
        }, 5000);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(exitTimer);
      if (code !== 0 || printedAt === undefined) return reject(new Error(`client process exited with ${code}: ${stderr.slice(0, 2000)}`));
      resolve({ figures: JSON.parse(stdout.trim()) as LoadFigures, exitedAfterMs: Date.now() - printedAt });
    });
  });
}
