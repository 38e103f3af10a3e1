/**
 * Turns the spec and the generated tables into one case per spec operation, and runs every case's
 * calls against Prism.
 */
import type { OperationSpec, OperationTable } from "../../src/core/operationSpec";
import type { DigitalOceanClient } from "../../src/index";
import type { Spec } from "../../codegen/spec";
import { invoke, type CallOutcome, type Verdict } from "./invoke";
import { mapConcurrently } from "./pool";
import { callVariants, uploadUrl, type CallVariant } from "./requests";
import type { SpecOperation } from "./specIndex";

export interface OperationCase {
  readonly id: string;
  /** The client property: the operationId's prefix before the first `_`. */
  readonly group: string;
  /** The generated method's name; absent when the group has no method for this operationId. */
  readonly method?: string;
  readonly table?: OperationSpec;
  readonly variants: readonly CallVariant[];
  /** Set when the case cannot be called at all (no generated method, no usable sample…). */
  readonly problem?: string;
}

export interface VariantResult {
  readonly label: string;
  /** The verdict that counts: for a first answer that could not show the result, the retry's. */
  readonly outcome: CallOutcome;
  /** The first answer, when it was `response-violation` or `unservable` and the call was retried. */
  readonly firstAnswer?: CallOutcome;
}

export interface OperationResult {
  readonly case: OperationCase;
  readonly variants: readonly VariantResult[];
  /** `passed` iff every variant passed; otherwise the first failing variant's verdict. */
  readonly verdict: Verdict;
  readonly detail: string;
}

/**
 * Answers that say nothing about the SDK's request, which Prism had already found valid, but keep
 * the result from being checked: the call is repeated once, asking Prism for an answer it can give.
 * - `response-violation` (the spec's example breaks the spec): `Prefer: dynamic=true` asks for an
 *   answer generated from the response schema (the runner seeds Prism, so it is reproducible).
 * - `unservable` (Prism cannot write an event stream from the spec's object schema): asking for
 *   the operation's JSON representation instead checks the SDK's content-type dispatch.
 * Both first answers are listed in the run's summary as spec defects and Prism limitations.
 */
const RETRY_HEADERS: Partial<Record<Verdict, Record<string, string>>> = {
  "response-violation": { prefer: "dynamic=true" },
  unservable: { accept: "application/json" },
};

/**
 * One case per spec operation, in spec order. The group and method come from the operationId by
 * the naming rule the SDK documents, checked here independently of the generator: a group without
 * the operation, or a method under another name, fails that operation.
 */
export function buildCases(
  spec: Spec,
  operations: ReadonlyMap<string, SpecOperation>,
  groups: Readonly<Record<string, OperationTable>>,
  prismUrl: string,
): OperationCase[] {
  return [...operations.values()].map((operation) => {
    const group = operation.id.split("_")[0] as string;
    const found = Object.entries(groups[group] ?? {}).find(([, table]) => table.id === operation.id);
    let variants: CallVariant[];
    try {
      variants = callVariants(spec, operation);
    } catch (error) {
      return { id: operation.id, group, variants: [], problem: `cannot build a request: ${(error as Error).message}` };
    }
    if (found === undefined) return { id: operation.id, group, variants, problem: `client.${group} has no method for ${operation.id}` };
    const [method, table] = found;
    const expected = expectedMethodName(operation.id);
    if (method !== expected) return { id: operation.id, group, method, table, variants, problem: `the method is named ${method}, expected ${expected}` };
    if (table.server === "absolute") {
      // The presigned-upload operation takes its whole URL as the first argument: point it at Prism.
      const url = uploadUrl(prismUrl, operation);
      variants = variants.map((variant) => ({ ...variant, pathValues: [url] }));
    }
    return { id: operation.id, group, method, table, variants };
  });
}

/** `apps_list_alerts` → `listAlerts`; a trailing `.yml` and non-identifier characters are dropped. */
export function expectedMethodName(operationId: string): string {
  const segments = operationId
    .replace(/\.ya?ml$/, "")
    .split("_")
    .slice(1)
    .map((segment) => segment.replace(/[^A-Za-z0-9$]/g, ""))
    .filter((segment) => segment !== "");
  return segments.map((s, i) => (i === 0 ? s.charAt(0).toLowerCase() + s.slice(1) : s.charAt(0).toUpperCase() + s.slice(1))).join("");
}

/** Every case's variants, `concurrency` calls at a time across all cases. */
export async function runCases(client: DigitalOceanClient, cases: readonly OperationCase[], concurrency: number): Promise<Map<string, OperationResult>> {
  const calls = cases.flatMap((c) => c.variants.map((variant) => ({ c, variant })));
  const outcomes = await mapConcurrently(calls, concurrency, ({ c, variant }) => runVariant(client, c, variant));
  const byCase = new Map<string, VariantResult[]>();
  calls.forEach(({ c }, i) => {
    const list = byCase.get(c.id) ?? [];
    list.push(outcomes[i] as VariantResult);
    byCase.set(c.id, list);
  });
  return new Map(cases.map((c) => [c.id, summarize(c, byCase.get(c.id) ?? [])]));
}

async function runVariant(client: DigitalOceanClient, c: OperationCase, variant: CallVariant): Promise<VariantResult> {
  if (c.method === undefined || c.table === undefined || c.problem !== undefined) {
    return { label: variant.label, outcome: { verdict: "sdk-error", detail: c.problem ?? "not callable", violations: [] } };
  }
  const target = { group: c.group, method: c.method, table: c.table };
  const first = await invoke(client, target, variant);
  const retryHeaders = RETRY_HEADERS[first.verdict];
  if (retryHeaders === undefined) return { label: variant.label, outcome: first };
  const retry = await invoke(client, target, variant, retryHeaders);
  return { label: variant.label, outcome: retry, firstAnswer: first };
}

function summarize(c: OperationCase, variants: VariantResult[]): OperationResult {
  if (c.problem !== undefined) return { case: c, variants, verdict: "sdk-error", detail: c.problem };
  const failing = variants.find((v) => v.outcome.verdict !== "passed");
  if (failing === undefined) return { case: c, variants, verdict: "passed", detail: "" };
  const status = failing.outcome.status === undefined ? "" : ` (HTTP ${failing.outcome.status})`;
  const sent = failing.outcome.sent === undefined ? "" : `\nsent: ${failing.outcome.sent}`;
  return { case: c, variants, verdict: failing.outcome.verdict, detail: `[${failing.label}] ${failing.outcome.verdict}${status}: ${failing.outcome.detail}${sent}` };
}
