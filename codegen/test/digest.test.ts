import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DIGEST_FILE, specDigest } from "../emit/digest.js";
import { fixtureDocument } from "./fixture.js";

describe("codegen: the spec digest", () => {
  const doc = {
    openapi: "3.0.0",
    info: { title: "API", version: "2.0", description: "Long prose.", license: { name: "Apache 2.0" } },
    servers: [{ url: "https://api.example.com", description: "production" }],
    security: [{ bearer_auth: [] }],
    tags: [{ name: "Droplets", description: "Prose about droplets." }],
    "x-tagGroups": [{ name: "All", tags: ["Droplets"] }],
    paths: {
      "/v2/things": {
        get: {
          operationId: "things_list",
          summary: "List things",
          description: "Prose.",
          "x-codeSamples": [{ lang: "cURL", source: "curl …" }],
          externalDocs: { url: "https://docs.example.com" },
          parameters: [{ name: "per_page", in: "query", description: "Prose.", schema: { type: "integer", default: 20 } }],
          responses: {
            "200": {
              description: "The things.",
              headers: { "x-request-id": { description: "Prose.", schema: { type: "string" } } },
              content: {
                "application/json": {
                  schema: { $ref: "#/components/schemas/thing" },
                  examples: { one: { summary: "One thing", description: "Prose.", value: { description: "data stays", id: 1 } } },
                },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        thing: {
          type: "object",
          title: "Thing",
          description: "Prose.",
          properties: {
            description: { type: "string", description: "Prose about the description property.", example: "a description" },
            example: { type: "boolean", default: false, description: "Prose." },
          },
          example: { description: "data stays", id: 1 },
        },
      },
    },
  };
  const digest = JSON.parse(specDigest(doc)) as Record<string, unknown>;

  it("drops descriptions, code samples, external docs, tags and extensions", () => {
    const text = JSON.stringify(digest);
    assert.doesNotMatch(text, /Prose|production|curl|docs\.example|x-codeSamples|x-tagGroups|Long prose/);
    assert.equal(digest.tags, undefined);
    assert.deepEqual(digest.info, { title: "API", version: "2.0", license: { name: "Apache 2.0" } });
    assert.deepEqual(digest.servers, [{ url: "https://api.example.com" }]);
  });

  it("keeps structure, names and data: properties called description or example, headers, examples, defaults", () => {
    assert.deepEqual((digest.components as { schemas: unknown }).schemas, {
      thing: {
        type: "object",
        title: "Thing",
        properties: { description: { type: "string", example: "a description" }, example: { type: "boolean", default: false } },
        example: { description: "data stays", id: 1 },
      },
    });
    const get = (digest.paths as Record<string, Record<string, Record<string, unknown>>>)["/v2/things"]!.get!;
    assert.deepEqual(get, {
      operationId: "things_list",
      summary: "List things",
      parameters: [{ name: "per_page", in: "query", schema: { type: "integer", default: 20 } }],
      responses: {
        "200": {
          headers: { "x-request-id": { schema: { type: "string" } } },
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/thing" },
              examples: { one: { summary: "One thing", value: { description: "data stays", id: 1 } } },
            },
          },
        },
      },
    });
  });

  it("is deterministic, one line, and a fixed point (the digest of the digest is itself)", () => {
    const fixture = fixtureDocument();
    const once = specDigest(fixture);
    assert.equal(specDigest(fixtureDocument()), once);
    assert.equal(once.split("\n").length, 2);
    assert.equal(specDigest(JSON.parse(once)), once);
  });

  it("is committed small enough to track, and is its own digest", () => {
    const committed = readFileSync(resolve(__dirname, "..", "..", "..", DIGEST_FILE), "utf8");
    assert.ok(Buffer.byteLength(committed) < 1_500_000, `${DIGEST_FILE} is ${Buffer.byteLength(committed)} bytes`);
    assert.equal(specDigest(JSON.parse(committed)), committed);
  });
});
