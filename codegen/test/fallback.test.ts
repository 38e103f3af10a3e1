import assert from "node:assert/strict";
import { FALLBACK_FILE, emitFallbacks } from "../emit/fallback.js";
import { type FallbackAnswer, fallbackAnswers } from "../fallback.js";
import { generate } from "../generate.js";
import { readOperations } from "../operations.js";
import { isValid, schemaProblem } from "../schemaCheck.js";
import { type Example, HTTP_METHODS, type MediaType, type OpenApiDocument, type Operation, type Response, type Schema, Spec } from "../spec.js";
import { fixtureDocument, fixtureSpec } from "./fixture.js";
import { SpecValidator } from "./jsonSchema.js";
import { loadSpec } from "../../test/support/spec.js";

function answersOf(spec: Spec): Map<string, FallbackAnswer> {
  const { answers } = fallbackAnswers(spec, readOperations(spec).operations);
  return new Map(answers.map((answer) => [answer.operationId, answer]));
}

/** The fixture plus the cases only these tests need. */
function extendedSpec(): Spec {
  const doc = fixtureDocument();
  const page = { $ref: "#/components/schemas/meta" };
  Object.assign(doc.paths, {
    "/v2/gen-ai/models/api_keys": {
      post: {
        operationId: "genai_create_model_api_key",
        responses: {
          "401": { description: "Unauthorized", content: { "application/json": { schema: { $ref: "#/components/schemas/error" } } } },
          default: {
            description: "Unexpected error",
            content: { "application/json": { schema: { $ref: "#/components/schemas/error" }, example: { id: "example_error", message: "some error" } } },
          },
        },
      },
    },
    "/v2/account/keys": {
      get: {
        operationId: "sshKeys_list",
        parameters: [{ $ref: "#/components/parameters/page" }],
        responses: {
          "200": {
            description: "OK",
            content: {
              "application/json": {
                schema: {
                  allOf: [
                    { type: "object", properties: { ssh_keys: { type: "array", items: { $ref: "#/components/schemas/ssh_key" } } } },
                    { $ref: "#/components/schemas/pagination" },
                    page,
                  ],
                },
                // Two keys and a next page: the answer keeps one key, so total and links must follow.
                examples: {
                  all: {
                    value: {
                      ssh_keys: [
                        { id: 1, name: "first", fingerprint: "aa" },
                        { id: 2, name: "second", fingerprint: "bb" },
                      ],
                      links: { pages: { next: "https://api.digitalocean.com/v2/account/keys?page=2" } },
                      meta: { total: 40 },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    "/v2/regions": {
      get: {
        operationId: "regions_list",
        responses: {
          "200": {
            description: "OK",
            content: {
              "application/json": {
                schema: { type: "object", required: ["regions"], properties: { regions: { type: "array", items: { $ref: "#/components/schemas/region" } } } },
                // Invalid: `available` must be a boolean.
                example: { regions: [{ slug: "nyc3", available: "yes" }] },
              },
            },
          },
        },
      },
    },
    "/v2/kubernetes/clusters/{cluster_id}/kubeconfig": {
      get: {
        operationId: "kubernetes_get_kubeconfig",
        parameters: [{ name: "cluster_id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        responses: { "200": { description: "A kubeconfig", content: { "application/yaml": {} } } },
      },
    },
    "/v2/customers/my/invoices/{invoice_uuid}/csv": {
      get: {
        operationId: "invoices_get_csvByUUID",
        parameters: [{ name: "invoice_uuid", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "CSV", content: { "text/csv": { schema: { type: "string" } } } } },
      },
    },
    "/v2/volumes/actions": {
      post: {
        operationId: "volumeActions_post",
        responses: { "202": { description: "Accepted", content: { "application/json": { schema: { $ref: "#/components/schemas/volume_action" } } } } },
      },
    },
    "/v2/volumes/{volume_id}/actions": {
      post: {
        operationId: "volumeActions_post_byId",
        parameters: [{ name: "volume_id", in: "path", required: true, schema: { type: "string" } }],
        responses: {
          "202": { description: "Accepted", content: { "application/json": { schema: { $ref: "#/components/schemas/volume_action" } } } },
          "200": { description: "Done", content: { "application/json": { schema: { type: "object" } } } },
        },
      },
    },
  } satisfies OpenApiDocument["paths"]);
  Object.assign(doc.components!.schemas!, {
    meta: { type: "object", required: ["meta"], properties: { meta: { type: "object", required: ["total"], properties: { total: { type: "integer" } } } } },
    ssh_key: { type: "object", required: ["name"], properties: { id: { type: "integer" }, name: { type: "string" }, fingerprint: { type: "string" } } },
    region: {
      type: "object",
      required: ["slug", "available"],
      properties: { slug: { type: "string", example: "ams3" }, available: { type: "boolean" }, created_at: { type: "string", format: "date-time", example: "yesterday" } },
    },
    volume_action: {
      oneOf: [
        { type: "object", required: ["type"], properties: { type: { type: "string", enum: ["attach"] }, droplet_id: { type: "integer" } } },
        { type: "object", required: ["type"], properties: { type: { type: "string" }, size_gigabytes: { type: "integer", minimum: 1 } } },
      ],
    },
  } satisfies Record<string, Schema>);
  return new Spec(doc);
}

describe("codegen fallback answers", () => {
  const spec = extendedSpec();
  const answers = answersOf(spec);

  it("answers every operation once, with the path the operation table uses", () => {
    assert.equal(answers.size, readOperations(spec).operations.length);
    assert.deepEqual(answers.get("inference_upload_batch_file"), { operationId: "inference_upload_batch_file", method: "PUT", path: "{upload_url}", status: 200 });
    assert.equal(answers.get("droplets_get")?.path, "/v2/droplets/{droplet_id}");
  });

  it("takes the first 2xx status and the success media type", () => {
    assert.deepEqual(answers.get("droplets_destroy_withAssociatedResourcesDangerous"), {
      operationId: "droplets_destroy_withAssociatedResourcesDangerous",
      method: "DELETE",
      path: "/v2/droplets/{droplet_id}/destroy_with_associated_resources/dangerous",
      status: 204,
    });
    const create = answers.get("droplets_create")!;
    assert.equal(create.status, 202);
    assert.equal(create.contentType, "application/json");
    // 200 comes before 202 whatever the spec's key order.
    assert.equal(answers.get("volumeActions_post_byId")?.status, 200);
    // An operation that may stream answers its JSON alternative.
    assert.equal(answers.get("inference_create_chat_completion")?.contentType, "application/json");
  });

  it("answers text types with text: PDF, a CSV header and row, a kubeconfig", () => {
    const pdf = answers.get("invoices_get_pdfByUUID")!;
    assert.equal(pdf.contentType, "application/pdf");
    assert.match(pdf.body as string, /^%PDF-1\.4\n/);
    const csv = answers.get("invoices_get_csvByUUID")!;
    assert.equal(csv.contentType, "text/csv");
    assert.ok((csv.body as string).split("\n").filter((line) => line !== "").length >= 2);
    const yaml = answers.get("kubernetes_get_kubeconfig")!;
    assert.equal(yaml.contentType, "application/yaml");
    assert.match(yaml.body as string, /^apiVersion: v1\n[\s\S]*kind: Config\n[\s\S]*current-context: /);
  });

  it("answers an operation without a 2xx with 200 and what its default response describes", () => {
    assert.deepEqual(answers.get("genai_create_model_api_key"), {
      operationId: "genai_create_model_api_key",
      method: "POST",
      path: "/v2/gen-ai/models/api_keys",
      status: 200,
      contentType: "application/json",
      body: { id: "example_error", message: "some error" },
    });
  });

  it("pages a list: one item, meta.total counting it and no other pages", () => {
    assert.deepEqual(answers.get("sshKeys_list")?.body, { ssh_keys: [{ id: 1, name: "first", fingerprint: "aa" }], links: {}, meta: { total: 1 } });
    const droplets = answers.get("droplets_list")?.body as { droplets: unknown[] };
    assert.equal(droplets.droplets.length, 1);
  });

  it("replaces an invalid spec example with a schema-built body and notes it", () => {
    const { notes } = fallbackAnswers(spec, readOperations(spec).operations);
    // The response example and `created_at`'s example are invalid (a format sample stands in); `slug`'s example is used.
    assert.deepEqual(answers.get("regions_list")?.body, { regions: [{ slug: "ams3", available: true, created_at: "2024-01-02T03:04:05Z" }] });
    assert.ok(notes.includes("regions_list response example: invalid example not used (/regions/0/available: not of type boolean)"), notes.join("\n"));
    assert.ok(notes.includes("region.created_at: invalid example not used (/: not a valid date-time)"), notes.join("\n"));
  });

  it("picks the oneOf alternative that matches exactly one", () => {
    // `{ type: "attach", droplet_id: 1 }` (the first alternative) fits the second one too, so the second is taken.
    const body = answers.get("volumeActions_post")?.body;
    assert.deepEqual(body, { type: "sample", size_gigabytes: 1 });
    assert.equal(schemaProblem(spec, { $ref: "#/components/schemas/volume_action" }, body), undefined);
  });

  it("writes one line per operation and the same bytes on every run", () => {
    const first = emitFallbacks(spec, readOperations(spec).operations).files.get(FALLBACK_FILE)!;
    const second = emitFallbacks(extendedSpec(), readOperations(extendedSpec()).operations).files.get(FALLBACK_FILE)!;
    assert.equal(first, second);
    assert.match(first, /^\/\/ Generated by tsdo codegen from DigitalOcean's OpenAPI spec\. Do not edit by hand\.\nimport type \{ FallbackTable \} from "\.\.\/fallback\.js";\n/);
    assert.match(first, /\n {2}droplets_destroy_withAssociatedResourcesDangerous: \{ method: "DELETE", path: "[^"]+", status: 204 \},\n/);
    assert.match(first, /\n {2}"monitoring_get_appRestartCountMetrics\.yml": \{ method: "GET"/);
    assert.equal((first.match(/^ {2}\S.*: \{ method: /gm) ?? []).length, answers.size);
    assert.equal(generate(fixtureSpec()).files.get(FALLBACK_FILE), generate(fixtureSpec()).files.get(FALLBACK_FILE));
  });
});

describe("codegen fallback answers on DigitalOcean's spec", function () {
  this.timeout(300_000);
  let spec: Spec;
  let answers: Map<string, FallbackAnswer>;
  let notes: string[];
  let validator: SpecValidator;

  before(function () {
    spec = loadSpec();
    const set = fallbackAnswers(spec, readOperations(spec).operations);
    answers = new Map(set.answers.map((answer) => [answer.operationId, answer]));
    notes = set.notes;
    validator = new SpecValidator(spec);
  });

  /** Every operation with the response its answer must fit (the first 2xx, else `default`). */
  function* operations(): Generator<[Operation, FallbackAnswer, Response]> {
    for (const pathItem of Object.values(spec.doc.paths)) {
      for (const method of HTTP_METHODS) {
        const operation = pathItem[method];
        if (operation === undefined) continue;
        const responses = operation.responses ?? {};
        const status = Object.keys(responses).filter((s) => /^2\d\d$/.test(s)).sort()[0] ?? "default";
        yield [operation, answers.get(operation.operationId)!, spec.deref<Response>(responses[status]!)];
      }
    }
  }

  it("answers all 659 operations, each with its first 2xx status", () => {
    assert.equal(answers.size, 659);
    for (const [operation, answer] of operations()) {
      assert.ok(answer !== undefined, operation.operationId);
      const first = Object.keys(operation.responses ?? {}).filter((s) => /^2\d\d$/.test(s)).sort()[0];
      assert.equal(answer.status, first === undefined ? 200 : Number(first), operation.operationId);
    }
    assert.equal(answers.get("inference_upload_batch_file")?.path, "{upload_url}");
    const streaming = [...answers.values()].filter((a) => ["inference_create_chat_completion", "inference_create_messages", "agentInference_create_chat_completion", "inference_create_image", "inference_create_response"].includes(a.operationId));
    assert.deepEqual(streaming.map((a) => a.contentType), Array(5).fill("application/json"));
  });

  it("gives every JSON answer a body that ajv finds valid for the response schema (as Prism checks it)", () => {
    const invalid: string[] = [];
    let checked = 0;
    for (const [operation, answer, response] of operations()) {
      const content = response.content ?? {};
      if (answer.contentType === undefined) {
        assert.deepEqual(Object.keys(content), [], `${operation.operationId} has a body in the spec`);
        continue;
      }
      const schema = content[answer.contentType]?.schema;
      assert.ok(content[answer.contentType] !== undefined, `${operation.operationId}: ${answer.contentType} is not in the spec`);
      if (schema === undefined) continue;
      checked++;
      const errors = validator.errors(schema, answer.body);
      if (errors !== undefined) invalid.push(`${operation.operationId}: ${errors}`);
    }
    assert.deepEqual(invalid, []);
    assert.ok(checked > 540, `only ${checked} bodies checked`);
  });

  it("agrees with ajv on the spec's own examples (the generator's check is never more lenient)", () => {
    const lenient: string[] = [];
    const rejected: string[] = [];
    let examples = 0;
    const compare = (where: string, schema: Schema, value: unknown): void => {
      examples++;
      const ajv = validator.errors(schema, value) === undefined;
      const ours = isValid(spec, schema, value);
      if (ours && !ajv) lenient.push(where);
      if (!ours) rejected.push(where);
    };
    const visit = (where: string, schema: Schema): void => {
      if (schema.example !== undefined) compare(where, schema, schema.example);
      for (const [name, property] of Object.entries(schema.properties ?? {})) visit(`${where}.${name}`, property);
      if (schema.items !== undefined) visit(`${where}[]`, schema.items);
      if (typeof schema.additionalProperties === "object") visit(`${where}{}`, schema.additionalProperties);
      for (const key of ["allOf", "oneOf", "anyOf"] as const) schema[key]?.forEach((member, index) => visit(`${where}.${key}[${index}]`, member));
    };
    for (const [name, schema] of spec.schemas) visit(name, schema);
    for (const [operation, , response] of operations()) {
      const media: MediaType | undefined = response.content?.["application/json"];
      if (media?.schema === undefined) continue;
      visit(`${operation.operationId} response schema`, media.schema);
      if (media.example !== undefined) compare(`${operation.operationId} response example`, media.schema, media.example);
      for (const [name, example] of Object.entries(media.examples ?? {})) {
        const value = spec.deref<Example>(example).value;
        if (value !== undefined) compare(`${operation.operationId} response examples.${name}`, media.schema, value);
      }
    }
    assert.deepEqual(lenient, []);
    assert.ok(examples > 3000, `only ${examples} examples`);
    // The spec is known to carry examples that do not fit their own schema.
    assert.ok(rejected.length >= 3, rejected.join("\n"));
    if (process.env["TSDO_LIST_INVALID_EXAMPLES"] === "1") console.log(rejected.join("\n"));
  });

  it("keeps paged answers to one consistent page", () => {
    for (const op of readOperations(spec).operations) {
      if (op.paged === undefined) continue;
      const body = answers.get(op.id)!.body as Record<string, unknown>;
      const items = body[op.paged.property];
      assert.ok(Array.isArray(items) && items.length <= 1, op.id);
      if ("meta" in body) assert.equal((body["meta"] as { total?: number }).total, items.length, op.id);
      if ("links" in body) assert.deepEqual(body["links"], {}, op.id);
    }
    // A list the client does not page (no `page` parameter) is answered as one page too.
    assert.deepEqual(
      [answers.get("billingHistory_list")!.body].map((b) => {
        const body = b as { billing_history: unknown[]; links: unknown; meta: unknown };
        return [body.billing_history.length, body.links, body.meta];
      }),
      [[1, {}, { total: 1 }]],
    );
  });

  it("notes the invalid examples it replaced", () => {
    assert.ok(notes.some((note) => note.startsWith("monitoring_list_alertPolicy response schema: invalid example not used")), notes.join("\n"));
    assert.ok(notes.every((note) => !note.includes("no valid response body")), notes.join("\n"));
  });

  it("stays compact: the table is well under 400 KB", () => {
    const file = generate(spec).files.get(FALLBACK_FILE)!;
    assert.ok(Buffer.byteLength(file) < 400_000, `${Buffer.byteLength(file)} bytes`);
    assert.equal((file.match(/^ {2}\S.*: \{ method: /gm) ?? []).length, 659);
  });
});

