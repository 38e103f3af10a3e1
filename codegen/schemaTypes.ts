/**
 * Schema → TypeScript type text.
 *
 * The mapping follows the wire format exactly: property names verbatim, `readonly` for
 * `readOnly`, `?` unless required, `| null` only for `nullable: true`, enums as literal unions,
 * `oneOf`/`anyOf` as unions (see `alternativesType` for empty alternatives and optional-only
 * `anyOf` objects), `allOf` as intersections, `additionalProperties` as index
 * signatures, and `unknown` wherever the spec gives no type. Component schemas are referenced by
 * name, which is also what makes recursive schemas work.
 */
import { briefDescription, jsDoc, stringLiteral } from "./format.js";
import type { ResponseRequired } from "./evidence.js";
import { propertyKey } from "./naming.js";
import { type Schema, type Spec, isReadOnly } from "./spec.js";

/**
 * Which side of the wire a type describes. A `request` type leaves out `readOnly` properties and
 * takes `readonly` arrays (so `as const` data fits); a `response` type leaves out `writeOnly`
 * properties and requires what the API always returns (`responseRequired`). Without a side, a
 * type serves both (the spec read literally).
 */
export type Side = "request" | "response";

export interface TypeContext {
  readonly spec: Spec;
  /** The type name for a `$ref`; the caller records it so the file can import it. */
  refName(ref: string): string;
  readonly side?: Side;
  /** Response side: object schema → the properties an answer always carries (see `evidence.ts`). */
  readonly responseRequired?: ResponseRequired;
}

/** Binding strength of a rendered type, to know when it needs parentheses. */
const enum Prec {
  Union = 0,
  Intersection = 1,
  /** `readonly T[]`: binds tighter than `&`, but needs parentheses as an array's item. */
  Operator = 2,
  Atom = 3,
}

interface Rendered {
  readonly text: string;
  readonly prec: Prec;
}

const UNKNOWN: Rendered = { text: "unknown", prec: Prec.Atom };

const INDENT = "  ";

/** The type of a schema as an expression, for use anywhere a type can appear. */
export function schemaType(schema: Schema, ctx: TypeContext, indent = ""): string {
  return render(schema, ctx, indent).text;
}

/**
 * A named declaration: an `interface` for a plain object schema (better hovers and error
 * messages), a `type` alias for everything else.
 */
/**
 * `optionalMayBeUndefined` types optional members as `T | undefined` too: callers build parameter
 * objects from variables that may be undefined, which `exactOptionalPropertyTypes` would refuse.
 */
export function schemaDeclaration(name: string, schema: Schema, ctx: TypeContext, docs: readonly string[] = [], optionalMayBeUndefined = false): string {
  const doc = jsDoc([...docs, ...schemaDocs(schema)]);
  if (isPlainObject(schema)) return `${doc}export interface ${name} ${objectLiteral(schema, ctx, "", NONE, optionalMayBeUndefined)}\n`;
  return `${doc}export type ${name} = ${schemaType(schema, ctx)};\n`;
}

/** The JSDoc lines a schema contributes: its description (or title) and deprecation. */
export function schemaDocs(schema: Schema): string[] {
  const lines: string[] = [];
  // `allOf: [$ref, { description }]` is the spec's way to describe a referenced property.
  const inline = schema.allOf?.find((member) => member.$ref === undefined && member.description !== undefined);
  const text = schema.description ?? inline?.description ?? schema.title;
  if (text !== undefined && text.trim() !== "") lines.push(briefDescription(text, text === schema.title ? undefined : schema.title));
  // Bounds and defaults are facts a caller needs at the call site (`per_page`: 1 to 200, default 20).
  if ((schema.type === "integer" || schema.type === "number") && (schema.minimum !== undefined || schema.maximum !== undefined)) {
    if (lines.length > 0) lines.push("");
    lines.push(schema.minimum !== undefined && schema.maximum !== undefined ? `From ${schema.minimum} to ${schema.maximum}.` : schema.minimum !== undefined ? `At least ${schema.minimum}.` : `At most ${schema.maximum}.`);
  }
  if (schema.default !== undefined && schema.default !== null && typeof schema.default !== "object" && String(schema.default).length <= 60) {
    lines.push(`@defaultValue ${JSON.stringify(schema.default)}`);
  }
  if (schema.deprecated === true) lines.push("@deprecated");
  return lines;
}

function isPlainObject(schema: Schema): boolean {
  return (
    schema.$ref === undefined &&
    schema.properties !== undefined &&
    schema.enum === undefined &&
    schema.nullable !== true &&
    schema.allOf === undefined &&
    schema.oneOf === undefined &&
    schema.anyOf === undefined
  );
}

/**
 * An `allOf` member such as `{ type: object, description }` next to a `$ref`: it documents the
 * property, and intersecting "any object" would add nothing but noise.
 */
function onlyDocuments(member: Schema): boolean {
  return member.type === "object" && isConstraintOnly({ ...member, type: undefined });
}

/** A schema that only adds constraints (e.g. `{ required: [name] }` inside an `allOf`). */
function isConstraintOnly(schema: Schema): boolean {
  return (
    schema.$ref === undefined &&
    schema.type === undefined &&
    schema.properties === undefined &&
    schema.items === undefined &&
    schema.additionalProperties === undefined &&
    schema.enum === undefined &&
    schema.allOf === undefined &&
    schema.oneOf === undefined &&
    schema.anyOf === undefined
  );
}

/**
 * `inherited` lists property names an enclosing `allOf` requires (a body `allOf: [project_base],
 * required: [name]`); they are required wherever this schema declares them.
 */
function render(schema: Schema, ctx: TypeContext, indent: string, inherited: ReadonlySet<string> = NONE): Rendered {
  if (schema.$ref !== undefined) return { text: ctx.refName(schema.$ref), prec: Prec.Atom };
  const base = schema.enum !== undefined ? literalUnion(schema.enum) : composite(schema, ctx, indent, inherited);
  if (schema.nullable !== true || base.text === "unknown" || base.text === "null") return base;
  return { text: `${base.text} | null`, prec: Prec.Union };
}

const NONE: ReadonlySet<string> = new Set();

function literalUnion(values: readonly unknown[]): Rendered {
  const literals = [...new Set(values.map((value) => (typeof value === "string" ? stringLiteral(value) : String(value))))];
  if (literals.length === 0) return { text: "never", prec: Prec.Atom };
  return { text: literals.join(" | "), prec: literals.length > 1 ? Prec.Union : Prec.Atom };
}

/** The structural part of a schema intersected with its `allOf` members and `oneOf`/`anyOf` union. */
function composite(schema: Schema, ctx: TypeContext, indent: string, inherited: ReadonlySet<string>): Rendered {
  const parts: Rendered[] = [];
  const core = structural(schema, ctx, indent, inherited);
  if (core !== undefined) parts.push(core);

  // Names this schema requires but does not declare itself fall to its `allOf` members. A member
  // that is only a constraint (`{ required: [name] }`) adds to them and is otherwise dropped.
  const own = new Set(Object.keys(schema.properties ?? {}));
  const members = schema.allOf ?? [];
  const typed = members.filter((m) => !isConstraintOnly(m) && !onlyDocuments(m));
  const constraints = members.filter((m) => !typed.includes(m)).flatMap((m) => m.required ?? []);
  const wanted = new Set([...(schema.required ?? []), ...inherited, ...constraints].filter((name) => !own.has(name)));
  for (const member of typed) {
    const rendered = render(member, ctx, indent, wanted);
    if (rendered.text !== "unknown") parts.push(rendered);
    if (member.$ref !== undefined && wanted.size > 0) {
      const fixup = requiredFromRef(member, rendered.text, wanted, ctx.spec, ctx.side);
      if (fixup !== undefined) parts.push(fixup);
    }
  }

  if (schema.oneOf !== undefined || schema.anyOf !== undefined) {
    const alternatives = alternativesType(schema, ctx, indent);
    if (alternatives.text !== "unknown") parts.push(alternatives);
  } else if (members.length > 0 && schema.required !== undefined) {
    // A name required here that neither this schema nor any member declares (a spec slip, e.g. the
    // uptime check's `method`) is still required on the wire; its type is unknown.
    const declared = new Set(own);
    for (const member of members) collectPropertyNames(member, ctx.spec, declared, new Set());
    const undeclared = (schema.required ?? []).filter((name) => !declared.has(name));
    if (undeclared.length > 0) parts.push({ text: `{ ${undeclared.map((name) => `${propertyKey(name)}: unknown;`).join(" ")} }`, prec: Prec.Atom });
  }

  if (parts.length === 0) return UNKNOWN;
  if (parts.length === 1) return parts[0]!;
  return { text: parts.map((part) => wrap(part, Prec.Intersection)).join(" & "), prec: Prec.Intersection };
}

/** `Required<Pick<Ref, …>>` for the wanted names a referenced schema declares (as optional or not). */
function requiredFromRef(member: Schema, name: string, wanted: ReadonlySet<string>, spec: Spec, side: Side | undefined): Rendered | undefined {
  const declared = new Set<string>();
  collectPropertyNames(member, spec, declared, new Set(), side);
  const names = [...wanted].filter((n) => declared.has(n));
  if (names.length === 0) return undefined;
  return { text: `Required<Pick<${name}, ${names.map(stringLiteral).join(" | ")}>>`, prec: Prec.Atom };
}

/**
 * The type of a schema's `oneOf` (or, without one, `anyOf`) alternatives.
 *
 * - An empty-schema alternative (`{}`, or one with only annotations such as a description)
 *   accepts any value, so in a union it would collapse the whole type to `unknown` and hide the
 *   typed alternatives. It adds nothing a typed reader can use, so it is dropped while at least
 *   one typed alternative remains (`page_links.pages`: `anyOf: [forward_links, backward_links, {}]`).
 *   The type then describes the answers the typed alternatives describe, plus `null`, the one
 *   "nothing" value the API answers through such an alternative (`"pages": null` in the
 *   autoscale pool lists); when every alternative is empty the type stays `unknown`.
 * - A catch-all object alternative (`type: object` and nothing else, e.g. `reserved_ip.droplet`'s
 *   `{ title: "null", type: object, nullable: true }` beside `$ref: droplet`) beside a typed object
 *   alternative says "or some other object"; the spec's prose says which: the typed one, or null.
 *   It is read as `null` when nullable and dropped otherwise, so `.droplet?.id` is typed.
 * - `anyOf` allows several alternatives to match at once. When every (remaining) alternative is
 *   an object whose properties are all optional and no two alternatives declare the same property
 *   differently, a value may carry the properties of any or all of them, so their intersection
 *   is emitted: `ForwardLinks & BackwardLinks` lets a reader test `pages.next` and `pages.first`
 *   alike, where a union would only offer the properties common to all alternatives. With the
 *   properties optional the intersection asks nothing of a value that the alternatives do not.
 * - `oneOf` means exactly one alternative matches, so its alternatives stay a union, as does an
 *   `anyOf` with a required property or a non-object alternative.
 */
function alternativesType(schema: Schema, ctx: TypeContext, indent: string): Rendered {
  const alternatives = schema.oneOf ?? schema.anyOf ?? [];
  const typed = alternatives.filter((member) => !isEmptySchema(member));
  const catchAll = typed.some(isCatchAllObject) && typed.some((member) => !isCatchAllObject(member) && isObjectLike(ctx.spec, member));
  const kept = catchAll ? typed.filter((member) => !isCatchAllObject(member)) : typed;
  const members = kept.length > 0 ? kept : alternatives;
  // What the dropped alternatives still admit that a reader meets: `null`.
  const orNull = members !== alternatives && alternatives.some((member) => !members.includes(member) && (isEmptySchema(member) || member.nullable === true));
  const withNull = (rendered: Rendered): Rendered => (orNull ? unionOf([rendered, { text: "null", prec: Prec.Atom }]) : rendered);
  if (schema.oneOf === undefined && members.length > 1 && optionalObjectsAgree(members, ctx.spec)) {
    return withNull(intersectionOf(members.map((member) => render(member, ctx, indent))));
  }
  return withNull(unionOf(members.map((member) => discriminated(member, render(member, ctx, indent), schema.discriminator))));
}

/** `type: object` with nothing that says which object. */
function isCatchAllObject(schema: Schema): boolean {
  const { type, ...rest } = schema;
  return type === "object" && isEmptySchema(rest);
}

function isObjectLike(spec: Spec, schema: Schema): boolean {
  let target: Schema;
  try {
    target = spec.deref(schema);
  } catch {
    return false; // A $ref outside the spec (only in hand-made test contexts).
  }
  return target.type === "object" || target.properties !== undefined || target.allOf !== undefined;
}

/**
 * An alternative narrowed to the discriminator values that select it (`& { type: "reboot" | … }`),
 * so a union of request shapes narrows on its tag and refuses fields of another alternative.
 */
function discriminated(member: Schema, rendered: Rendered, discriminator: Schema["discriminator"]): Rendered {
  if (discriminator?.mapping === undefined || member.$ref === undefined) return rendered;
  const values = Object.entries(discriminator.mapping)
    .filter(([, ref]) => ref === member.$ref)
    .map(([value]) => stringLiteral(value));
  if (values.length === 0) return rendered;
  return { text: `${wrap(rendered, Prec.Intersection)} & { ${propertyKey(discriminator.propertyName)}: ${values.join(" | ")} }`, prec: Prec.Intersection };
}

/** Keys that describe a schema without constraining its values. */
const ANNOTATIONS = new Set(["title", "description", "example", "examples", "default", "deprecated", "readOnly", "writeOnly", "nullable", "externalDocs"]);

/** A schema every value is valid for: no keywords but annotations (and `x-` extensions). */
export function isEmptySchema(schema: Schema): boolean {
  return Object.keys(schema).every((key) => ANNOTATIONS.has(key) || key.startsWith("x-"));
}

/**
 * Whether every member is an object schema whose properties (own, or through `$ref`/`allOf`)
 * are all optional, without `oneOf`/`anyOf`/`enum`/`additionalProperties`, and whether the
 * members agree on every property name they share (the same schema).
 */
function optionalObjectsAgree(members: readonly Schema[], spec: Spec): boolean {
  const declared = new Map<string, Schema>();
  for (const member of members) {
    const properties = new Map<string, Schema>();
    if (!collectOptionalProperties(member, spec, properties, new Set())) return false;
    for (const [name, property] of properties) {
      const other = declared.get(name);
      if (other !== undefined && other !== property && !(other.$ref !== undefined && other.$ref === property.$ref)) return false;
      declared.set(name, property);
    }
  }
  return true;
}

function collectOptionalProperties(schema: Schema, spec: Spec, into: Map<string, Schema>, seen: Set<Schema>): boolean {
  let target: Schema;
  try {
    target = spec.deref(schema);
  } catch {
    return false; // A $ref outside the spec (only in hand-made test contexts): keep the union.
  }
  if (seen.has(target)) return false;
  seen.add(target);
  const objectLike = target.type === "object" || target.properties !== undefined || target.allOf !== undefined;
  if (!objectLike || (target.type !== undefined && target.type !== "object")) return false;
  if ((target.required ?? []).length > 0 || target.nullable === true) return false;
  if (target.oneOf !== undefined || target.anyOf !== undefined || target.enum !== undefined || target.additionalProperties !== undefined) return false;
  for (const [name, property] of Object.entries(target.properties ?? {})) into.set(name, property);
  return (target.allOf ?? []).every((member) => collectOptionalProperties(member, spec, into, seen));
}

function intersectionOf(members: Rendered[]): Rendered {
  if (members.some((member) => member.text === "unknown")) return UNKNOWN;
  const texts = [...new Set(members.map((member) => wrap(member, Prec.Intersection)))];
  if (texts.length === 1) return members[0]!;
  return { text: texts.join(" & "), prec: Prec.Intersection };
}

function unionOf(members: Rendered[]): Rendered {
  if (members.some((member) => member.text === "unknown")) return UNKNOWN;
  const texts = [...new Set(members.map((member) => wrap(member, Prec.Union)))];
  if (texts.length === 1) return members[0]!;
  return { text: texts.join(" | "), prec: Prec.Union };
}

/** The type described by `type`, `properties`, `items` and `additionalProperties` alone. */
function structural(schema: Schema, ctx: TypeContext, indent: string, inherited: ReadonlySet<string>): Rendered | undefined {
  if (schema.type === "array" || schema.items !== undefined) {
    const item = schema.items === undefined ? UNKNOWN : render(schema.items, ctx, indent);
    if (ctx.side === "request") return { text: `readonly ${wrap(item, Prec.Atom)}[]`, prec: Prec.Operator };
    return { text: `${wrap(item, Prec.Atom)}[]`, prec: Prec.Atom };
  }
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) {
    return { text: objectLiteral(schema, ctx, indent, inherited), prec: Prec.Atom };
  }
  switch (schema.type) {
    case "string":
      return { text: "string", prec: Prec.Atom };
    case "integer":
    case "number":
      return { text: "number", prec: Prec.Atom };
    case "boolean":
      return { text: "boolean", prec: Prec.Atom };
    case "object": {
      // A bare `type: object` beside a composition adds nothing; alone it means "any object".
      const composed = schema.allOf !== undefined || schema.oneOf !== undefined || schema.anyOf !== undefined;
      return composed ? undefined : { text: "{ [key: string]: unknown }", prec: Prec.Atom };
    }
    default:
      return undefined;
  }
}

function objectLiteral(schema: Schema, ctx: TypeContext, indent: string, inherited: ReadonlySet<string> = NONE, optionalMayBeUndefined = false): string {
  const inner = indent + INDENT;
  const required = new Set([...(schema.required ?? []), ...inherited, ...(ctx.side === "response" ? (ctx.responseRequired?.get(schema) ?? NONE) : NONE)]);
  const members: string[] = [];
  const properties = Object.entries(schema.properties ?? {}).filter(([, property]) => onSide(property, ctx.spec, ctx.side));
  for (const [name, property] of properties) {
    const modifier = isReadOnly(property) ? "readonly " : "";
    const optional = required.has(name) ? "" : "?";
    const doc = jsDoc(schemaDocs(property), inner);
    const type = schemaType(property, ctx, inner);
    const orUndefined = optional && optionalMayBeUndefined ? ` | undefined` : "";
    members.push(`${doc}${inner}${modifier}${propertyKey(name)}${optional}: ${type}${orUndefined};\n`);
  }
  const extra = schema.additionalProperties;
  if (extra !== undefined && extra !== false) {
    // Declared properties must fit the index signature, so beside them the index type widens to unknown.
    const valueType = extra === true || properties.length > 0 ? "unknown" : schemaType(extra, ctx, inner);
    members.push(`${inner}[key: string]: ${valueType};\n`);
  } else if (properties.length === 0) {
    members.push(`${inner}[key: string]: ${extra === false ? "never" : "unknown"};\n`);
  }
  return `{\n${members.join("")}${indent}}`;
}

/** Property names an object schema declares (on that side), directly or through `$ref`/`allOf`. */
function collectPropertyNames(schema: Schema, spec: Spec, into: Set<string>, seen: Set<Schema>, side?: Side): void {
  const target = spec.deref(schema);
  if (seen.has(target)) return;
  seen.add(target);
  for (const [name, property] of Object.entries(target.properties ?? {})) if (onSide(property, spec, side)) into.add(name);
  for (const member of target.allOf ?? []) collectPropertyNames(member, spec, into, seen, side);
}

/** Whether a property exists on that side: requests never carry `readOnly` ones, answers never `writeOnly` ones. */
function onSide(property: Schema, spec: Spec, side: Side | undefined): boolean {
  if (side === "request") return !isReadOnly(property) && !isReadOnly(spec.deref(property));
  if (side === "response") return spec.deref(property).writeOnly !== true && property.writeOnly !== true;
  return true;
}

function wrap(rendered: Rendered, min: Prec): string {
  return rendered.prec < min ? `(${rendered.text})` : rendered.text;
}
