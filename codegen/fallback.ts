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
import { namedExamples, responseRequired } from "./evidence.js";
import type { OperationModel, PagingModel } from "./operations.js";
import { SampleBuilder } from "./samples.js";
import { isRecord, isValid, schemaProblem } from "./schemaCheck.js";
import { HTTP_METHODS, type MediaType, type Operation, type Response, type Schema, type Spec } from "./spec.js";

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

/** Optional properties are filled in answers down to this depth (0 = the body itself). */
const OPTIONAL_DEPTH = 2;

export function fallbackAnswers(spec: Spec, operations: readonly OperationModel[]): FallbackSet {
  const models = new Map(operations.map((op) => [op.id, op]));
  const builder = new FallbackBodies(new SampleBuilder(spec, { direction: "response", optionalDepth: OPTIONAL_DEPTH, responseRequired: responseRequired(spec) }));
  const answers: FallbackAnswer[] = [];
  for (const [path, pathItem] of Object.entries(spec.doc.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation === undefined) continue;
      const model = models.get(operation.operationId);
      answers.push(answerOf(spec, builder, operation, model?.path ?? path, method.toUpperCase() as HttpMethod, model));
    }
  }
  return { answers, notes: builder.samples.notes };
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
  builder: FallbackBodies,
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
  const example = namedExamples(spec, media, false).find(([, value]) => typeof value === "string")?.[1];
  return { ...base, contentType, body: example ?? TEXT_BODIES[contentType] ?? TEXT_BODIES["text/plain"] };
}

/** Fallback answers' bodies: the response's valid examples, else a built value, made one consistent page. */
class FallbackBodies {
  constructor(readonly samples: SampleBuilder) {}

  /** A valid body for a JSON response: a valid spec example, else one built from the schema. */
  responseBody(id: string, media: MediaType, model: OperationModel | undefined): unknown {
    const schema = media.schema;
    if (schema === undefined) return {};
    const candidates: unknown[] = [];
    for (const [name, example] of namedExamples(this.samples.spec, media, false)) {
      const value = this.samples.fitting(schema, example, `${id} response ${name}`);
      if (value !== undefined) candidates.push(value);
    }
    candidates.push(this.samples.build(schema, 0, { refs: [], where: `${id} response schema` }) ?? {});
    const paging = model?.paged ?? this.listIn(schema);
    for (const candidate of candidates) {
      const body = paging === undefined ? candidate : this.onePage(schema, candidate, paging, id);
      if (isValid(this.samples.spec, schema, body)) return body;
    }
    const body = candidates[candidates.length - 1];
    this.samples.note(`${id}: no valid response body could be built (${schemaProblem(this.samples.spec, schema, body)})`);
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
      const item = this.samples.build(itemSchema, 1, { refs: [], where: `${id} response.${property}.0` });
      if (item !== undefined) page[property] = [item];
    }
    const items = page[property];
    const declares = (name: string): boolean => this.samples.declaredProperty(schema, name) !== undefined;
    if (declares("links")) page["links"] = {};
    if (Array.isArray(items) && isRecord(body["meta"])) page["meta"] = { ...body["meta"], total: items.length };
    else if (Array.isArray(items) && declares("meta")) page["meta"] = { total: items.length };
    return isValid(this.samples.spec, schema, page) ? page : body;
  }
  /**
   * The item list of a list answer the client does not page (no `page` parameter, e.g.
   * `billingHistory_list`): its one array property beside `links` and `meta`. Its answer is
   * made one consistent page too.
   */
  private listIn(schema: Schema): PagingModel | undefined {
    if (this.samples.declaredProperty(schema, "links") === undefined || this.samples.declaredProperty(schema, "meta") === undefined) return undefined;
    const names = new Set<string>();
    this.samples.propertyNames(schema, names, new Set());
    const arrays = [...names]
      .filter((name) => name !== "links" && name !== "meta")
      .map((name) => [name, this.samples.spec.deref(this.samples.declaredProperty(schema, name)!)] as const)
      .filter(([, property]) => property.type === "array" && property.items !== undefined);
    if (arrays.length !== 1) return undefined;
    const [property, list] = arrays[0]!;
    return { property, itemSchema: list.items! };
  }
}
