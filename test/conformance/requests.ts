/**
 * What each conformance call sends: path values, parameters and body for one operation, taken from
 * the spec alone (see specIndex.ts for why not from the generator's model).
 *
 * Every operation is called in (up to) three variants, each of which must pass:
 * - `required`: path values, the required query/header parameters, and the body — the spec's first
 *   request example when it has one, otherwise a value built from the body schema;
 * - `all params`: the same plus every optional query/header parameter;
 * - `example <name>`: each further request example of the spec, with the required parameters;
 * - `… with stream: <flag>`: for bodies with a boolean `stream` flag, the first body with it flipped.
 */
import { sampleValue } from "../../codegen/samples";
import type { Parameter, Schema, Spec } from "../../codegen/spec";
import type { SpecOperation } from "./specIndex";

export interface CallVariant {
  /** Shown in failure messages: `required`, `all params`, `example Basic Create Request`. */
  readonly label: string;
  readonly pathValues: readonly (string | number)[];
  /** Query and header parameters keyed by their spec names; absent when there are none to send. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Absent when the operation takes no body. */
  readonly body?: unknown;
  /** Where the body came from: `example <name>`, `schema` or `bytes`. */
  readonly bodySource?: string;
}

/** The spec writes the presigned-upload operation's path as this placeholder. */
const UPLOAD_URL_PLACEHOLDER = "/<upload_url>";

/** A few JSONL bytes: the upload operation's body is `format: binary` with no further shape. */
const UPLOAD_BYTES = new TextEncoder().encode('{"custom_id":"request-1","body":{}}\n');

export function callVariants(spec: Spec, operation: SpecOperation): CallVariant[] {
  const pathValues = operation.pathParams.map((p) => pathValue(spec, p));
  const required = paramValues(spec, [...operation.query, ...operation.headers].filter((p) => p.required === true));
  const all = paramValues(spec, [...operation.query, ...operation.headers]);
  const bodies = bodyChoices(spec, operation);
  const [first, ...others] = bodies;
  const withBody = (choice: BodyChoice | undefined): Pick<CallVariant, "body" | "bodySource"> =>
    choice === undefined ? {} : { body: choice.value, bodySource: choice.source };

  const variants: CallVariant[] = [{ label: "required", pathValues, ...nonEmpty(required), ...withBody(first) }];
  if (Object.keys(all).length > Object.keys(required).length) {
    variants.push({ label: "all params", pathValues, ...nonEmpty(all), ...withBody(first) });
  }
  for (const choice of others) variants.push({ label: choice.source, pathValues, ...nonEmpty(required), ...withBody(choice) });
  // Operations that can stream choose between JSON and an event stream by the body's `stream`
  // flag: both settings are sent, whichever the first body happened to have.
  const flipped = flipStream(first);
  if (flipped !== undefined) variants.push({ label: flipped.source, pathValues, ...nonEmpty(required), ...withBody(flipped) });
  return variants;
}

function flipStream(choice: BodyChoice | undefined): BodyChoice | undefined {
  const value = choice?.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const stream = (value as Record<string, unknown>)["stream"];
  if (typeof stream !== "boolean") return undefined;
  return { value: { ...value, stream: !stream }, source: `${choice?.source} with stream: ${!stream}` };
}

/** The URL the SDK is given for the presigned-upload operation: Prism, at the spec's placeholder path. */
export function uploadUrl(prismUrl: string, operation: SpecOperation): string {
  if (operation.path !== UPLOAD_URL_PLACEHOLDER) throw new Error(`${operation.id}: expected the path ${UPLOAD_URL_PLACEHOLDER}`);
  return prismUrl + encodeURI(operation.path);
}

function nonEmpty(params: Record<string, unknown>): { params?: Record<string, unknown> } {
  return Object.keys(params).length === 0 ? {} : { params };
}

/** A path value: the parameter's example, else one built from its schema. */
function pathValue(spec: Spec, param: Parameter): string | number {
  const value = param.example ?? sampleValue(spec, param.schema ?? { type: "string" }, "request");
  if (typeof value === "string" || typeof value === "number") return value;
  throw new Error(`path parameter ${param.name}: no string or number sample (got ${JSON.stringify(value)})`);
}

function paramValues(spec: Spec, params: readonly Parameter[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const param of params) values[param.name] = paramValue(spec, param);
  return values;
}

/**
 * A query or header value: the parameter's example, else one built from its schema. Array
 * parameters are sent exploded (`?a=1&a=2`, OpenAPI's default `form` style), so a scalar example
 * of an array parameter is wrapped.
 */
function paramValue(spec: Spec, param: Parameter): unknown {
  const schema: Schema = spec.deref(param.schema ?? { type: "string" });
  const value = param.example ?? sampleValue(spec, schema, "request");
  return schema.type === "array" && !Array.isArray(value) ? [value] : value;
}

interface BodyChoice {
  readonly value: unknown;
  readonly source: string;
}

function bodyChoices(spec: Spec, operation: SpecOperation): BodyChoice[] {
  const body = operation.body;
  if (body === undefined) return [];
  if (body.contentType === "application/octet-stream") return [{ value: UPLOAD_BYTES, source: "bytes" }];
  if (body.examples.length > 0) return body.examples.map((example) => ({ value: structuredClone(example.value), source: `example ${example.name}` }));
  return [{ value: sampleValue(spec, body.schema, "request"), source: "schema" }];
}
