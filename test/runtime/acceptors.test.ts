// The acceptor table against the spec: every state a row names exists in the enum of the field it
// reads, in the schema of its `get` operation's answer; and rows that list retry states classify
// the whole enum, so a state the spec adds later fails here until a row says what it means.
import assert from "node:assert/strict";
import { Spec, type Operation, type Response, type Schema } from "../../codegen/spec.js";
import { acceptors, judge, type AcceptorCheck } from "../../src/core/acceptors.js";
import { PollSchedule, backoffInterval } from "../../src/core/pollSchedule.js";
import { operationGroups } from "../../src/operations/tables.js";
import { VirtualClock } from "../../src/testing/virtualClock.js";
import { loadSpec } from "../support/spec.js";

/** The properties of a schema, through `$ref` and `allOf` / `oneOf` / `anyOf`. */
function propertiesOf(spec: Spec, schema: Schema | undefined): Record<string, Schema> {
  if (!schema) return {};
  const resolved = spec.deref(schema);
  const merged: Record<string, Schema> = {};
  for (const member of [...(resolved.allOf ?? []), ...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])]) Object.assign(merged, propertiesOf(spec, member));
  return Object.assign(merged, resolved.properties ?? {});
}

/** The schema at a dotted path (`[]` steps into array items). */
function schemaAt(spec: Spec, schema: Schema, path: string): Schema | undefined {
  let node: Schema | undefined = schema;
  for (const step of path.split(".")) {
    if (!node) return undefined;
    if (step === "[]") node = spec.deref(node).items;
    else node = propertiesOf(spec, node)[step];
  }
  return node && spec.deref(node);
}

function getResponseSchema(spec: Spec, operationId: string): Schema {
  for (const item of Object.values(spec.doc.paths)) {
    const operation = (Object.values(item) as Operation[]).find((candidate) => candidate?.operationId === operationId);
    if (!operation) continue;
    const response = spec.deref(operation.responses!["200"] as Response);
    return Object.values(response.content ?? {})[0]!.schema!;
  }
  throw new Error(`no operation ${operationId}`);
}

function isStateCheck(check: AcceptorCheck): check is Extract<AcceptorCheck, { success?: readonly string[] }> {
  return !("some" in check || "every" in check || "present" in check || "absent" in check || "nonEmpty" in check || "countOf" in check);
}

describe("acceptor table", () => {
  let spec: Spec;
  before(() => {
    spec = loadSpec();
  });

  for (const [name, row] of Object.entries(acceptors)) {
    it(`${name}: its get exists, and every state it names is in the spec's enum`, () => {
      const [group, method] = row.get;
      const operation = (operationGroups as Record<string, Record<string, { id: string }>>)[group]?.[method];
      assert.ok(operation, `${group}.${method} exists`);
      const resource = schemaAt(spec, getResponseSchema(spec, operation.id), row.envelope);
      assert.ok(resource, `${operation.id} answers ${row.envelope}`);
      for (const check of row.checks as readonly AcceptorCheck[]) {
        assert.ok(schemaAt(spec, resource, check.at.split(".").join(".")), `${name}: ${check.at} is in the schema`);
        if (isStateCheck(check)) {
          const values = schemaAt(spec, resource, check.at)?.enum as string[] | undefined;
          assert.ok(values, `${name}: ${check.at} has an enum`);
          const named = [...(check.success ?? []), ...(check.failure ?? []), ...(check.retry ?? [])];
          for (const state of named) assert.ok(values.includes(state), `${name}: "${state}" is not in ${check.at}'s enum ${JSON.stringify(values)}`);
          if (check.retry) assert.deepEqual([...new Set(named)].sort(), [...values].sort(), `${name}: ${check.at} classifies every state of the enum`);
        }
        if ("every" in check || "some" in check) {
          const fields = "every" in check ? check.every : check.some;
          for (const [path, expected] of Object.entries(fields)) {
            const values = schemaAt(spec, resource, `${check.at}.[].${path}`)?.enum;
            if (values) assert.ok(values.includes(expected), `${name}: ${String(expected)} is in ${check.at}[].${path}'s enum`);
            else assert.ok(schemaAt(spec, resource, `${check.at}.[].${path}`), `${name}: ${check.at}[].${path} is in the schema`);
          }
        }
        if ("countOf" in check) assert.ok(schemaAt(spec, resource, check.countOf), `${name}: ${check.countOf} is in the schema`);
      }
    });
  }
});

describe("judging and pacing", () => {
  it("a failure state fails at once; success needs every check; unknown states keep polling", () => {
    const droplet = acceptors.droplet;
    const withIp = { networks: { v4: [{ type: "public" }] } };
    assert.equal(judge(droplet, { status: "active", ...withIp }).verdict, "success");
    assert.equal(judge(droplet, { status: "active", networks: { v4: [{ type: "private" }] } }).verdict, "retry");
    assert.equal(judge(droplet, { status: "off", ...withIp }).verdict, "failure");
    assert.equal(judge(droplet, { status: "teleporting", ...withIp }).verdict, "retry");
    assert.equal(judge(droplet, {}).verdict, "retry");
    assert.equal(judge(acceptors.dropletDeleted, { status: "active" }).verdict, "retry");
    assert.equal(judge(acceptors.nodePool, { count: 2, nodes: [{ status: { state: "running" } }] }).verdict, "retry");
    assert.equal(judge(acceptors.nodePool, { count: 1, nodes: [{ status: { state: "running" } }] }).verdict, "success");
    assert.equal(judge(acceptors.app, { active_deployment: { phase: "ACTIVE" }, in_progress_deployment: { phase: "BUILDING" } }).verdict, "retry");
    assert.equal(judge(acceptors.app, { active_deployment: { phase: "ACTIVE" }, in_progress_deployment: { phase: "ERROR" } }).verdict, "failure");
    assert.equal(judge(acceptors.app, { active_deployment: { phase: "ACTIVE" } }).verdict, "success");
  });

  it("backs off from the first interval to the cap, with jitter of ±20 %", () => {
    const intervals = Array.from({ length: 12 }, (_, attempt) => backoffInterval(attempt, 2000, 10_000, () => 0.5));
    assert.equal(intervals[0], 2000);
    assert.ok(intervals.every((interval, index) => index === 0 || interval >= intervals[index - 1]!));
    assert.equal(intervals.at(-1), 10_000);
    assert.equal(backoffInterval(20, 2000, 10_000, () => 0), 8000);
    assert.equal(backoffInterval(20, 2000, 10_000, () => 1), 12_000);
  });

  it("one schedule spaces every waiter's polls by 60 000 / pollsPerMinute", async () => {
    const clock = new VirtualClock(0);
    const schedule = new PollSchedule(clock, 60);
    const controller = new AbortController();
    const slots: number[] = [];
    const taking = Array.from({ length: 5 }, () => schedule.slot(0, Infinity, controller.signal).then(() => slots.push(clock.now())));
    await clock.runUntilIdle();
    await Promise.all(taking);
    assert.deepEqual(slots, [0, 1000, 2000, 3000, 4000]);
    assert.throws(() => new PollSchedule(clock, 0), TypeError);
  });
});
