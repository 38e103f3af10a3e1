import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { onAbort, raceAbort } from "../../../src/core/abortListener.js";
import { AbortError } from "../../../src/core/errors.js";

describe("abort listeners", () => {
  it("share one listener per signal, removed with the last subscriber", () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const first = onAbort(controller.signal, () => calls.push("first"));
    const second = onAbort(controller.signal, () => calls.push("second"));
    assert.equal(getEventListeners(controller.signal, "abort").length, 1);
    first();
    first();
    assert.equal(getEventListeners(controller.signal, "abort").length, 1);
    second();
    assert.equal(getEventListeners(controller.signal, "abort").length, 0);
    const third = onAbort(controller.signal, () => calls.push("third"));
    controller.abort();
    assert.deepEqual(calls, ["third"]);
    assert.equal(getEventListeners(controller.signal, "abort").length, 0);
    third();
  });

  it("raceAbort settles with the work, or with AbortError once the signal fires", async () => {
    assert.equal(await raceAbort(Promise.resolve(1), undefined), 1);
    const controller = new AbortController();
    assert.equal(await raceAbort(Promise.resolve(2), controller.signal), 2);
    await assert.rejects(raceAbort(Promise.reject(new Error("work failed")), controller.signal), /work failed/);
    const pending = raceAbort(new Promise(() => undefined), controller.signal);
    controller.abort();
    await assert.rejects(pending, AbortError);
    await assert.rejects(raceAbort(Promise.resolve(3), controller.signal), AbortError);
    assert.equal(getEventListeners(controller.signal, "abort").length, 0);
  });
});
