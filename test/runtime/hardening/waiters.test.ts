// Waiters under a careless caller and a hostile server (issue 20, section 3): aborted waiters and
// the shared poll schedule.
import assert from "node:assert/strict";
import { waitForActions, type ActionState } from "../../../src/core/actions.js";
import { PollSchedule } from "../../../src/core/pollSchedule.js";
import { AbortError, WaitTimeoutError } from "../../../src/index.js";
import { VirtualClock } from "../../../src/testing/virtualClock.js";

/** Marks a wait's rejection as observed (the test asserts it after moving the clock). */
function observed<T>(waiting: Promise<T>): Promise<T> {
  waiting.catch(() => undefined);
  return waiting;
}

/** Actions that stay in progress; records when each id was read (virtual time). */
function inProgress(clock: VirtualClock) {
  const reads: { id: number; at: number }[] = [];
  const read = async (id: number): Promise<ActionState> => {
    reads.push({ id, at: clock.now() });
    return { id, type: "create", status: "in-progress" };
  };
  return { read, reads, firstReadOf: (id: number) => reads.find((entry) => entry.id === id)?.at };
}

describe("hardening: waiters", () => {
  describe("the shared poll schedule (virtual clock, 120 polls a minute: one slot per 500 ms)", () => {
    let clock: VirtualClock;
    let context: { schedule: PollSchedule };
    beforeEach(() => {
      clock = new VirtualClock(0);
      context = { schedule: new PollSchedule(clock) };
    });

    /** Starts `count` waits of one action each, every one on its own signal. */
    function startWaits(read: (id: number) => Promise<ActionState>, count: number) {
      const controllers = Array.from({ length: count }, () => new AbortController());
      const waits = controllers.map((controller, index) => observed(waitForActions(read, [index + 1], { abortSignal: controller.signal, timeoutInMs: 3_600_000 }, context)));
      return { abortAll: () => controllers.forEach((controller) => controller.abort()), waits };
    }

    it("defect: after 40 waiters queued for their first poll are aborted, the next wait polls on time (it starved for 20 s)", async () => {
      const { read, firstReadOf } = inProgress(clock);
      const { abortAll, waits } = startWaits(read, 40);
      await clock.advance(100);
      abortAll();
      for (const wait of waits) await assert.rejects(wait, AbortError);
      const startedAt = clock.now();
      const next = observed(waitForActions(read, [1000], { timeoutInMs: 60_000 }, context));
      await clock.advance(2000);
      const polledAt = firstReadOf(1000);
      assert.ok(polledAt !== undefined && polledAt - startedAt <= 500, `the next wait first polled ${polledAt === undefined ? "never" : `${polledAt - startedAt} ms`} after it started`);
      await clock.runUntilIdle();
      await assert.rejects(next, WaitTimeoutError);
    });

    it("defect: after 40 waiters between polls are aborted, the next wait polls on time (their next slots stayed taken)", async () => {
      const { read, reads, firstReadOf } = inProgress(clock);
      const { abortAll, waits } = startWaits(read, 40);
      await clock.advance(30_000);
      assert.ok(new Set(reads.map((entry) => entry.id)).size === 40, "every waiter polled at least once");
      abortAll();
      for (const wait of waits) await assert.rejects(wait, AbortError);
      const startedAt = clock.now();
      const next = observed(waitForActions(read, [1000], { timeoutInMs: 60_000 }, context));
      await clock.advance(2000);
      const polledAt = firstReadOf(1000);
      assert.ok(polledAt !== undefined && polledAt - startedAt <= 500, `the next wait first polled ${polledAt === undefined ? "never" : `${polledAt - startedAt} ms`} after it started`);
      await clock.runUntilIdle();
      await assert.rejects(next, WaitTimeoutError);
    });

    it("defect: a wait queued behind 40 waiters moves up as soon as they are aborted", async () => {
      const { read, firstReadOf } = inProgress(clock);
      const { abortAll } = startWaits(read, 40);
      const behind = observed(waitForActions(read, [1000], { timeoutInMs: 60_000 }, context));
      await clock.advance(1000);
      abortAll();
      const abortedAt = clock.now();
      await clock.advance(2000);
      const polledAt = firstReadOf(1000);
      assert.ok(polledAt !== undefined && polledAt - abortedAt <= 500, `the queued wait first polled ${polledAt === undefined ? "never" : `${polledAt - abortedAt} ms`} after the others were aborted`);
      await clock.runUntilIdle();
      await assert.rejects(behind, WaitTimeoutError);
    });

    it("defect: 40 waits on one caller signal, aborted together, leave the schedule free", async () => {
      const { read, firstReadOf } = inProgress(clock);
      const controller = new AbortController();
      const together = observed(waitForActions(read, Array.from({ length: 40 }, (_, index) => index + 1), { abortSignal: controller.signal }, context));
      await clock.advance(3000);
      controller.abort();
      await assert.rejects(together, AbortError);
      const startedAt = clock.now();
      const next = observed(waitForActions(read, [1000], { timeoutInMs: 60_000 }, context));
      await clock.advance(2000);
      const polledAt = firstReadOf(1000);
      assert.ok(polledAt !== undefined && polledAt - startedAt <= 500, `the next wait first polled ${polledAt === undefined ? "never" : `${polledAt - startedAt} ms`} after it started`);
      await clock.runUntilIdle();
      await assert.rejects(next, WaitTimeoutError);
    });

    it("defect: a waiter sleeping a long interval holds no slot meanwhile (a new wait used to queue behind its next poll)", async () => {
      const { read, firstReadOf } = inProgress(clock);
      const slow = observed(waitForActions(read, [1], { pollIntervalInMs: 60_000, timeoutInMs: 600_000 }, context));
      await clock.advance(1000);
      const next = observed(waitForActions(read, [2], { timeoutInMs: 60_000 }, context));
      await clock.advance(1000);
      assert.equal(firstReadOf(2), 1000);
      await clock.runUntilIdle();
      await assert.rejects(slow, WaitTimeoutError);
      await assert.rejects(next, WaitTimeoutError);
    });

    it("still spaces every poll of the client 500 ms apart, and a queued waiter still times out on time", async () => {
      const { read, reads } = inProgress(clock);
      const waiting = observed(waitForActions(read, Array.from({ length: 30 }, (_, index) => index + 1), { pollIntervalInMs: 0, timeoutInMs: 10_000 }, context));
      await clock.runUntilIdle();
      await assert.rejects(waiting, WaitTimeoutError);
      assert.equal(clock.now(), 10_000);
      const times = reads.map((entry) => entry.at);
      for (let index = 1; index < times.length; index++) assert.ok(times[index]! - times[index - 1]! >= 500, `polls at ${times[index - 1]} and ${times[index]}`);
      assert.ok(reads.length >= 19 && reads.length <= 21, `${reads.length} polls in 10 s`);
    });
  });
});
