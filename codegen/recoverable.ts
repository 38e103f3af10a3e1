/**
 * Which create operations can be made recoverable, and the data the runtime needs for it
 * (`OperationSpec.recover`, see `src/core/recoverable.ts`).
 *
 * A create qualifies when the spec lets tsdo find what it made without knowing its id: the body
 * takes a `tags` array of strings (where a marker tag goes), the answer holds the created resource
 * under one property, and a GET on the same path lists resources of that kind with their `tags`
 * (by `tag_name` when the list takes it, else by reading every page). Everything is read from the
 * spec; nothing is listed by hand.
 */
import type { RecoverSpec } from "../src/core/operationSpec.js";
import type { OperationModel } from "./operations.js";
import type { Schema, Spec } from "./spec.js";

/** Answer properties that describe the call rather than hold the resource. */
const ANSWER_METADATA = new Set(["links", "meta"]);
/**
 * The spec's schema for tags that "must exist in order to be referenced" (a firewall's target
 * tags): a fresh marker tag would be refused there, and it would not mark the resource anyway.
 */
const EXISTING_TAGS_SCHEMA = "#/components/schemas/existing_tags_array";

/** The `recover` data of every qualifying create, by operationId. */
export function recoverableCreates(spec: Spec, operations: readonly OperationModel[]): Map<string, RecoverSpec> {
  const found = new Map<string, RecoverSpec>();
  for (const op of operations) {
    const recover = recoverSpecOf(spec, op, operations);
    if (recover !== undefined) found.set(op.id, recover);
  }
  return found;
}

function recoverSpecOf(spec: Spec, op: OperationModel, operations: readonly OperationModel[]): RecoverSpec | undefined {
  if (op.httpMethod !== "POST" || op.body?.kind !== "json" || op.response.kind !== "json" || op.response.schema === undefined) return undefined;
  const body = propertiesOf(spec, op.body.schema);
  const tags = body.get("tags");
  if (!isStringArray(spec, tags) || refersTo(tags!, EXISTING_TAGS_SCHEMA)) return undefined;
  const answerProperties = propertiesOf(spec, op.response.schema);
  const answer = [...answerProperties].filter(([name]) => !ANSWER_METADATA.has(name));
  const single = answer.find(([, schema]) => isObject(spec, schema) && hasTags(spec, schema));
  if (single === undefined) return undefined;
  const list = operations.find((candidate) => candidate.group === op.group && candidate.httpMethod === "GET" && candidate.path === op.path);
  if (list === undefined || list.response.schema === undefined) return undefined;
  const listItems = list.paged?.property ?? onlyArrayOfTagged(spec, list.response.schema);
  if (listItems === undefined) return undefined;
  const byTag = list.query.some((p) => p.name === "tag_name") ? "tag_name" : undefined;
  // A multi-create (`names: [...]`) answers its resources as an array of the same items.
  const multi = isStringArray(spec, body.get("names"))
    ? answer.find(([, schema]) => spec.deref(schema).type === "array" && hasTags(spec, spec.deref(schema).items ?? {}))
    : undefined;
  return {
    tags: "tags",
    item: single[0],
    list: list.method,
    listItems,
    ...(byTag !== undefined && { byTag }),
    ...(answerProperties.has("links") && { links: "links" }),
    ...(multi !== undefined && { names: "names", items: multi[0] }),
  };
}

/** The single array property (outside links/meta) whose items carry `tags`, for unpaged lists. */
function onlyArrayOfTagged(spec: Spec, schema: Schema): string | undefined {
  const arrays = [...propertiesOf(spec, schema)].filter(
    ([name, property]) => !ANSWER_METADATA.has(name) && spec.deref(property).type === "array" && hasTags(spec, spec.deref(property).items ?? {}),
  );
  return arrays.length === 1 ? arrays[0]![0] : undefined;
}

function refersTo(schema: Schema, ref: string): boolean {
  return schema.$ref === ref || (schema.allOf ?? []).some((member) => refersTo(member, ref));
}

function propertiesOf(spec: Spec, schema: Schema, into = new Map<string, Schema>()): Map<string, Schema> {
  const target = spec.deref(schema);
  for (const [name, property] of Object.entries(target.properties ?? {})) into.set(name, property);
  // Alternatives count too: droplets_create's body is a oneOf of the single and the multi form.
  for (const member of [...(target.allOf ?? []), ...(target.oneOf ?? []), ...(target.anyOf ?? [])]) propertiesOf(spec, member, into);
  return into;
}

function hasTags(spec: Spec, schema: Schema): boolean {
  return isStringArray(spec, propertiesOf(spec, schema).get("tags"));
}

function isObject(spec: Spec, schema: Schema): boolean {
  const target = spec.deref(schema);
  return target.type === "object" || target.properties !== undefined || target.allOf !== undefined;
}

function isStringArray(spec: Spec, schema: Schema | undefined): boolean {
  if (schema === undefined) return false;
  const target = spec.deref(schema);
  if (target.type !== "array" && target.items === undefined) {
    // `tags: allOf: [$ref tags_array]` style wrappers.
    return (target.allOf ?? []).some((member) => isStringArray(spec, member));
  }
  const items = spec.deref(target.items ?? {});
  return items.type === "string" || items.type === undefined;
}
