/**
 * Sample values built from schemas, for the generated operation tests: the spec's own `example`
 * where it fits the schema, else a value made from the type, format and enum. Samples honour
 * `required` and stay small: optional properties are only filled near the top, arrays hold one
 * item, and recursion stops at the first repeat of a schema.
 */
import { isRecord } from "./schemaCheck.js";
import { type Schema, type Spec, isReadOnly } from "./spec.js";

/** Optional properties are included down to this object depth (0 = the top-level object). */
const OPTIONAL_DEPTH = 1;
/** Beyond this depth nothing is built (only reached through required properties). */
const MAX_DEPTH = 8;

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
 * A sample for a request (`readOnly` properties left out unless required) or a response.
 * (Also used by the conformance tests to build requests.)
 */
export function sampleValue(spec: Spec, schema: Schema, direction: "request" | "response" = "request"): unknown {
  const context: Context = { spec, skipReadOnly: direction === "request" };
  return build(context, schema, 0, []) ?? minimal(spec.deref(schema));
}

interface Context {
  readonly spec: Spec;
  readonly skipReadOnly: boolean;
}

/** `undefined` means "nothing worth including" (recursion or too deep); callers omit optional members. */
function build(ctx: Context, schema: Schema, depth: number, refs: readonly string[], asMember = false): unknown {
  const { spec } = ctx;
  if (depth > MAX_DEPTH) return undefined;
  if (schema.$ref !== undefined) {
    if (refs.includes(schema.$ref)) return undefined;
    refs = [...refs, schema.$ref];
  }
  const target = spec.deref(schema);
  if (target.example !== undefined && fitsScalar(spec, target, target.example)) return structuredClone(target.example);
  if (target.enum !== undefined) return target.enum.find((value) => value !== null) ?? null;
  const alternatives = target.oneOf ?? target.anyOf;
  if (target.allOf !== undefined || target.properties !== undefined || (alternatives !== undefined && target.type === "object")) {
    return buildObject(ctx, target, depth, refs, asMember);
  }
  if (alternatives !== undefined) return firstAlternative(ctx, target, alternatives, depth, refs);
  if (target.type === "array" || target.items !== undefined) {
    const item = target.items === undefined ? "sample" : build(ctx, target.items, depth + 1, refs);
    return item === undefined ? [] : [item];
  }
  if (target.type === "object" || target.additionalProperties !== undefined) {
    const extra = target.additionalProperties;
    const value = typeof extra === "object" ? build(ctx, extra, depth + 1, refs) : undefined;
    return value === undefined ? {} : { key: value };
  }
  return scalar(target);
}

/**
 * Object-like schemas: own properties merged with every `allOf` member and the first alternative.
 * An `allOf` that wraps a non-object (e.g. an array schema plus a description) yields that value.
 */
function buildObject(ctx: Context, target: Schema, depth: number, refs: readonly string[], asMember: boolean): unknown {
  const { spec } = ctx;
  const result: Record<string, unknown> = {};
  for (const member of target.allOf ?? []) {
    const value = build(ctx, member, depth, refs, true);
    if (isRecord(value)) Object.assign(result, value);
    else if (value !== undefined && target.properties === undefined) return value;
  }
  const alternatives = target.oneOf ?? target.anyOf;
  if (alternatives !== undefined) {
    const value = firstAlternative(ctx, target, alternatives, depth, refs);
    if (isRecord(value)) Object.assign(result, value);
  }
  const required = new Set(target.required ?? []);
  for (const [name, property] of Object.entries(target.properties ?? {})) {
    if (!required.has(name) && (depth >= OPTIONAL_DEPTH || (ctx.skipReadOnly && isReadOnly(property)))) continue;
    const value = build(ctx, property, depth + 1, refs);
    if (value !== undefined) result[name] = value;
    else if (required.has(name)) result[name] = minimal(spec.deref(property));
  }
  // `required` may name inherited properties that a member left out as optional.
  for (const name of required) {
    if (!(name in result)) {
      const inherited = findProperty(spec, target, name);
      if (inherited !== undefined) result[name] = build(ctx, inherited, depth + 1, refs) ?? minimal(spec.deref(inherited));
      // A required name that no schema declares (the spec has a few) must still be sent; an allOf
      // member leaves it to the whole, where a sibling member may declare it.
      else if (!asMember) result[name] = "sample";
    }
  }
  return result;
}

/**
 * The first alternative that yields a value. With a discriminator, its tag is set to a value that
 * selects that very alternative: the alternative's own enum may list every tag of the union.
 */
function firstAlternative(ctx: Context, target: Schema, alternatives: readonly Schema[], depth: number, refs: readonly string[]): unknown {
  for (const member of alternatives) {
    const value = build(ctx, member, depth, refs);
    if (value === undefined) continue;
    const mapping = target.discriminator?.mapping;
    const tag = mapping && member.$ref !== undefined ? Object.keys(mapping).find((key) => mapping[key] === member.$ref) : undefined;
    return tag !== undefined && isRecord(value) ? { ...value, [target.discriminator!.propertyName]: tag } : value;
  }
  return undefined;
}

function findProperty(spec: Spec, schema: Schema, name: string): Schema | undefined {
  const target = spec.deref(schema);
  const own = target.properties?.[name];
  if (own !== undefined) return own;
  for (const member of target.allOf ?? []) {
    const found = findProperty(spec, member, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

function scalar(target: Schema): string | number | boolean | undefined {
  switch (target.type) {
    case "string":
      return FORMAT_SAMPLES[target.format ?? ""] ?? "sample";
    case "integer":
      return Math.min(Math.max(1, Math.ceil(target.minimum ?? 1)), Math.floor(target.maximum ?? Infinity));
    case "number":
      return Math.min(Math.max(1.5, target.minimum ?? 1.5), target.maximum ?? Infinity);
    case "boolean":
      return true;
    default:
      return undefined;
  }
}

/** The smallest value of a schema's type, for required members that recursion cut off. */
function minimal(target: Schema): unknown {
  if (target.type === "array" || target.items !== undefined) return [];
  if (target.type === "object" || target.properties !== undefined || target.allOf !== undefined) return {};
  return scalar(target) ?? "sample";
}

/** Whether an `example` is a scalar (or array of scalars) that fits the schema's type and enum. */
function fitsScalar(spec: Spec, target: Schema, example: unknown): boolean {
  if (example === null) return target.nullable === true;
  if (target.enum !== undefined) return target.enum.includes(example);
  switch (target.type) {
    case "string":
      return typeof example === "string";
    case "integer":
      return Number.isInteger(example);
    case "number":
      return typeof example === "number";
    case "boolean":
      return typeof example === "boolean";
    case "array": {
      const items = spec.deref(target.items ?? {});
      return Array.isArray(example) && example.length > 0 && example.every((item) => fitsScalar(spec, items, item));
    }
    default:
      return false;
  }
}
