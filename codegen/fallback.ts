/**
 * The fake API's canned success answer of every operation: its first 2xx status, media type and
 * a body valid for the success schema.
 *
 * Bodies come from the spec's own examples where they are valid (the response's `example`, then
 * its named `examples`), else are built from the schema, where every sub-schema again prefers its
 * own valid `example`. Validity is decided by `schemaCheck.ts`, which follows the checks of the
 * Prism proxy that validates the fake's answers; examples that fail it are left out and listed in
 * the generation notes. Bodies stay small: arrays keep one item (or `minItems`), optional
 * properties are only filled near the top, and recursion stops at the first repeat of a schema.
 * Paged answers (and list answers with `links` and `meta`) hold one page: `meta.total` counts
 * the items and `links` has no other pages.
 */
import type { HttpMethod } from "../src/core/operationSpec.js";
import type { OperationModel, PagingModel } from "./operations.js";
import { FORMAT_SAMPLES } from "./samples.js";
import { deepEqual, isRecord, isValid, schemaProblem } from "./schemaCheck.js";
import { type Example, HTTP_METHODS, type MediaType, type Operation, type Response, type Schema, type Spec, schemaRefName } from "./spec.js";

export interface FallbackAnswer {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** The path template the generated operation table uses. */
  readonly path: string;
  readonly status: number;
  readonly contentType?: string;
  readonly body?: unknown;
  /** For operations that stream when asked (`text/event-stream`): the `data:` payloads of a stream. */
  readonly events?: unknown[];
}

export interface FallbackSet {
  /** One answer per operation, in spec order. */
  readonly answers: FallbackAnswer[];
  /** Spec examples left out because they are invalid for their schema, and bodies that could not be made valid. */
  readonly notes: string[];
}

const JSON_TYPE = "application/json";
const EVENT_STREAM = "text/event-stream";

/** Text answers for media types whose response gives no string example. */
const TEXT_BODIES: Record<string, string> = {
  "text/csv":
    "product,group_description,description,hours,start,end,USD,project_name,category\n" +
    "Droplets,,web-01 (s-1vcpu-1gb),720,2024-01-01 00:00:00 +0000,2024-02-01 00:00:00 +0000,$6.00,first-project,iaas\n",
  "application/yaml":
    "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: c2FtcGxlLWNh\n" +
    "    server: https://3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b.k8s.ondigitalocean.com\n  name: do-nyc1-example\n" +
    "contexts:\n- context:\n    cluster: do-nyc1-example\n    user: do-nyc1-example-admin\n  name: do-nyc1-example\n" +
    "current-context: do-nyc1-example\npreferences: {}\nusers:\n- name: do-nyc1-example-admin\n  user:\n    token: sample-token\n",
  "text/plain": "sample\n",
};
/** A minimal PDF document (text, so the table stays JSON; the fake sends it as is). */
const PDF_BODY = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

export function fallbackAnswers(spec: Spec, operations: readonly OperationModel[]): FallbackSet {
  const models = new Map(operations.map((op) => [op.id, op]));
  const builder = new BodyBuilder(spec);
  const answers: FallbackAnswer[] = [];
  for (const [path, pathItem] of Object.entries(spec.doc.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation === undefined) continue;
      const model = models.get(operation.operationId);
      answers.push(answerOf(spec, builder, operation, model?.path ?? path, method.toUpperCase() as HttpMethod, model));
    }
  }
  return { answers, notes: builder.notes };
}

/**
 * The first 2xx response. An operation without any (`genai_create_model_api_key`) is answered
 * 200 with what its `default` response describes: that is the response a validator holds a 200
 * against, and the client reads the answer as `unknown` anyway.
 */
function successOf(spec: Spec, operation: Operation): { status: number; response: Response } {
  const responses = operation.responses ?? {};
  const statuses = Object.keys(responses)
    .filter((status) => /^2\d\d$/.test(status))
    .sort();
  const status = statuses[0];
  if (status !== undefined) return { status: Number(status), response: spec.deref<Response>(responses[status]!) };
  const fallback = responses["default"];
  return { status: 200, response: fallback === undefined ? { content: { [JSON_TYPE]: {} } } : spec.deref<Response>(fallback) };
}

function answerOf(
  spec: Spec,
  builder: BodyBuilder,
  operation: Operation,
  path: string,
  method: HttpMethod,
  model: OperationModel | undefined,
): FallbackAnswer {
  const id = operation.operationId;
  const { status, response } = successOf(spec, operation);
  const base = { operationId: id, method, path, status };
  const content = response.content ?? {};
  const types = Object.keys(content);
  if (types.length === 0) return base;
  // A streaming operation also answers JSON (its non-streaming form); that is the one a plain call gets.
  const contentType = content[JSON_TYPE] !== undefined ? JSON_TYPE : types.find((type) => type !== EVENT_STREAM) ?? types[0]!;
  const media = content[contentType]!;
  if (contentType === JSON_TYPE || contentType.endsWith("+json")) {
    const stream = content[EVENT_STREAM];
    const events = stream === undefined ? undefined : [builder.responseBody(`${id} event`, stream, undefined)];
    return { ...base, contentType, body: builder.responseBody(id, media, model), ...(events && { events }) };
  }
  if (contentType === "application/pdf") return { ...base, contentType, body: PDF_BODY };
  const example = examplesOf(spec, media).find(([, value]) => typeof value === "string")?.[1];
  return { ...base, contentType, body: example ?? TEXT_BODIES[contentType] ?? TEXT_BODIES["text/plain"] };
}

/** The media type's examples as `[name, value]`, `example` first. */
function examplesOf(spec: Spec, media: MediaType): [string, unknown][] {
  const found: [string, unknown][] = [];
  if (media.example !== undefined) found.push(["example", media.example]);
  for (const [name, example] of Object.entries(media.examples ?? {})) {
    const value = spec.deref<Example>(example).value;
    if (value !== undefined) found.push([`examples.${name}`, value]);
  }
  return found;
}

/** Optional properties are filled in objects down to this depth (0 = the body itself). */
const OPTIONAL_DEPTH = 2;
/** Beyond this depth nothing is built (only reached through required properties). */
const MAX_DEPTH = 12;

/** Strings tried, in order, for a string schema whose pattern or length rules out the plain sample. */
const STRING_CANDIDATES = [
  "sample",
  "sample-1",
  "example.com",
  "sample/sample",
  "SAMPLE",
  "default",
  "sample.jsonl",
  "https://example.com",
  "do:droplet:3164444",
  "do:kubernetes:3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b",
  "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b",
  "192.0.2.10",
  "a",
  "",
];

interface Path {
  /** Component schema names on the way down (`$ref` recursion stops at the first repeat). */
  readonly refs: readonly string[];
  /** Where we are, for notes: the nearest component schema and the property path below it. */
  readonly where: string;
}

class BodyBuilder {
  readonly notes: string[] = [];
  private readonly noted = new Set<string>();

  constructor(private readonly spec: Spec) {}

  /** A valid body for a JSON response: a valid spec example, else one built from the schema. */
  responseBody(id: string, media: MediaType, model: OperationModel | undefined): unknown {
    const schema = media.schema;
    if (schema === undefined) return {};
    const candidates: unknown[] = [];
    for (const [name, example] of examplesOf(this.spec, media)) {
      const value = this.fitting(schema, example, `${id} response ${name}`);
      if (value !== undefined) candidates.push(value);
    }
    candidates.push(this.build(schema, 0, { refs: [], where: `${id} response schema` }) ?? {});
    const paging = model?.paged ?? this.listIn(schema);
    for (const candidate of candidates) {
      const body = paging === undefined ? candidate : this.onePage(schema, candidate, paging, id);
      if (isValid(this.spec, schema, body)) return body;
    }
    const body = candidates[candidates.length - 1];
    this.note(`${id}: no valid response body could be built (${schemaProblem(this.spec, schema, body)})`);
    return body;
  }

  /**
   * One page of a paged answer: every item array is as built (one item), `meta.total` counts the
   * page's items and `links` has no other pages (`{}`, as the API answers a single page).
   */
  private onePage(schema: Schema, body: unknown, paging: PagingModel, id: string): unknown {
    if (!isRecord(body)) return body;
    const { property, itemSchema } = paging;
    const page: Record<string, unknown> = { ...body };
    if (!Array.isArray(body[property]) || (body[property] as unknown[]).length === 0) {
      // A page without items shows nothing of the list; an item is built for it.
      const item = this.build(itemSchema, 1, { refs: [], where: `${id} response.${property}.0` });
      if (item !== undefined) page[property] = [item];
    }
    const items = page[property];
    const declares = (name: string): boolean => this.declaredProperty(schema, name) !== undefined;
    if (declares("links")) page["links"] = {};
    if (Array.isArray(items) && isRecord(body["meta"])) page["meta"] = { ...body["meta"], total: items.length };
    else if (Array.isArray(items) && declares("meta")) page["meta"] = { total: items.length };
    return isValid(this.spec, schema, page) ? page : body;
  }

  /**
   * The item list of a list answer the client does not page (no `page` parameter, e.g.
   * `billingHistory_list`): its one array property beside `links` and `meta`. Its answer is
   * made one consistent page too.
   */
  private listIn(schema: Schema): PagingModel | undefined {
    if (this.declaredProperty(schema, "links") === undefined || this.declaredProperty(schema, "meta") === undefined) return undefined;
    const names = new Set<string>();
    this.propertyNames(schema, names, new Set());
    const arrays = [...names]
      .filter((name) => name !== "links" && name !== "meta")
      .map((name) => [name, this.spec.deref(this.declaredProperty(schema, name)!)] as const)
      .filter(([, property]) => property.type === "array" && property.items !== undefined);
    if (arrays.length !== 1) return undefined;
    const [property, list] = arrays[0]!;
    return { property, itemSchema: list.items! };
  }

  private propertyNames(schema: Schema, into: Set<string>, seen: Set<Schema>): void {
    const target = this.spec.deref(schema);
    if (seen.has(target)) return;
    seen.add(target);
    for (const name of Object.keys(target.properties ?? {})) into.add(name);
    for (const member of target.allOf ?? []) this.propertyNames(member, into, seen);
  }

  /** A schema's property of that name, own or through `$ref`/`allOf`. */
  private declaredProperty(schema: Schema, name: string, seen = new Set<Schema>()): Schema | undefined {
    const target = this.spec.deref(schema);
    if (seen.has(target)) return undefined;
    seen.add(target);
    const own = target.properties?.[name];
    if (own !== undefined) return own;
    for (const member of target.allOf ?? []) {
      const found = this.declaredProperty(member, name, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /**
   * A spec example, its arrays cut to one item when that keeps it valid; undefined (and a note)
   * when the example itself is invalid for the schema.
   */
  private fitting(schema: Schema, example: unknown, where: string): unknown {
    const trimmed = trim(example);
    if (!deepEqual(trimmed, example) && isValid(this.spec, schema, trimmed)) return trimmed;
    const problem = schemaProblem(this.spec, schema, example);
    if (problem === undefined) return structuredClone(example);
    this.note(`${where}: invalid example not used (${problem})`);
    return undefined;
  }

  private note(text: string): void {
    if (this.noted.has(text)) return;
    this.noted.add(text);
    this.notes.push(text);
  }

  /** `undefined` means "nothing worth including" (recursion or too deep); callers omit optional members. */
  private build(schema: Schema, depth: number, path: Path): unknown {
    if (depth > MAX_DEPTH) return undefined;
    if (schema.$ref !== undefined) {
      const name = schemaRefName(schema.$ref) ?? schema.$ref;
      if (path.refs.includes(name)) return undefined;
      path = { refs: [...path.refs, name], where: name };
    }
    const target = this.spec.deref(schema);
    if (target.example !== undefined) {
      const example = this.fitting(target, target.example, path.where);
      if (example !== undefined) return example;
    }
    if (target.enum !== undefined) {
      const value = target.enum.find((candidate) => candidate !== null && isValid(this.spec, target, candidate));
      if (value !== undefined) return value;
    }
    const alternatives = target.oneOf ?? target.anyOf;
    if (target.allOf !== undefined || target.properties !== undefined || (alternatives !== undefined && target.type === "object")) {
      return this.buildObject(target, depth, path);
    }
    if (alternatives !== undefined) return this.choose(target, alternatives, undefined, depth, path);
    if (target.type === "array" || target.items !== undefined) return this.buildArray(target, depth, path);
    if (target.type === "object" || target.additionalProperties !== undefined) {
      const extra = target.additionalProperties;
      const value = typeof extra === "object" ? this.build(extra, depth + 1, at(path, "*")) : undefined;
      return value === undefined || (target.maxProperties ?? 1) < 1 ? {} : { key: value };
    }
    return scalar(this.spec, target);
  }

  private buildArray(target: Schema, depth: number, path: Path): unknown {
    const count = Math.min(Math.max(target.minItems ?? 0, 1), target.maxItems ?? Infinity);
    if (count === 0) return [];
    // Items sit at the array's own depth: a list's objects are as complete as the object holding the list.
    const item = target.items === undefined ? "sample" : this.build(target.items, depth, at(path, "0"));
    if (item === undefined) return (target.minItems ?? 0) === 0 ? [] : undefined;
    return Array.from({ length: count }, () => structuredClone(item));
  }

  /**
   * Object-like schemas: every `allOf` member merged with the own properties and one
   * `oneOf`/`anyOf` alternative: the first with which the whole object is valid. An `allOf` that
   * wraps a non-object (e.g. an array schema plus a description) yields that value.
   */
  private buildObject(target: Schema, depth: number, path: Path): unknown {
    let result: Record<string, unknown> = {};
    for (const member of target.allOf ?? []) {
      const value = this.build(member, depth, path);
      if (isRecord(value)) result = merge(result, value);
      else if (value !== undefined && target.properties === undefined && target.oneOf === undefined && target.anyOf === undefined) return value;
    }
    const required = new Set(target.required ?? []);
    for (const [name, property] of Object.entries(target.properties ?? {})) {
      const resolved = this.spec.deref(property);
      if (!required.has(name) && (depth >= OPTIONAL_DEPTH || resolved.writeOnly === true || resolved.deprecated === true)) continue;
      const value = this.build(property, depth + 1, at(path, name));
      // An optional member built as an empty shell (`{}`, `[{}]`) tells a reader nothing; it is left out.
      if (value !== undefined && (required.has(name) || !isEmptyShell(value))) {
        result[name] = isRecord(result[name]) && isRecord(value) ? merge(result[name], value) : value;
      } else if (required.has(name)) result[name] = minimal(this.spec, resolved);
    }
    // `required` may name inherited properties that a member left out as optional, or undeclared ones.
    for (const name of required) {
      if (name in result) continue;
      const inherited = this.declaredProperty(target, name);
      // A required name that no schema declares (`sinks_response.urn`) may hold anything.
      if (inherited === undefined) result[name] = "sample";
      else result[name] = this.build(inherited, depth + 1, at(path, name)) ?? minimal(this.spec, this.spec.deref(inherited));
    }
    const alternatives = target.oneOf ?? target.anyOf;
    if (alternatives !== undefined) return this.choose(target, alternatives, result, depth, path);
    return result;
  }

  /**
   * The first alternative that makes the whole schema valid (for `oneOf`, one that no other
   * alternative also matches), merged into `base` when both are objects; else the first built one.
   */
  private choose(target: Schema, alternatives: readonly Schema[], base: Record<string, unknown> | undefined, depth: number, path: Path): unknown {
    let first: unknown;
    for (const alternative of alternatives) {
      const value = this.build(alternative, depth, path);
      if (value === undefined) continue;
      const candidate = base === undefined ? value : isRecord(value) ? merge(base, value) : Object.keys(base).length === 0 ? value : base;
      if (first === undefined) first = candidate;
      if (isValid(this.spec, target, candidate)) return candidate;
    }
    return first ?? base;
  }
}

function at(path: Path, segment: string): Path {
  return { refs: path.refs, where: `${path.where}.${segment}` };
}

function isEmptyShell(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(isEmptyShell);
  return isRecord(value) && Object.keys(value).length === 0;
}

/** Objects merged member by member (later values win, nested objects merge). */
function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = result[key];
    result[key] = isRecord(existing) && isRecord(value) ? merge(existing, value) : value;
  }
  return result;
}

/**
 * A copy of an example with every array of objects or arrays cut to its first item. Arrays of
 * scalars keep two, so tuples such as a metric's `[timestamp, "value"]` stay whole.
 */
function trim(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice(0, value.every((item) => item === null || typeof item !== "object") ? 2 : 1).map(trim);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, trim(item)]));
  return value;
}

/** A scalar that satisfies the schema's format, pattern, length and range where one of the candidates does. */
function scalar(spec: Spec, target: Schema): string | number | boolean | undefined {
  const fits = (value: unknown): boolean => isValid(spec, target, value);
  switch (target.type) {
    case "string": {
      const format = FORMAT_SAMPLES[target.format ?? ""];
      const candidates = [...(format === undefined ? [] : [format]), ...STRING_CANDIDATES].map((text) => sized(target, text));
      return candidates.find(fits) ?? candidates[0]!;
    }
    case "integer":
    case "number": {
      const integral = target.type === "integer" || target.format === "int32" || target.format === "int64";
      let value = integral ? 1 : 1.5;
      if (target.minimum !== undefined && value < target.minimum) value = integral ? Math.ceil(target.minimum) : target.minimum;
      if (target.maximum !== undefined && value > target.maximum) value = integral ? Math.floor(target.maximum) : target.maximum;
      if (target.multipleOf !== undefined && !Number.isInteger(value / target.multipleOf)) value = Math.ceil(value / target.multipleOf) * target.multipleOf;
      return value;
    }
    case "boolean":
      return true;
    default:
      return undefined;
  }
}

/** A string padded or cut to the schema's length bounds. */
function sized(target: Schema, text: string): string {
  let result = text;
  if (target.minLength !== undefined && result.length < target.minLength) result = result.padEnd(target.minLength, "x");
  if (target.maxLength !== undefined && result.length > target.maxLength) result = result.slice(0, target.maxLength);
  return result;
}

/** The smallest value of a schema's type, for required members that recursion cut off. */
function minimal(spec: Spec, target: Schema): unknown {
  if (target.type === "array" || target.items !== undefined) return [];
  if (target.type === "object" || target.properties !== undefined || target.allOf !== undefined) return {};
  if (target.enum !== undefined) return target.enum[0];
  return scalar(spec, target) ?? "sample";
}
