/**
 * Which properties an answer always carries, from the spec's own evidence.
 *
 * The spec's `required` lists are written for requests and are thin for answers, so a response
 * type built from them alone makes users test for fields the API always sends. A property of an
 * object schema is required in answers when the spec requires it, or when it is present in every
 * example instance of that schema the spec holds (in 2xx JSON response examples and in the schema
 * examples, walked alongside their schemas) and one of these holds:
 *   - the schema is the envelope of a 2xx answer (`{ droplet }`, `{ droplets, links, meta }`),
 *     which then needs no instance at all;
 *   - the property is `readOnly` (the server fills it) and at least one instance exists;
 *   - at least one instance comes from a 2xx response example.
 * Curated corrections come last: `x-tsdo-response-required` / `x-tsdo-response-optional` lists,
 * set by the overlays in `codegen/overlays/` (each action with its reason).
 */
import { isRecord } from "./schemaCheck.js";
import { type Example, HTTP_METHODS, type MediaType, type Response, type Schema, type Spec, isReadOnly } from "./spec.js";

interface Instances {
  total: number;
  fromResponses: number;
  /** Property name → number of instances that carry it. */
  readonly present: Map<string, number>;
}

const JSON_TYPE = "application/json";

/** Object schema → the property names an answer always carries (beyond the spec's `required`). */
export type ResponseRequired = ReadonlyMap<Schema, ReadonlySet<string>>;

export function responseRequired(spec: Spec): ResponseRequired {
  const answers = successMedia(spec);
  const nodes = allSchemaNodes(spec, answers);
  const instances = new Map<Schema, Instances>();
  const envelopes = new Set<Schema>();
  const record = (node: Schema, value: Record<string, unknown>, fromResponse: boolean): void => {
    let entry = instances.get(node);
    if (entry === undefined) instances.set(node, (entry = { total: 0, fromResponses: 0, present: new Map() }));
    entry.total++;
    if (fromResponse) entry.fromResponses++;
    for (const key of Object.keys(value)) entry.present.set(key, (entry.present.get(key) ?? 0) + 1);
  };
  const walk = (value: unknown, schema: Schema, fromResponse: boolean, depth: number): void => {
    if (depth > 40) return;
    const node = spec.deref(schema);
    for (const member of node.allOf ?? []) walk(value, member, fromResponse, depth + 1);
    for (const alternative of node.oneOf ?? node.anyOf ?? []) {
      if (plausible(spec, alternative, value)) walk(value, alternative, fromResponse, depth + 1);
    }
    if (Array.isArray(value)) {
      if (node.items !== undefined) for (const item of value) walk(item, node.items, fromResponse, depth + 1);
      return;
    }
    if (!isRecord(value)) return;
    const properties = node.properties ?? {};
    if (node.properties !== undefined) record(node, value, fromResponse);
    for (const [key, item] of Object.entries(value)) {
      const property = properties[key] ?? (typeof node.additionalProperties === "object" ? node.additionalProperties : undefined);
      if (property !== undefined) walk(item, property, fromResponse, depth + 1);
    }
  };

  for (const media of answers) {
    const schema = media.schema;
    if (schema === undefined) continue;
    markEnvelope(spec, schema, envelopes, new Set());
    for (const [, example] of namedExamples(spec, media)) walk(example, schema, true, 0);
  }
  for (const node of nodes) {
    if (node.example !== undefined && typeof node.example === "object" && node.example !== null) walk(node.example, node, false, 0);
  }

  const result = new Map<Schema, Set<string>>();
  for (const node of nodes) {
    if (node.properties === undefined) continue;
    const seen = instances.get(node);
    const always = (name: string): boolean => seen === undefined || seen.present.get(name) === seen.total;
    const names = new Set<string>();
    for (const [name, property] of Object.entries(node.properties)) {
      if (spec.deref(property).writeOnly === true || !always(name)) continue;
      const evidence = envelopes.has(node) || (seen !== undefined && (isReadOnly(spec.deref(property)) || isReadOnly(property) || seen.fromResponses > 0));
      if (evidence) names.add(name);
    }
    for (const name of node["x-tsdo-response-optional"] ?? []) names.delete(name);
    for (const name of node["x-tsdo-response-required"] ?? []) names.add(name);
    if (names.size > 0) result.set(node, names);
  }
  return result;
}

/** The JSON media of every operation's 2xx answers, in spec order. */
export function successMedia(spec: Spec): MediaType[] {
  const found: MediaType[] = [];
  for (const pathItem of Object.values(spec.doc.paths)) {
    for (const method of HTTP_METHODS) {
      for (const [status, response] of Object.entries(pathItem[method]?.responses ?? {})) {
        if (!/^2\d\d$/.test(status)) continue;
        const media = spec.deref<Response>(response).content?.[JSON_TYPE];
        if (media !== undefined && !found.includes(media)) found.push(media);
      }
    }
  }
  return found;
}

/**
 * A media type's examples with where each comes from: `example`, every `examples` value, and
 * (unless left out) its schema's own `example`.
 */
export function namedExamples(spec: Spec, media: MediaType, schemaExample = true): [string, unknown][] {
  const found: [string, unknown][] = [];
  if (media.example !== undefined) found.push(["example", media.example]);
  for (const [name, example] of Object.entries(media.examples ?? {})) {
    const value = spec.deref<Example>(example).value;
    if (value !== undefined) found.push([`examples.${name}`, value]);
  }
  if (schemaExample && media.schema !== undefined) {
    const example = spec.deref(media.schema).example;
    if (example !== undefined) found.push(["schema example", example]);
  }
  return found;
}

/** The answer's top-level object schemas: the schema, its `allOf` members and its alternatives. */
function markEnvelope(spec: Spec, schema: Schema, into: Set<Schema>, seen: Set<Schema>): void {
  const node = spec.deref(schema);
  if (seen.has(node)) return;
  seen.add(node);
  if (node.properties !== undefined) into.add(node);
  for (const member of [...(node.allOf ?? []), ...(node.oneOf ?? []), ...(node.anyOf ?? [])]) markEnvelope(spec, member, into, seen);
}

/**
 * Whether a value may be an instance of a union alternative. Attributing a value to an
 * alternative it does not belong to can only make that alternative's properties less required.
 */
function plausible(spec: Spec, alternative: Schema, value: unknown): boolean {
  const node = spec.deref(alternative);
  switch (node.type) {
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "integer":
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    default:
      return isRecord(value) && (node.required ?? []).every((name) => name in value);
  }
}

/** Every schema node reachable from the component schemas and the operations' answers. */
function allSchemaNodes(spec: Spec, answers: readonly MediaType[]): Set<Schema> {
  const nodes = new Set<Schema>();
  const visit = (schema: Schema | undefined): void => {
    if (schema === undefined || schema.$ref !== undefined || nodes.has(schema)) return;
    nodes.add(schema);
    for (const property of Object.values(schema.properties ?? {})) visit(property);
    for (const child of [schema.items, ...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) visit(child);
    if (typeof schema.additionalProperties === "object") visit(schema.additionalProperties);
  };
  for (const [, schema] of spec.schemas) visit(schema);
  for (const media of answers) visit(media.schema);
  return nodes;
}
