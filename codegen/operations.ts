/**
 * The operation model: everything the emitters need to know about one operation, decided once
 * from the spec (names, parameters, body and response kinds, paging, server).
 */
import type { HttpMethod, OperationServer, RequestBodyKind, ResponseKind } from "../src/core/operationSpec.js";
import { operationName } from "./naming.js";
import { HTTP_METHODS, type Operation, type Parameter, type Response, type Schema, type Spec } from "./spec.js";

export interface ParamModel {
  /** The spec's name, verbatim (it is also the wire name). */
  readonly name: string;
  readonly required: boolean;
  readonly description?: string;
  readonly schema: Schema;
  readonly example?: unknown;
}

/** A path parameter; its value is a string, a number, or either (`anyOf` of both). */
export interface PathParamModel extends ParamModel {
  readonly valueType: "string" | "number" | "string | number";
}

export interface BodyModel {
  readonly kind: RequestBodyKind;
  readonly required: boolean;
  /** The JSON schema; for binary bodies the spec's `string`/`binary` schema. */
  readonly schema: Schema;
  readonly description?: string;
  /** True when the body has a boolean `stream` property that chooses an event-stream answer. */
  readonly streamFlag: boolean;
}

export interface ResponseModel {
  readonly kind: ResponseKind;
  /** The 2xx status the model describes. */
  readonly status: number;
  readonly description?: string;
  /** The response's Content-Type (the JSON one for operations that may also stream). */
  readonly contentType?: string;
  /** The JSON schema (kinds `json` and `events`); absent means the spec gives none. */
  readonly schema?: Schema;
  /** The schema of one `data:` payload of a `text/event-stream` answer (kind `events`). */
  readonly eventSchema?: Schema;
}

export interface PagingModel {
  /** The response property that holds the page's items. */
  readonly property: string;
  readonly itemSchema: Schema;
}

export interface OperationModel {
  readonly id: string;
  readonly group: string;
  readonly method: string;
  readonly httpMethod: HttpMethod;
  readonly path: string;
  readonly summary: string;
  /** The operation's first spec tag (the API reference section it is listed in). */
  readonly tag: string;
  readonly deprecated: boolean;
  readonly pathParams: readonly PathParamModel[];
  readonly query: readonly ParamModel[];
  readonly headers: readonly ParamModel[];
  readonly body?: BodyModel;
  readonly response: ResponseModel;
  readonly paged?: PagingModel;
  readonly server?: OperationServer;
}

/** The operations of a spec in spec order, plus notes on decisions a reader should know about. */
export interface OperationSet {
  readonly operations: OperationModel[];
  readonly notes: string[];
}

const EVENT_STREAM = "text/event-stream";
const JSON_TYPE = "application/json";
const TEXT_TYPES = new Set(["text/csv", "application/yaml", "text/plain"]);
const BINARY_TYPES = new Set(["application/pdf", "application/octet-stream"]);
/** Response properties that describe the page rather than hold its items. */
const PAGE_METADATA = new Set(["links", "meta"]);

/** The absolute-URL operation's single argument (the spec's path is the placeholder `/<upload_url>`). */
const ABSOLUTE_URL_PARAM = "upload_url";

export function readOperations(spec: Spec): OperationSet {
  const operations: OperationModel[] = [];
  const notes: string[] = [];
  for (const [path, pathItem] of Object.entries(spec.doc.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation !== undefined) operations.push(readOperation(spec, path, method, operation, notes));
    }
  }
  return { operations, notes };
}

function readOperation(spec: Spec, path: string, method: string, op: Operation, notes: string[]): OperationModel {
  const { group, method: methodName } = operationName(op.operationId);
  const params = (op.parameters ?? []).map((p) => spec.deref<Parameter>(p));
  const server = serverOf(op);
  const absolute = server === "absolute";
  const response = readResponse(spec, op);
  const query = params.filter((p) => p.in === "query").map(paramModel);
  const model: OperationModel = {
    id: op.operationId,
    group,
    method: methodName,
    httpMethod: method.toUpperCase() as HttpMethod,
    // The presigned URL replaces the whole address, so the template is just that parameter.
    path: absolute ? `{${ABSOLUTE_URL_PARAM}}` : path,
    summary: op.summary ?? "",
    tag: op.tags?.[0] ?? group,
    deprecated: op.deprecated === true,
    pathParams: absolute
      ? [{ name: ABSOLUTE_URL_PARAM, required: true, schema: { type: "string" }, valueType: "string", description: "The presigned upload URL, used as is." }]
      : params.filter((p) => p.in === "path").map((p) => ({ ...paramModel(p), valueType: pathValueType(spec, p, op.operationId) })),
    query,
    headers: params.filter((p) => p.in === "header").map(paramModel),
    response,
    ...(op.requestBody !== undefined && { body: readBody(spec, op) }),
    ...(server !== undefined && { server }),
  };
  if (query.some((p) => p.name === "page")) {
    const paged = readPaging(spec, response, op.operationId, notes);
    if (paged !== undefined) return { ...model, paged };
  }
  return model;
}

function paramModel(param: Parameter): ParamModel {
  return {
    name: param.name,
    required: param.required === true,
    schema: param.schema ?? {},
    ...(param.description !== undefined && { description: param.description }),
    ...(param.example !== undefined && { example: param.example }),
  };
}

function pathValueType(spec: Spec, param: Parameter, id: string): PathParamModel["valueType"] {
  const kinds = new Set<string>();
  const visit = (schema: Schema): void => {
    const target = spec.deref(schema);
    if (target.type === "integer" || target.type === "number") kinds.add("number");
    else if (target.type === "string") kinds.add("string");
    for (const member of [...(target.anyOf ?? []), ...(target.oneOf ?? [])]) visit(member);
  };
  visit(param.schema ?? {});
  if (kinds.has("string") && kinds.has("number")) return "string | number";
  if (kinds.has("number")) return "number";
  if (kinds.has("string")) return "string";
  throw new Error(`${id}: path parameter ${param.name} is neither a string nor a number`);
}

function serverOf(op: Operation): OperationServer | undefined {
  const url = op.servers?.[0]?.url;
  if (url === undefined) return undefined;
  if (url === "https://inference.do-ai.run") return "inference";
  if (url.includes("{agent_url}")) return "agent";
  if (url === "https://") return "absolute";
  throw new Error(`${op.operationId}: unsupported operation server ${url}`);
}

function readBody(spec: Spec, op: Operation): BodyModel {
  const body = spec.deref(op.requestBody!);
  const content = body.content ?? {};
  const base = { required: body.required === true, ...(body.description !== undefined && { description: body.description }) };
  const json = content[JSON_TYPE];
  if (json !== undefined) {
    const schema = json.schema ?? {};
    return { kind: "json", schema, streamFlag: hasBooleanStream(spec, schema), ...base };
  }
  if (content["application/octet-stream"] !== undefined) {
    return { kind: "binary", schema: content["application/octet-stream"].schema ?? {}, streamFlag: false, ...base };
  }
  throw new Error(`${op.operationId}: unsupported request content ${Object.keys(content).join(", ")}`);
}

function hasBooleanStream(spec: Spec, schema: Schema): boolean {
  const stream = spec.deref(schema).properties?.["stream"];
  return stream !== undefined && spec.deref(stream).type === "boolean";
}

/**
 * The successful response the method returns: the first 2xx (by status) with a JSON body, else the
 * first 2xx. An operation without any 2xx response (`genai_create_model_api_key`) is read as JSON
 * of unknown shape, since the API does answer it with a body.
 */
function readResponse(spec: Spec, op: Operation): ResponseModel {
  const successes = Object.entries(op.responses ?? {})
    .filter(([status]) => /^2\d\d$/.test(status))
    .map(([status, response]) => ({ status: Number(status), response: spec.deref<Response>(response) }))
    .sort((a, b) => a.status - b.status);
  if (successes.length === 0) return { kind: "json", status: 200, contentType: JSON_TYPE };
  const chosen = successes.find((s) => s.response.content?.[JSON_TYPE] !== undefined) ?? successes[0]!;
  const content = chosen.response.content ?? {};
  const types = Object.keys(content);
  const status = chosen.status;
  const description = chosen.response.description;
  const base = description === undefined ? { status } : { status, description };
  if (types.length === 0) return { kind: "none", ...base };
  const json = content[JSON_TYPE];
  const events = content[EVENT_STREAM];
  if (json !== undefined && events !== undefined) {
    return { kind: "events", ...base, contentType: JSON_TYPE, schema: json.schema ?? {}, eventSchema: events.schema ?? {} };
  }
  if (json !== undefined) return { kind: "json", ...base, contentType: JSON_TYPE, schema: json.schema ?? {} };
  const [type] = types as [string];
  if (TEXT_TYPES.has(type)) return { kind: "text", ...base, contentType: type };
  if (BINARY_TYPES.has(type)) return { kind: "binary", ...base, contentType: type };
  throw new Error(`${op.operationId}: unsupported response content ${types.join(", ")}`);
}

/**
 * The item array of a paged response: its one array property other than `links`/`meta`. When
 * several arrays qualify, the one holding objects is taken (the others list enum values, e.g.
 * `available_statuses`); responses without an item array are left unpaged, with a note.
 */
function readPaging(spec: Spec, response: ResponseModel, id: string, notes: string[]): PagingModel | undefined {
  const properties = new Map<string, Schema>();
  if (response.schema !== undefined) collectProperties(spec, response.schema, properties);
  const arrays = [...properties].filter(([name, schema]) => !PAGE_METADATA.has(name) && spec.deref(schema).type === "array");
  const chosen = arrays.length > 1 ? arrays.filter(([, schema]) => isObjectSchema(spec, spec.deref(schema).items ?? {})) : arrays;
  if (chosen.length !== 1) {
    const why = arrays.length > 1 ? `several array properties (${arrays.map(([n]) => n).join(", ")}) and no single one of objects` : "no item array in its response";
    notes.push(`${id}: has a "page" parameter but ${why}; not paged`);
    return undefined;
  }
  if (arrays.length > 1) {
    notes.push(`${id}: several array properties (${arrays.map(([n]) => n).join(", ")}); paging over "${chosen[0]![0]}", the one holding objects`);
  }
  const [property, schema] = chosen[0]!;
  return { property, itemSchema: spec.deref(schema).items ?? {} };
}

function collectProperties(spec: Spec, schema: Schema, into: Map<string, Schema>): void {
  const target = spec.deref(schema);
  for (const [name, property] of Object.entries(target.properties ?? {})) into.set(name, property);
  for (const member of target.allOf ?? []) collectProperties(spec, member, into);
}

function isObjectSchema(spec: Spec, schema: Schema): boolean {
  const target = spec.deref(schema);
  return target.type === "object" || target.properties !== undefined || target.allOf !== undefined;
}
