import assert from "node:assert/strict";
import { sampleValue } from "../samples.js";
import { fixtureSpec } from "./fixture.js";

describe("codegen samples", () => {
  const spec = fixtureSpec();

  it("prefers fitting examples and honours enums and formats", () => {
    assert.equal(sampleValue(spec, { type: "string", example: "nyc3" }), "nyc3");
    assert.equal(sampleValue(spec, { type: "integer", example: "not a number" }), 1);
    assert.equal(sampleValue(spec, { type: "string", enum: ["a", "b"], example: "c" }), "a");
    assert.equal(sampleValue(spec, { type: "string", format: "date-time" }), "2024-01-02T03:04:05Z");
    assert.equal(sampleValue(spec, { type: "integer", minimum: 5 }), 5);
  });

  it("fills required members, leaves readOnly ones out of requests, and stops at recursion", () => {
    const droplet = { $ref: "#/components/schemas/droplet" };
    const request = sampleValue(spec, droplet, "request") as Record<string, unknown>;
    const response = sampleValue(spec, droplet, "response") as Record<string, unknown>;
    // `id` is required and readOnly: kept in both (the type requires it).
    assert.equal(request["id"], 3164444);
    assert.equal(response["name"], "example.com");
    // A recursive list would only be an empty shell: left out.
    assert.equal("children" in response, false);
    assert.deepEqual(response["labels"], { key: "sample" });
    // An optional readOnly member is the server's to set: left out of requests, kept in responses.
    const withReadOnly = { type: "object" as const, properties: { created_at: { type: "string" as const, readOnly: true }, name: { type: "string" as const } } };
    assert.deepEqual(sampleValue(spec, withReadOnly, "request"), { name: "sample" });
    assert.deepEqual(sampleValue(spec, withReadOnly, "response"), { created_at: "sample", name: "sample" });
  });

  it("merges allOf members and takes the first oneOf alternative", () => {
    assert.deepEqual(
      sampleValue(spec, { allOf: [{ type: "object", properties: { a: { type: "boolean" } } }, { type: "object", properties: { b: { type: "number" } } }] }),
      { a: true, b: 1.5 },
    );
    assert.deepEqual(sampleValue(spec, { $ref: "#/components/schemas/droplet_create" }), { name: "sample" });
  });

  it("sets a discriminated union's tag to one that selects the alternative built", () => {
    const tagged = {
      oneOf: [{ $ref: "#/components/schemas/droplet_create" }],
      discriminator: { propertyName: "kind", mapping: { single: "#/components/schemas/droplet_create" } },
    };
    assert.deepEqual(sampleValue(spec, tagged), { name: "sample", kind: "single" });
  });
});
