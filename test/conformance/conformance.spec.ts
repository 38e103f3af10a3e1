/**
 * Conformance: every operation of the spec, called through the public client against Prism
 * (started by `scripts/conformance.cjs`, which sets TSDO_PRISM_URL and TSDO_SPEC).
 *
 * All calls run in one `before` hook with bounded concurrency (mocha runs tests one at a time,
 * which would make its ~850 calls take minutes); each operation's `it` then asserts its result.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { operationGroups } from "../../src/operations/tables";
import { runCases, type OperationResult } from "./harness";
import type { Verdict } from "./invoke";
import { loadAllowlist, MAX_ALLOWLIST_ENTRIES } from "./allowlist";
import { formatTable, tallyByGroup } from "./report";
import { conformanceConcurrency, conformanceContext, repoRoot } from "./setup";
import { describeViolations, responseViolations } from "./violations";

const { operations, cases, client } = conformanceContext();
const allowlist = loadAllowlist(join(repoRoot, "test", "conformance", "allowlist.txt"));
const groups = [...new Set(cases.map((c) => c.group))];

let results = new Map<string, OperationResult>();

// A root hook: the summary comes after every spec file's tests (paging included), just before
// mocha's own totals, instead of in the middle of the reporter's output.
after(function () {
  if (results.size > 0) printSummary([...results.values()]);
});

describe("conformance against Prism", function () {
  before(async function () {
    this.timeout(170_000);
    results = await runCases(client, cases, conformanceConcurrency());
  });

  it("the allowlist names spec operations only, at most " + MAX_ALLOWLIST_ENTRIES, function () {
    const unknown = [...allowlist.keys()].filter((id) => !operations.has(id));
    assert.deepEqual(unknown, [], "allowlisted operationIds that are not in the spec");
  });

  it("every generated method is an operation of the spec", function () {
    const extra = Object.values(operationGroups).flatMap((table) => Object.values(table).map((op) => op.id)).filter((id) => !operations.has(id));
    assert.deepEqual(extra, []);
  });

  for (const group of groups) {
    describe(group, function () {
      for (const c of cases.filter((x) => x.group === group)) {
        const allowed = allowlist.get(c.id);
        it(allowed ? `${c.id} (allowlisted: ${allowed.verdict})` : c.id, function () {
          const result = results.get(c.id);
          assert.ok(result, `${c.id} was not run`);
          if (allowed === undefined) {
            assert.equal(result.verdict, "passed", `${c.id}: ${result.detail}`);
            return;
          }
          // Still called, so a fixed spec shows up: the entry must then be removed.
          assert.notEqual(result.verdict, "passed", `${c.id} now passes: remove it from test/conformance/allowlist.txt (line ${allowed.line})`);
          assert.equal(result.verdict, allowed.verdict, `${c.id} fails differently than allowlisted: ${result.detail}`);
        });
      }
    });
  }
});

function printSummary(all: OperationResult[]): void {
  // An allowlisted operation counts as such only while it fails exactly as listed.
  const expectedFailure = (r: OperationResult): boolean => r.verdict !== "passed" && allowlist.get(r.case.id)?.verdict === r.verdict;
  const tallies = tallyByGroup(all.map((r) => ({ group: r.case.group, passed: r.verdict === "passed", allowlisted: expectedFailure(r) })));
  const lines = ["", "Conformance against Prism, per group:", "", formatTable(tallies), ""];
  lines.push(...retriedList(all, "response-violation", "Spec defects: the answer Prism built from the spec's own example breaks the spec; retried with a generated answer"));
  lines.push(...retriedList(all, "unservable", "Prism limitations: Prism cannot write the event stream the SDK asked for; retried asking for JSON"));
  const failed = all.filter((r) => r.verdict !== "passed" && !expectedFailure(r));
  if (failed.length > 0) {
    lines.push(`Failed (${failed.length}):`);
    for (const r of failed) lines.push(`  ${r.case.id} ${r.detail.split("\n").join("\n      ")}`);
    lines.push("");
  }
  process.stdout.write(lines.join("\n") + "\n");
  writeReport(all);
}

/** Operations whose first answer had `verdict` and was retried, one line each. */
function retriedList(all: readonly OperationResult[], verdict: Verdict, title: string): string[] {
  const hits = all.flatMap((r) => {
    const variant = r.variants.find((v) => v.firstAnswer?.verdict === verdict);
    return variant?.firstAnswer === undefined ? [] : [{ id: r.case.id, first: variant.firstAnswer, retry: variant.outcome }];
  });
  if (hits.length === 0) return [];
  const lines = [`${title} (${hits.length} operations):`];
  for (const { id, first, retry } of hits) {
    const reason = verdict === "response-violation" ? describeViolations(responseViolations(first.violations), 1).split("\n")[0] : first.detail;
    const after = retry.verdict === "passed" ? "" : ` [the retry failed too: ${retry.verdict}]`;
    lines.push(`  ${id}: ${reason}${after}`);
  }
  return [...lines, ""];
}

/** The full results as JSON, for tooling and for reading one failure in detail. */
function writeReport(all: OperationResult[]): void {
  const dir = join(repoRoot, "build", "conformance");
  mkdirSync(dir, { recursive: true });
  const report = all.map((r) => ({
    id: r.case.id,
    group: r.case.group,
    method: r.case.method,
    verdict: r.verdict,
    allowlisted: allowlist.has(r.case.id),
    detail: r.detail,
    variants: r.variants.map((v, i) => ({
      label: v.label,
      body: r.case.variants[i]?.bodySource,
      verdict: v.outcome.verdict,
      status: v.outcome.status,
      sent: v.outcome.sent,
      detail: v.outcome.detail,
      firstAnswer: v.firstAnswer && { verdict: v.firstAnswer.verdict, status: v.firstAnswer.status, detail: v.firstAnswer.detail },
    })),
  }));
  writeFileSync(join(dir, "report.json"), JSON.stringify(report, null, 2));
}
