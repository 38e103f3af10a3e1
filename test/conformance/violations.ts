/**
 * Reading Prism's `sl-violations` header.
 *
 * Prism validates the request against the spec and then its own mock response against the spec,
 * and lists both in one header, each entry's `location` starting with `request` or `response`.
 * The two mean very different things here: a request violation is something the SDK sent wrong;
 * a response violation is the spec's own example (or schema) contradicting itself, which says
 * nothing about the SDK. With `--errors`, Prism answers 500 for response violations of severity
 * `Error`; request violations make it answer with the operation's 4xx response.
 */

export type ViolationSide = "request" | "response";

export interface Violation {
  readonly side: ViolationSide;
  /** The rest of the location, e.g. `body.name` or `query.per_page`. */
  readonly where: string;
  readonly severity: string;
  readonly code: string;
  readonly message: string;
}

/** What Prism writes for one violation. */
interface RawViolation {
  location?: unknown;
  severity?: unknown;
  code?: unknown;
  message?: unknown;
}

/** Prism cuts headers longer than this (8 KiB minus slack) and prefixes them with this marker. */
const TRUNCATED_PREFIX = "Too many violations! ";

/**
 * Parses the header. A header Prism had to cut short is no longer valid JSON; its complete
 * entries are still recovered one by one, since the side of each is all a verdict needs.
 */
export function parseViolations(header: string | undefined | null): Violation[] {
  if (header === undefined || header === null || header.trim() === "") return [];
  const text = header.startsWith(TRUNCATED_PREFIX) ? header.slice(TRUNCATED_PREFIX.length) : header;
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed.map((entry) => toViolation(entry as RawViolation));
  } catch {
    // Cut short: fall through to entry-by-entry recovery.
  }
  const violations: Violation[] = [];
  for (const match of text.matchAll(/\{"location":\[[^\]]*\][^{}]*\}/g)) {
    try {
      violations.push(toViolation(JSON.parse(match[0]) as RawViolation));
    } catch {
      // A cut-off last entry: skip it.
    }
  }
  return violations;
}

function toViolation(raw: RawViolation): Violation {
  const location = Array.isArray(raw.location) ? raw.location.map(String) : [];
  return {
    side: location[0] === "response" ? "response" : "request",
    where: location.slice(1).join("."),
    severity: typeof raw.severity === "string" ? raw.severity : "Error",
    code: typeof raw.code === "string" ? raw.code : "",
    message: typeof raw.message === "string" ? raw.message : "",
  };
}

export function requestViolations(violations: readonly Violation[]): Violation[] {
  return violations.filter((v) => v.side === "request");
}

export function responseViolations(violations: readonly Violation[]): Violation[] {
  return violations.filter((v) => v.side === "response");
}

/** One line per distinct violation, for failure messages and the spec-defect list. */
export function describeViolations(violations: readonly Violation[], limit = 5): string {
  const lines = [...new Set(violations.map((v) => `${v.side} ${v.where || "(root)"}: ${v.message} [${v.code}]`))];
  const shown = lines.slice(0, limit);
  if (lines.length > limit) shown.push(`… and ${lines.length - limit} more`);
  return shown.join("\n");
}
