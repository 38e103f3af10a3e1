import assert from "node:assert/strict";
import { readOperations } from "../operations.js";
import { recoverableCreates } from "../recoverable.js";
import { type OpenApiDocument, type Schema, Spec } from "../spec.js";

const tags: Schema = { type: "array", items: { type: "string" } };
const tagged: Schema = { type: "object", properties: { id: { type: "integer" }, name: { type: "string" }, tags } };
const ok = (schema: Schema) => ({ "200": { description: "ok", content: { "application/json": { schema } } } });
const page = { name: "page", in: "query" as const, schema: { type: "integer" as const } };
const body = (schema: Schema) => ({ content: { "application/json": { schema } } });

/** A spec in miniature: what qualifies and what does not, one resource each. */
const doc: OpenApiDocument = {
  paths: {
    "/v2/droplets": {
      get: { operationId: "droplets_list", parameters: [page, { name: "tag_name", in: "query", schema: { type: "string" } }], responses: ok({ type: "object", properties: { droplets: { type: "array", items: tagged }, links: { type: "object" } } }) },
      post: {
        operationId: "droplets_create",
        requestBody: body({ oneOf: [{ type: "object", properties: { name: { type: "string" }, tags } }, { type: "object", properties: { names: { type: "array", items: { type: "string" } }, tags } }] }),
        responses: ok({ type: "object", properties: { droplet: tagged, droplets: { type: "array", items: tagged }, links: { type: "object" } } }),
      },
    },
    "/v2/volumes": {
      get: { operationId: "volumes_list", parameters: [page], responses: ok({ type: "object", properties: { volumes: { type: "array", items: tagged } } }) },
      post: { operationId: "volumes_create", requestBody: body({ type: "object", properties: { tags } }), responses: ok({ type: "object", properties: { volume: tagged } }) },
    },
    "/v2/firewalls": {
      get: { operationId: "firewalls_list", parameters: [page], responses: ok({ type: "object", properties: { firewalls: { type: "array", items: tagged } } }) },
      post: { operationId: "firewalls_create", requestBody: body({ type: "object", properties: { tags: { allOf: [{ $ref: "#/components/schemas/existing_tags_array" }] } } }), responses: ok({ type: "object", properties: { firewall: tagged } }) },
    },
    "/v2/things": {
      post: { operationId: "things_create", requestBody: body({ type: "object", properties: { tags } }), responses: ok({ type: "object", properties: { thing: tagged } }) },
    },
  },
  components: { schemas: { existing_tags_array: tags } },
};

describe("codegen recoverable creates", () => {
  const spec = new Spec(doc);
  const found = recoverableCreates(spec, readOperations(spec).operations);

  it("marks creates that take tags and have a list to find them with, and says how", () => {
    assert.deepEqual(found.get("droplets_create"), {
      tags: "tags",
      item: "droplet",
      list: "list",
      listItems: "droplets",
      byTag: "tag_name",
      links: "links",
      names: "names",
      items: "droplets",
    });
    // No tag_name filter: the runtime reads every page and filters.
    assert.deepEqual(found.get("volumes_create"), { tags: "tags", item: "volume", list: "list", listItems: "volumes" });
  });

  it("leaves out tags that must already exist, and creates with no list", () => {
    assert.deepEqual([...found.keys()], ["droplets_create", "volumes_create"]);
  });
});
