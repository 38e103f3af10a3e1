/**
 * How every sample runs as a program: `node build/samples/<name>.js` (after `npm run build:test`,
 * or `npx tsc -p samples`).
 *
 *   no DIGITALOCEAN_TOKEN   against an in-process fake DigitalOcean API (tsdo/testing), seeded with
 *                           what the sample needs; nothing leaves the machine
 *   DIGITALOCEAN_TOKEN=…    against the real API: read-only samples run as they are; samples that
 *                           create (billed) resources only say so, unless run with `--create`
 *
 * In your own code, import from "tsdo" and "tsdo/testing" instead of "../src/…".
 */
import { DigitalOceanClient } from "../src/index.js";
import { createTestClient, startFakeDigitalOcean, type FakeSeed } from "../src/testing/index.js";

/** What a sample's program gets. */
export interface SampleContext {
  /** A client for the fake, or for the real API when DIGITALOCEAN_TOKEN is set. */
  readonly client: DigitalOceanClient;
  /** `true` against the real API. */
  readonly live: boolean;
  /** How often to poll actions and resources: quick on the fake, gentle on the real API. */
  readonly pollIntervalInMs: number;
  /** Prints a line of the sample's output. */
  readonly log: (...values: unknown[]) => void;
}

/** How a sample wants to be run. */
export interface SampleOptions {
  /** The sample creates resources: on the real API it runs only with `--create`. */
  readonly creates?: boolean;
  /** What the fake holds before the sample starts. */
  readonly seed?: FakeSeed;
}

/**
 * Runs `program` when `sampleModule` is the program node started (not when a test imports it),
 * against the fake or the real API as described above; a failure sets the exit code to 1.
 */
export function runSample(sampleModule: NodeJS.Module, program: (context: SampleContext) => Promise<void>, options: SampleOptions = {}): void {
  if (require.main !== sampleModule) return;
  runProgram(program, options).catch((error: unknown) => {
    console.error(`sample failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    process.exitCode = 1;
  });
}

async function runProgram(program: (context: SampleContext) => Promise<void>, options: SampleOptions): Promise<void> {
  const log = (...values: unknown[]): void => console.log(...values);
  const token = process.env.DIGITALOCEAN_TOKEN?.trim();
  if (token) {
    if (options.creates && !process.argv.includes("--create")) {
      log("This sample creates (billed) resources on your account and deletes them again; add --create to run it.");
      return;
    }
    await program({ client: new DigitalOceanClient(token), live: true, pollIntervalInMs: 3000, log });
    return;
  }
  const fake = await startFakeDigitalOcean({ actionDelayInMs: 100, ...(options.seed && { seed: options.seed }) });
  try {
    log(`(no DIGITALOCEAN_TOKEN: against a fake DigitalOcean API at ${fake.url})`);
    await program({ client: createTestClient(fake), live: false, pollIntervalInMs: 50, log });
  } finally {
    await fake.close();
  }
}
