/**
 * One conformance call: a generated method invoked through the public client, and a verdict on
 * what came back — Prism's `sl-violations` header for the request, the SDK's result for the
 * declared response kind.
 */
import type { PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { isDeepStrictEqual } from "node:util";
import type { OperationSpec } from "../../src/core/operationSpec";
import { DigitalOceanError, PagedResult, type DigitalOceanClient, type OperationOptions } from "../../src/index";
import type { CallVariant } from "./requests";
import { describeViolations, parseViolations, requestViolations, responseViolations, type Violation } from "./violations";

/**
 * - `passed`: no request violation, a 2xx answer, and a result of the declared kind.
 * - `request-violation`: Prism found the SDK's request at odds with the spec.
 * - `response-violation`: the request was fine, but the answer Prism built from the spec breaks the
 *   spec (a spec defect; Prism answers 500 under `--errors`).
 * - `wrong-result`: a valid 2xx answer that the SDK returned as something other than declared.
 * - `unservable`: the request was fine, but Prism cannot produce the representation asked for
 *   (it cannot serialise an object schema as `text/event-stream`).
 * - `http-error`: a non-2xx answer without violations (e.g. Prism matched no route).
 * - `sdk-error`: the call threw without an HTTP answer (argument validation, parsing, transport).
 */
export type Verdict = "passed" | "request-violation" | "response-violation" | "unservable" | "wrong-result" | "http-error" | "sdk-error";

/** Prism's problem type when an example or schema is an object but the negotiated type is text. */
const PRISM_CANNOT_SERIALISE = "https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT";

export interface CallOutcome {
  readonly verdict: Verdict;
  readonly status?: number;
  /** Why it is not `passed`; for `passed`, notes such as Prism warnings. */
  readonly detail: string;
  readonly violations: readonly Violation[];
  /** The request as sent (`PUT /v2/…?…`), when one was sent, for failure reports. */
  readonly sent?: string;
}

export interface CallTarget {
  readonly group: string;
  readonly method: string;
  readonly table: OperationSpec;
}

type OperationMethod = (...args: unknown[]) => unknown;

/** `client.<group>.<method>`, looked up by name because the suite walks every generated table. */
export function operationMethod(client: DigitalOceanClient, group: string, method: string): OperationMethod {
  const groupObject = (client as unknown as Record<string, Record<string, unknown> | undefined>)[group];
  const fn = groupObject?.[method];
  if (typeof fn !== "function") throw new Error(`client.${group}.${method} is not a function`);
  return (...args: unknown[]) => (fn as OperationMethod).apply(groupObject, args);
}

/**
 * The positional arguments in the generated layout: path values, then the body slot iff the table
 * declares a body, then the params slot iff it declares query or header parameters, then options.
 * A variant that needs a slot the table lacks is a generator defect, reported instead of dropped.
 */
export function argumentsFor(target: CallTarget, variant: CallVariant, options: OperationOptions): unknown[] {
  const { table } = target;
  const expectedPath = table.pathParams?.length ?? 0;
  if (variant.pathValues.length !== expectedPath) {
    throw new Error(`the spec has ${variant.pathValues.length} path parameter(s), the generated method takes ${expectedPath}`);
  }
  if (variant.body !== undefined && table.body === undefined) throw new Error("the spec has a request body, the generated method takes none");
  if (variant.params !== undefined && table.query === undefined && table.headers === undefined) {
    throw new Error(`the spec has parameters (${Object.keys(variant.params).join(", ")}), the generated method takes none`);
  }
  const args: unknown[] = [...variant.pathValues];
  if (table.body !== undefined) args.push(variant.body);
  if (table.query !== undefined || table.headers !== undefined) args.push(variant.params);
  args.push(options);
  return args;
}

export async function invoke(
  client: DigitalOceanClient,
  target: CallTarget,
  variant: CallVariant,
  extraHeaders: Record<string, string> = {},
): Promise<CallOutcome> {
  let last: PipelineResponse | undefined;
  const options: OperationOptions = {
    timeoutInMs: 30_000,
    headers: extraHeaders,
    onResponse: (response) => {
      last = response;
    },
  };
  try {
    const args = argumentsFor(target, variant, options);
    const returned = operationMethod(client, target.group, target.method)(...args);
    // Awaiting a PagedResult would unwrap it to its first page: it is checked as itself, and
    // sends its request when checkResult awaits it.
    const result = returned instanceof PagedResult ? returned : await returned;
    const checked = await checkResult(target.table, result, () => last);
    const violations = parseViolations(last?.headers.get("sl-violations"));
    const sent = describeRequest(last?.request);
    const requestErrors = requestViolations(violations);
    if (requestErrors.length > 0) {
      return { verdict: "request-violation", status: last?.status, detail: describeViolations(requestErrors), violations, sent };
    }
    return { ...checked, status: last?.status, violations, sent };
  } catch (error) {
    return outcomeOfError(error);
  }
}

function outcomeOfError(error: unknown): CallOutcome {
  if (error instanceof DigitalOceanError) {
    const violations = parseViolations(error.response?.headers.get("sl-violations"));
    const sent = describeRequest(error.request);
    const base = { status: error.statusCode, violations, sent };
    const requestErrors = requestViolations(violations);
    if (requestErrors.length > 0) return { verdict: "request-violation", detail: describeViolations(requestErrors), ...base };
    const responseErrors = responseViolations(violations);
    if (responseErrors.length > 0) return { verdict: "response-violation", detail: describeViolations(responseErrors), ...base };
    const problemType = (error.body as { type?: unknown } | undefined)?.type;
    if (problemType === PRISM_CANNOT_SERIALISE) return { verdict: "unservable", detail: `${error.message}: ${excerpt(error.body)}`, ...base };
    return { verdict: "http-error", detail: `${error.message}: ${excerpt(error.body)}`, ...base };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { verdict: "sdk-error", detail: message, violations: [] };
}

/** Method, path and query, and a body excerpt: what an SDK bug report needs. */
function describeRequest(request: PipelineRequest | undefined): string | undefined {
  if (request === undefined) return undefined;
  const url = new URL(request.url);
  const body = typeof request.body === "string" ? ` ${excerpt(request.body)}` : request.body instanceof Uint8Array ? ` <${request.body.length} bytes>` : "";
  return `${request.method} ${url.pathname}${url.search}${body}`;
}

type Checked = Pick<CallOutcome, "verdict" | "detail">;

const PASSED: Checked = { verdict: "passed", detail: "" };

function wrong(detail: string): Checked {
  return { verdict: "wrong-result", detail };
}

/** Whether the SDK's result is what the table declares, judged against the raw answer. */
async function checkResult(table: OperationSpec, result: unknown, response: () => PipelineResponse | undefined): Promise<Checked> {
  if (table.paged !== undefined) return checkPaged(table.paged, result, response);
  const raw = response();
  if (raw === undefined) return wrong("onResponse was never called");
  switch (table.response) {
    case "none":
      return result === undefined ? PASSED : wrong(`expected undefined, got ${excerpt(result)}`);
    case "json":
      return checkJson(result, raw);
    case "text":
      if (typeof result !== "string") return wrong(`expected a string, got ${typeName(result)}`);
      return result === (raw.bodyAsText ?? "") ? PASSED : wrong("the string differs from the response body");
    case "binary":
      return result instanceof Uint8Array ? PASSED : wrong(`expected a Uint8Array, got ${typeName(result)}`);
    case "events":
      return checkEvents(result, raw);
  }
}

function checkJson(result: unknown, raw: PipelineResponse): Checked {
  const text = raw.bodyAsText ?? "";
  if (raw.status === 204 || text === "") return result === undefined ? PASSED : wrong(`expected undefined for an empty body, got ${excerpt(result)}`);
  return isDeepStrictEqual(result, JSON.parse(text)) ? PASSED : wrong("the parsed result differs from the JSON body");
}

/**
 * Operations that can stream answer `text/event-stream` or JSON depending on the request; the
 * SDK chooses by the answer's Content-Type, and so does this check.
 */
async function checkEvents(result: unknown, raw: PipelineResponse): Promise<Checked> {
  const contentType = raw.headers.get("content-type") ?? "";
  if (!contentType.includes("text/event-stream")) {
    return result !== null && typeof result === "object" && !(Symbol.asyncIterator in result) ? PASSED : wrong(`expected parsed JSON, got ${typeName(result)}`);
  }
  if (!isAsyncIterable(result)) return wrong(`expected an async iterable of events, got ${typeName(result)}`);
  for await (const event of result) {
    if (event === null || typeof event !== "object" || !("data" in event)) return wrong(`an event without data: ${excerpt(event)}`);
  }
  return PASSED;
}

/**
 * A paged operation must return a `PagedResult` that awaits to the first page as sent and iterates
 * items. Only the first item is taken: walking on would follow Prism's example `next` link, which
 * serves the same page again forever (the per-group paging test walks pages deliberately).
 */
async function checkPaged(itemsKey: string, result: unknown, response: () => PipelineResponse | undefined): Promise<Checked> {
  if (!(result instanceof PagedResult)) return wrong(`expected a PagedResult, got ${typeName(result)}`);
  const page: unknown = await result;
  const raw = response();
  if (raw === undefined) return wrong("onResponse was never called");
  const json = checkJson(page, raw);
  if (json.verdict !== "passed") return json;
  if (!isAsyncIterable(result)) return wrong("the PagedResult is not async-iterable");
  const items = (page as Record<string, unknown> | undefined)?.[itemsKey];
  if (!Array.isArray(items) || items.length === 0) return PASSED;
  const first = await result[Symbol.asyncIterator]().next();
  return !first.done && isDeepStrictEqual(first.value, items[0]) ? PASSED : wrong(`iterating did not yield the first page's first "${itemsKey}" item`);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === "object" && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function";
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Uint8Array) return "a Uint8Array";
  return typeof value === "object" ? (value.constructor?.name ?? "an object") : typeof value;
}

function excerpt(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
