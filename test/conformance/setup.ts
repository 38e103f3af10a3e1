/** What the conformance specs share: where Prism and the spec are, and the client pointed at Prism. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Spec } from "../../codegen/spec";
import { DigitalOceanClient } from "../../src/index";
import { operationGroups } from "../../src/operations/tables";
import { buildCases, type OperationCase } from "./harness";
import { indexOperations, loadSpec, specPath, type SpecOperation } from "./specIndex";

/** The repository root; compiled specs run from build/test/conformance. */
export const repoRoot = findRoot(__dirname);

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(resolve(dir, "package.json"))) {
    const parent = resolve(dir, "..");
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

/** Prism's base URL, set by scripts/conformance.cjs. */
export function prismUrl(): string {
  const url = process.env.TSDO_PRISM_URL;
  if (url === undefined || url === "") {
    throw new Error("TSDO_PRISM_URL is not set: run the conformance suite with `npm run test:conformance`, which starts Prism");
  }
  return url;
}

/** Calls in flight at once; Prism is single-threaded, so more mostly adds queueing. */
export function conformanceConcurrency(): number {
  const fromEnv = Number(process.env.TSDO_CONFORMANCE_CONCURRENCY ?? "");
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 12;
}

export interface ConformanceContext {
  readonly prismUrl: string;
  readonly spec: Spec;
  readonly operations: ReadonlyMap<string, SpecOperation>;
  readonly cases: readonly OperationCase[];
  readonly client: DigitalOceanClient;
}

let context: ConformanceContext | undefined;

/** Built once per mocha process and shared by the spec files: parsing the 3 MB spec takes seconds. */
export function conformanceContext(): ConformanceContext {
  if (context === undefined) {
    const url = prismUrl();
    const spec = loadSpec(specPath(repoRoot));
    const operations = indexOperations(spec);
    context = { prismUrl: url, spec, operations, cases: buildCases(spec, operations, operationGroups, url), client: conformanceClient(url) };
  }
  return context;
}

/**
 * Every host the SDK knows — the API, serverless inference, the agent — points at Prism, which
 * serves all of them from the one spec. Retries are off: a retried 5xx would hide Prism's verdict.
 * The client-side rate limiter is off too: Prism is not DigitalOcean and sends no `ratelimit-*`
 * headers, so pacing ~700 calls at DigitalOcean's 250 a minute would only make the suite slow.
 */
export function conformanceClient(url: string): DigitalOceanClient {
  return new DigitalOceanClient("conformance-token", {
    endpoint: url,
    inferenceEndpoint: url,
    agentEndpoint: url,
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
    rateLimitOptions: { enabled: false },
  });
}
