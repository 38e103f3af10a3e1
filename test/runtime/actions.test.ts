import assert from "node:assert/strict";
import { actionIdsOf, waitForActions, type ActionState } from "../../src/core/actions.js";
import { AbortError, ActionFailedError, TimeoutError } from "../../src/core/errors.js";

function scripted(statuses: Record<number, string[]>) {
  const reads: number[] = [];
  const read = async (id: number): Promise<ActionState> => {
    reads.push(id);
    const queue = statuses[id] ?? [];
    return { id, type: "create", status: queue.length > 1 ? (queue.shift() as string) : (queue[0] as string) };
  };
  return { read, reads };
}

describe("waiting for actions", () => {
  it("polls until completed and resolves with the action", async () => {
    const { read, reads } = scripted({ 1: ["in-progress", "in-progress", "completed"] });
    const polled: string[] = [];
    const [action] = await waitForActions(read, [1], { pollIntervalInMs: 1, onPoll: (a) => polled.push(a.status ?? "") });
    assert.equal(action?.status, "completed");
    assert.equal(reads.length, 3);
    assert.deepEqual(polled, ["in-progress", "in-progress", "completed"]);
  });

  it("throws ActionFailedError holding the action when it errors", async () => {
    const { read } = scripted({ 2: ["in-progress", "errored"] });
    await assert.rejects(waitForActions(read, [2], { pollIntervalInMs: 1 }), (error: ActionFailedError) => {
      assert.ok(error instanceof ActionFailedError);
      assert.equal(error.action.id, 2);
      assert.equal(error.action.status, "errored");
      return true;
    });
  });

  it("times out with a TimeoutError", async () => {
    const { read } = scripted({ 3: ["in-progress"] });
    await assert.rejects(waitForActions(read, [3], { pollIntervalInMs: 5, timeoutInMs: 30 }), TimeoutError);
  });

  it("stops promptly when aborted during a wait", async () => {
    const { read } = scripted({ 4: ["in-progress"] });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(waitForActions(read, [4], { pollIntervalInMs: 10_000, abortSignal: controller.signal }), AbortError);
    assert.ok(Date.now() - started < 1000);
  });

  it("stops polling the other actions as soon as one fails", async () => {
    const { read, reads } = scripted({ 5: ["in-progress"], 6: ["errored"] });
    await assert.rejects(waitForActions(read, [5, 6], { pollIntervalInMs: 5 }), ActionFailedError);
    const readsAtFailure = reads.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(reads.length, readsAtFailure);
  });

  it("accepts an id, an action, or a links.actions array", () => {
    assert.deepEqual(actionIdsOf(5), [5]);
    assert.deepEqual(actionIdsOf({ id: 6 }), [6]);
    assert.deepEqual(actionIdsOf([{ id: 7, rel: "create", href: "https://api.digitalocean.com/v2/actions/7" } as { id: number }, { id: 8 }]), [7, 8]);
    assert.throws(() => actionIdsOf({ id: "x" } as unknown as number), TypeError);
    assert.throws(() => actionIdsOf([]), /no action to wait for/);
  });
});
