import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** A redis-server of the test's own, on a free loopback port, with no persistence. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Kills the server (SIGKILL: as abrupt as an outage) and waits for it to exit. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Debian's `redis-server` (`apt-get install -y redis-server`; `.ci/run` installs it). Without
 * it the suite fails in CI; elsewhere the caller skips, saying why.
 */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within 5 s: ${output}`)), 5000);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Starts Redis for a suite; outside CI a missing redis-server skips the suite with the reason. */
export async function startRedisOrSkip(context: Mocha.Context): Promise<TestRedis> {
  try {
    return await startRedis();
  } catch (error) {
    if (process.env.CI) throw new Error(`redis-server is needed in CI (apt-get install -y redis-server): ${String(error)}`);
    console.warn(`  skipped: no redis-server (${String(error)}); install it with apt-get install -y redis-server`);
    context.skip();
  }
}
