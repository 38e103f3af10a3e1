/** The per-group summary printed after a run: operations, passed, failed, expected failures. */

export interface GroupTally {
  readonly group: string;
  operations: number;
  passed: number;
  failed: number;
  /** Allowlisted operations that failed as the allowlist says. */
  expected: number;
}

export interface OperationTally {
  readonly group: string;
  readonly passed: boolean;
  readonly allowlisted: boolean;
}

export function tallyByGroup(operations: readonly OperationTally[]): GroupTally[] {
  const groups = new Map<string, GroupTally>();
  for (const op of operations) {
    let tally = groups.get(op.group);
    if (tally === undefined) {
      tally = { group: op.group, operations: 0, passed: 0, failed: 0, expected: 0 };
      groups.set(op.group, tally);
    }
    tally.operations++;
    if (op.passed) tally.passed++;
    else if (op.allowlisted) tally.expected++;
    else tally.failed++;
  }
  return [...groups.values()].sort((a, b) => a.group.localeCompare(b.group));
}

/** A Markdown table, so the same text reads well in a terminal and pastes into a PR. */
export function formatTable(tallies: readonly GroupTally[]): string {
  const total: GroupTally = { group: "**total**", operations: 0, passed: 0, failed: 0, expected: 0 };
  for (const t of tallies) {
    total.operations += t.operations;
    total.passed += t.passed;
    total.failed += t.failed;
    total.expected += t.expected;
  }
  const header = ["group", "operations", "passed", "failed", "allowlisted"];
  const rows = [...tallies, total].map((t) => [t.group, String(t.operations), String(t.passed), String(t.failed), String(t.expected)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}
