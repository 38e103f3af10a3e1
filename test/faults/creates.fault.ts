import assert from "node:assert/strict";
import { ConnectionError, InternalServerError, TimeoutError, type DigitalOceanClient } from "../../src/index.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";
import { n, scenario, type Row } from "./results.js";

const GROUP = "Creates";
const CREATES = 1000;
const CONCURRENCY = 32;
const base = { size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", region: "nyc3" };

describe("fault suite: creates under ambiguous failures", () => {
  let fake: FakeDigitalOcean;
  before(async () => {
    fake = await startFakeDigitalOcean({ rateLimit: { limit: 1_000_000 }, seed: { account: { droplet_limit: 10 * CREATES } }, actionDelayInMs: 10 });
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  const client = (): DigitalOceanClient => createTestClient(fake, { timeoutInMs: 5000, retryOptions: { retryDelayInMs: 1, maxRetryDelayInMs: 8 } });
  // A timed-out create is one the fake ran and never answered: a second stands in for a minute.
  const createTimeoutInMs = 1000;

  /** Runs `count` creates, `CONCURRENCY` at a time; returns each call's outcome by name. */
  const createAll = async (c: DigitalOceanClient, prefix: string, recoverable: boolean): Promise<Map<string, unknown>> => {
    const outcomes = new Map<string, unknown>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < CREATES) {
        const name = `${prefix}-${next++}`;
        try {
          // Six attempts: with 5 % of attempts refused outright, three in a row happen about once in 8,000 calls.
          const options = { timeoutInMs: createTimeoutInMs, ...(recoverable && { recoverable: { lookupDelayInMs: 5, maxAttempts: 6 } }) };
          const answer = await c.droplets.create({ ...base, name }, options);
          outcomes.set(name, answer);
        } catch (error) {
          outcomes.set(name, error);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return outcomes;
  };

  const dropletsByName = (): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const droplet of fake.state.droplets.values()) counts.set(droplet.name, (counts.get(droplet.name) ?? 0) + 1);
    return counts;
  };

  const describeFaults = (row: Row): void => {
    const injected = fake.faults.injected();
    row.faults =
      `${n(injected.failAfter)} × 503 after, ${n(injected.resetAfter)} resets after, ${n(injected.hangAfter)} timeouts after` +
      (injected.failBefore > 0 ? `, ${n(injected.failBefore)} × 503 before` : "") +
      " (seed 11)";
    row.requests = Object.values(fake.executionCounts()).reduce((a, b) => a + b, 0) + injected.failBefore;
  };

  scenario(GROUP, "1,000 droplets.create with 20 % answered 503 / reset / timed out after processing: executed = succeeded + ambiguous, zero duplicates", async (row) => {
    fake.faults.randomly({ seed: 11, operationId: "droplets_create", failAfter: 0.2 / 3, resetAfter: 0.2 / 3, hangAfter: 0.2 / 3 });
    const outcomes = await createAll(client(), "plain", false);
    describeFaults(row);
    const failures = [...outcomes.values()].filter((o) => o instanceof Error);
    const ambiguous = failures.filter((e) => e instanceof InternalServerError || e instanceof ConnectionError || e instanceof TimeoutError);
    const succeeded = outcomes.size - failures.length;
    const injected = fake.faults.injected();
    assert.equal(failures.length, ambiguous.length, "every failure is one of the injected, ambiguous kinds");
    const timeouts = ambiguous.filter((e) => e instanceof TimeoutError).length;
    // A create slower than the short timeout is an ambiguous failure too, just not an injected one.
    assert.ok(ambiguous.length >= injected.failAfter + injected.resetAfter + injected.hangAfter);
    assert.equal(fake.executionCount("droplets_create"), succeeded + ambiguous.length, "executed creates = successes + ambiguous failures");
    const counts = dropletsByName();
    const duplicates = [...counts.values()].filter((c) => c > 1).length;
    assert.equal(duplicates, 0, "zero duplicates");
    assert.equal(counts.size, CREATES, "each ambiguous failure did create its droplet");
    row.figure = `${n(succeeded)} succeeded, ${n(ambiguous.length)} ambiguous failures (${n(timeouts)} timeouts), ${n(fake.executionCount("droplets_create"))} executed, 0 duplicates`;
  }, { timeoutInMs: 120_000 });

  scenario(GROUP, "the same with recoverable creates on (and 5 % 503 before processing): 1,000 droplets, each exactly once, every call resolved", async (row) => {
    fake.faults.randomly({ seed: 11, operationId: "droplets_create", failBefore: 0.05, failAfter: 0.2 / 3, resetAfter: 0.2 / 3, hangAfter: 0.2 / 3 });
    const outcomes = await createAll(client(), "rc", true);
    describeFaults(row);
    const failures = [...outcomes.values()].filter((o) => o instanceof Error);
    assert.deepEqual(failures.map((e) => (e as Error).message).slice(0, 3), [], "every call resolved");
    const counts = dropletsByName();
    assert.equal(counts.size, CREATES, "1,000 droplets exist");
    assert.ok([...counts.values()].every((c) => c === 1), "each exactly once");
    for (const [name, answer] of outcomes) assert.equal((answer as { droplet: { name: string } }).droplet.name, name);
    assert.equal(fake.executionCount("droplets_create"), CREATES, "executed exactly once each");
    const injected = fake.faults.injected();
    const recovered = injected.failAfter + injected.resetAfter + injected.hangAfter;
    row.figure = `${n(CREATES)}/${n(CREATES)} resolved; ${n(recovered)} injected after-processing faults recovered by marker lookup, ${n(injected.failBefore)} refused creates re-sent; ${n(fake.executionCount("droplets_list"))} lookups; 0 duplicates`;
  }, { timeoutInMs: 120_000 });
});
