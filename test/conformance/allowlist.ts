/**
 * The allowlist: operations that cannot pass because the spec itself is wrong or Prism cannot
 * serve them. Each line is `<operationId> <expected verdict> <reason>`; `#` starts a comment.
 * Listed operations are still called, and their expected failure is asserted, so an entry that
 * starts passing (the spec got fixed) fails the run until it is removed.
 */
import { readFileSync } from "node:fs";
import type { Verdict } from "./invoke";

export interface AllowlistEntry {
  readonly id: string;
  readonly verdict: Exclude<Verdict, "passed">;
  readonly reason: string;
  readonly line: number;
}

/** The issue caps the allowlist: it is for the spec's defects, not a place to park SDK bugs. */
export const MAX_ALLOWLIST_ENTRIES = 10;

const FAILURE_VERDICTS: ReadonlySet<string> = new Set(["request-violation", "response-violation", "unservable", "wrong-result", "http-error", "sdk-error"]);

export function parseAllowlist(text: string): AllowlistEntry[] {
  const entries: AllowlistEntry[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const match = /^(\S+)\s+(\S+)\s+(.+)$/.exec(line);
    if (match === null) throw new Error(`allowlist line ${index + 1}: expected "<operationId> <verdict> <reason>"`);
    const [, id, verdict, reason] = match as unknown as [string, string, string, string];
    if (!FAILURE_VERDICTS.has(verdict)) throw new Error(`allowlist line ${index + 1}: unknown verdict "${verdict}"`);
    if (seen.has(id)) throw new Error(`allowlist line ${index + 1}: ${id} is listed twice`);
    seen.add(id);
    entries.push({ id, verdict: verdict as AllowlistEntry["verdict"], reason, line: index + 1 });
  });
  if (entries.length > MAX_ALLOWLIST_ENTRIES) {
    throw new Error(`the allowlist has ${entries.length} entries; at most ${MAX_ALLOWLIST_ENTRIES} are allowed`);
  }
  return entries;
}

export function loadAllowlist(file: string): Map<string, AllowlistEntry> {
  return new Map(parseAllowlist(readFileSync(file, "utf8")).map((entry) => [entry.id, entry]));
}
