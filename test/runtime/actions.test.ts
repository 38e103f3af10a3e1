import assert from "node:assert/strict";
import { actionIdsOf, waitForActions, type ActionState } from "../../src/core/actions.js";
import { AbortError, ActionFailedError, TimeoutError, WaitTimeoutError } from "../../src/core/errors.js";
import { PollSchedule } from "../../src/core/pollSchedule.js";
import { systemClock } from "../../src/core/clock.js";
import { VirtualClock } from "../../src/testing/virtualClock.js";

/** Actions whose statuses follow a script (the last one repeats), read at virtual times. */
function scripted(clock: VirtualClock, statuses: Record<number, string[]>) {
  const reads: { id: number; at: number }[] = [];
  const read = async (id: number): Promise<ActionState> => {
    reads.push({ id, at: clock.now() });
    const queue = statuses[id] ?? [];
    return { id, type: "create", status: queue.length > 1 ? (queue.shift() as string) : (queue[0] as string) };
  };
  return { read, reads };
}

/** Marks a wait's rejection as observed (the test asserts it after moving the clock). */
function observed<T>(waiting: Promise<T>): Promise<T> {
  waiting.catch(() => undefined);
  return waiting;
}

/** The most reads within any 60 s window. */
function peakPerMinute(reads: readonly { at: number }[]): number {
  let peak = 0;
  for (const { at } of reads) peak = Math.max(peak, reads.filter((read) => read.at >= at && read.at < at + 60_000).length);
  return peak;
}

describe("waiting for actions (the waiter engine, on a virtual clock)", () => {
  let clock: VirtualClock;
  let context: { schedule: PollSchedule };
  beforeEach(() => {
    clock = new VirtualClock(0);
    context = { schedule: new PollSchedule(clock) };
  });

  it("polls until completed and resolves with the action", async () => {
    const { read, reads } = scripted(clock, { 1: ["in-progress", "in-progress", "completed"] });
    const polled: string[] = [];
    const waiting = observed(waitForActions(read, [1], { onPoll: (a) => polled.push(a.status ?? "") }, context));
    await clock.runUntilIdle();
    const [action] = await waiting;
    assert.equal(action?.status, "completed");
    assert.equal(reads.length, 3);
    assert.deepEqual(polled, ["in-progress", "in-progress", "completed"]);
  });

  it("throws ActionFailedError holding the action when it errors", async () => {
    const { read } = scripted(clock, { 2: ["in-progress", "errored"] });
    const waiting = observed(waitForActions(read, [2], {}, context));
    await clock.runUntilIdle();
    await assert.rejects(waiting, (error: ActionFailedError) => {
      assert.ok(error instanceof ActionFailedError);
      assert.equal(error.action.id, 2);
      assert.equal(error.action.status, "errored");
      return true;
    });
  });

  it("times out with a WaitTimeoutError (a TimeoutError) carrying the last status", async () => {
    const { read } = scripted(clock, { 3: ["in-progress"] });
    const waiting = observed(waitForActions(read, [3], { timeoutInMs: 30_000 }, context));
    await clock.runUntilIdle();
    await assert.rejects(waiting, (error: WaitTimeoutError) => {
      assert.ok(error instanceof TimeoutError && error instanceof WaitTimeoutError);
      assert.equal(error.state, "in-progress");
      assert.equal(error.timeoutInMs, 30_000);
      return true;
    });
    assert.equal(clock.now(), 30_000);
  });

  it("stops promptly when aborted during a wait", async () => {
    const { read } = scripted(clock, { 4: ["in-progress"] });
    const controller = new AbortController();
    const waiting = observed(waitForActions(read, [4], { pollIntervalInMs: 10_000, abortSignal: controller.signal }, context));
    await clock.advance(15_000);
    controller.abort();
    await assert.rejects(waiting, AbortError);
  });

  it("stops polling the other actions as soon as one fails", async () => {
    const { read, reads } = scripted(clock, { 5: ["in-progress"], 6: ["errored"] });
    const waiting = observed(waitForActions(read, [5, 6], {}, context));
    await clock.runUntilIdle();
    await assert.rejects(waiting, ActionFailedError);
    const readsAtFailure = reads.length;
    await clock.advance(60_000);
    assert.equal(reads.length, readsAtFailure);
  });

  it("defect: pollIntervalInMs 0 polls (it used to time out at once)", async () => {
    const { read, reads } = scripted(clock, { 7: ["in-progress", "in-progress", "completed"] });
    const waiting = observed(waitForActions(read, [7], { pollIntervalInMs: 0 }, context));
    await clock.runUntilIdle();
    assert.equal((await waiting)[0]?.status, "completed");
    assert.equal(reads.length, 3);
  });

  it("defect: NaN, negative and non-number options are refused with a TypeError", async () => {
    const { read, reads } = scripted(clock, { 8: ["completed"] });
    for (const options of [{ timeoutInMs: NaN }, { timeoutInMs: -1 }, { pollIntervalInMs: NaN }, { pollIntervalInMs: -5 }, { timeoutInMs: "5000" }, { pollIntervalInMs: Infinity }, { onPoll: 3 }]) {
      await assert.rejects(waitForActions(read, [8], options as never, context), TypeError, JSON.stringify(options));
    }
    assert.equal(reads.length, 0);
  });

  it("defect: ten actions at 2 s share one schedule, under the 250/min burst limit (they used to send 300/min)", async () => {
    const statuses = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [100 + index, ["in-progress"]]));
    const { read, reads } = scripted(clock, statuses);
    const waiting = observed(waitForActions(read, Object.keys(statuses).map(Number), { pollIntervalInMs: 2000, timeoutInMs: 180_000 }, context));
    await clock.runUntilIdle();
    await assert.rejects(waiting, WaitTimeoutError);
    assert.ok(reads.length > 100, `only ${reads.length} reads`);
    assert.ok(peakPerMinute(reads) <= 121, `peak ${peakPerMinute(reads)} reads/min`);
  });

  it("defect: waiting for many actions trips no MaxListenersExceededWarning on the caller's or an internal signal", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const statuses = Object.fromEntries(Array.from({ length: 25 }, (_, index) => [200 + index, ["in-progress", "in-progress", "completed"]]));
      const { read } = scripted(clock, statuses);
      const controller = new AbortController();
      const waiting = observed(waitForActions(read, Object.keys(statuses).map(Number), { abortSignal: controller.signal }, context));
      await clock.runUntilIdle();
      assert.equal((await waiting).length, 25);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    assert.deepEqual(warnings.map((warning) => warning.name), []);
  });

  it("defect: timeoutInMs bounds a poll in flight (real clock, 100 ms)", async () => {
    const hung = (_id: number, signal: AbortSignal | undefined): Promise<ActionState> =>
      new Promise((_resolve, reject) => signal?.addEventListener("abort", () => reject(new AbortError()), { once: true }));
    const started = Date.now();
    await assert.rejects(waitForActions(hung as never, [9], { timeoutInMs: 100 }, { schedule: new PollSchedule(systemClock) }), WaitTimeoutError);
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  });

  it("accepts an id, an action, or a links.actions array", () => {
    assert.deepEqual(actionIdsOf(5), [5]);
    assert.deepEqual(actionIdsOf({ id: 6 }), [6]);
    assert.deepEqual(actionIdsOf([{ id: 7, rel: "create", href: "https://api.digitalocean.com/v2/actions/7" } as { id: number }, { id: 8 }]), [7, 8]);
    assert.throws(() => actionIdsOf({ id: "x" } as unknown as number), TypeError);
    assert.throws(() => actionIdsOf([]), /no action to wait for/);
  });
});
