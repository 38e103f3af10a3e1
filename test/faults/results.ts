/**
 * The fault suite's bookkeeping: each scenario is one mocha test that fills in a row (requests
 * sent, faults injected, a figure), and the run writes every row to `test/faults/RESULTS.md`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** What a scenario reports. */
export interface Row {
  /** Requests the server(s) received. */
  requests: number;
  /** The faults injected, in words ("1,000 × 503, 500 resets"). */
  faults: string;
  /** The measured figure ("p99 4 ms, 64 sockets"). */
  figure: string;
}

interface Recorded extends Row {
  readonly group: string;
  readonly scenario: string;
  outcome: string;
}

const rows: Recorded[] = [];

/** Declares a scenario (a mocha test) of the current `describe` group. */
export function scenario(group: string, title: string, run: (row: Row) => Promise<void>, options: { timeoutInMs?: number } = {}): void {
  const row: Recorded = { group, scenario: title, requests: 0, faults: "", figure: "", outcome: "not run" };
  rows.push(row);
  it(title, async function () {
    if (options.timeoutInMs !== undefined) this.timeout(options.timeoutInMs);
    const started = Date.now();
    try {
      await run(row);
      row.outcome = `pass (${Date.now() - started} ms)`;
    } catch (error) {
      row.outcome = `FAIL: ${oneLine(error instanceof Error ? error.message : String(error))}`;
      throw error;
    }
  });
}

/** Thousands separators, for figures a reader takes in at a glance. */
export function n(value: number): string {
  return value.toLocaleString("en-US");
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}…` : flat;
}

function cell(text: string | number): string {
  return String(text).replace(/\|/g, "\\|");
}

// The root `after` hook: mocha runs it once, after every fault file.
after(() => {
  const lines = [
    "# Fault suite results",
    "",
    "Written by `npm run test:faults` (test/faults/) from its last run; commit it with the change that altered it.",
    `Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    "",
    "| Group | Scenario | Requests | Faults injected | Outcome | Figure |",
    "| --- | --- | ---: | --- | --- | --- |",
    ...rows.map((r) => `| ${cell(r.group)} | ${cell(r.scenario)} | ${r.requests ? n(r.requests) : "–"} | ${cell(r.faults || "–")} | ${cell(r.outcome)} | ${cell(r.figure || "–")} |`),
    "",
  ];
  writeFileSync(join(__dirname, "..", "..", "..", "test", "faults", "RESULTS.md"), lines.join("\n"));
});
