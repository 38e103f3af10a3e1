/**
 * Sample values built from schemas: for the generated operation tests (requests and answers), the
 * conformance suite's requests and the fake API's canned answers (see `SampleBuilder`).
 */
import type { ResponseRequired } from "./evidence.js";
import { deepEqual, isRecord, isValid, schemaProblem } from "./schemaCheck.js";
import { type Schema, type Spec, isReadOnly, schemaRefName } from "./spec.js";

/** A valid value per string `format`, shared by every sample the generator builds (requests, tests, fake answers). */
export const FORMAT_SAMPLES: Readonly<Record<string, string>> = {
  "date-time": "2024-01-02T03:04:05Z",
  date: "2024-01-02",
  time: "03:04:05Z",
  uuid: "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b",
  email: "user@example.com",
  uri: "https://example.com/resource",
  url: "https://example.com/resource",
  ipv4: "192.0.2.10",
  ipv6: "2001:db8::10",
  hostname: "host.example.com",
  cidr: "10.10.0.0/16",
  byte: "c2FtcGxl",
};

/**
 * A sample for a request (`readOnly` properties left out unless required) or a response. Optional
 * properties are filled at the top level only: enough to show each operation's shape.
 */
export function sampleValue(spec: Spec, schema: Schema, direction: "request" | "response" = "request"): unknown {
  return new SampleBuilder(spec, { direction, optionalDepth: 1 }).value(schema, "sample");
}

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

/** What a sample is for. */
export interface SampleOptions {
  /** `request` leaves out readOnly properties, `response` writeOnly ones. */
  readonly direction: "request" | "response";
  /** Optional properties are filled in objects down to this depth (0 = the body itself). */
  readonly optionalDepth: number;
  /** For responses: what an answer always carries beyond `required` (see `evidence.ts`), built at any depth. */
  readonly responseRequired?: ResponseRequired;
}

/**
 * Builds values valid for schemas. The spec's own examples come first where they are valid (a
 * sub-schema's `example` included), else values are made from the type, format, enum, pattern,
 * length and range; validity is decided by `schemaCheck.ts`, which follows the checks of Prism,
 * the independent validator the fake and the conformance suite are held to. Values stay small:
 * arrays keep one item (or `minItems`), optional properties are only filled near the top, and
 * recursion stops at the first repeat of a schema. Spec examples that are invalid for their own
 * schema are left out and listed in `notes`.
 */
export class SampleBuilder {
  readonly notes: string[] = [];
  private readonly noted = new Set<string>();

  constructor(
    readonly spec: Spec,
    private readonly options: SampleOptions,
  ) {}

  /** A value for `schema`: built, or the smallest value of its type when recursion cut it off. */
  value(schema: Schema, where: string): unknown {
    return this.build(schema, 0, { refs: [], where }) ?? minimal(this.spec, this.spec.deref(schema));
  }




  propertyNames(schema: Schema, into: Set<string>, seen: Set<Schema>): void {
    const target = this.spec.deref(schema);
    if (seen.has(target)) return;
    seen.add(target);
    for (const name of Object.keys(target.properties ?? {})) into.add(name);
    for (const member of target.allOf ?? []) this.propertyNames(member, into, seen);
  }

  /** A schema's property of that name, own or through `$ref`/`allOf`. */
  declaredProperty(schema: Schema, name: string, seen = new Set<Schema>()): Schema | undefined {
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
  fitting(schema: Schema, original: unknown, where: string): unknown {
    // A request never carries what the API sets, even where the spec's example shows it.
    const example = this.options.direction === "request" ? withoutReadOnly(this.spec, schema, original) : original;
    const trimmed = trim(example);
    if (!deepEqual(trimmed, example) && isValid(this.spec, schema, trimmed)) return trimmed;
    const problem = schemaProblem(this.spec, schema, example);
    if (problem === undefined) return structuredClone(example);
    this.note(`${where}: invalid example not used (${problem})`);
    return undefined;
  }

  note(text: string): void {
    if (this.noted.has(text)) return;
    this.noted.add(text);
    this.notes.push(text);
  }

  /** `undefined` means "nothing worth including" (recursion or too deep); callers omit optional members. */
  build(schema: Schema, depth: number, path: Path, asMember = false): unknown {
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
      return this.buildObject(target, depth, path, asMember);
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
  private buildObject(target: Schema, depth: number, path: Path, asMember: boolean): unknown {
    let result: Record<string, unknown> = {};
    for (const member of target.allOf ?? []) {
      const value = this.build(member, depth, path, true);
      if (isRecord(value)) result = merge(result, value);
      else if (value !== undefined && target.properties === undefined && target.oneOf === undefined && target.anyOf === undefined) return value;
    }
    const always = this.options.direction === "response" ? this.options.responseRequired?.get(target) : undefined;
    const required = new Set([...(target.required ?? []), ...(always ?? [])]);
    for (const [name, property] of Object.entries(target.properties ?? {})) {
      const resolved = this.spec.deref(property);
      const wrongWay = this.options.direction === "request" ? isReadOnly(property) || isReadOnly(resolved) : resolved.writeOnly === true;
      if (!required.has(name) && (depth >= this.options.optionalDepth || wrongWay || resolved.deprecated === true)) continue;
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
      // A required name that no schema declares (`sinks_response.urn`) may hold anything; an allOf
      // member leaves it to the whole, where a sibling member may declare it.
      if (inherited === undefined) {
        if (!asMember) result[name] = "sample";
      }
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
      const value = withTag(target, alternative, this.build(alternative, depth, path));
      if (value === undefined) continue;
      const candidate = base === undefined ? value : isRecord(value) ? merge(base, value) : Object.keys(base).length === 0 ? value : base;
      if (first === undefined) first = candidate;
      if (isValid(this.spec, target, candidate)) return candidate;
    }
    return first ?? base;
  }
}

/**
 * With a discriminator, the tag that selects `alternative` (its own enum may list every tag of the
 * union; validators ignore the mapping, typed code does not).
 */
function withTag(target: Schema, alternative: Schema, value: unknown): unknown {
  const mapping = target.discriminator?.mapping;
  if (mapping === undefined || alternative.$ref === undefined || !isRecord(value)) return value;
  const tag = Object.keys(mapping).find((key) => mapping[key] === alternative.$ref);
  return tag === undefined ? value : { ...value, [target.discriminator!.propertyName]: tag };
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

/** A copy of a value without the `readOnly` properties its schema (own, `allOf`, items) declares. */
function withoutReadOnly(spec: Spec, schema: Schema, value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return value;
  const target = spec.deref(schema);
  if (Array.isArray(value)) return target.items === undefined ? value : value.map((item) => withoutReadOnly(spec, target.items!, item, depth + 1));
  if (!isRecord(value)) return value;
  let result: Record<string, unknown> = { ...value };
  for (const [name, property] of Object.entries(target.properties ?? {})) {
    if (!(name in result)) continue;
    if (isReadOnly(property) || isReadOnly(spec.deref(property))) delete result[name];
    else result[name] = withoutReadOnly(spec, property, result[name], depth + 1);
  }
  for (const member of target.allOf ?? []) result = withoutReadOnly(spec, member, result, depth + 1) as Record<string, unknown>;
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
