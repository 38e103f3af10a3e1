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
    // `id` is required and readOnly: kept in both (the type requires it); optional readOnly members would be dropped.
    assert.equal(request["id"], 3164444);
    assert.equal(response["name"], "example.com");
    assert.deepEqual(response["children"], []);
    assert.deepEqual(response["labels"], { key: "sample" });
  });

  it("merges allOf members and takes the first oneOf alternative", () => {
    assert.deepEqual(
      sampleValue(spec, { allOf: [{ type: "object", properties: { a: { type: "boolean" } } }, { type: "object", properties: { b: { type: "number" } } }] }),
      { a: true, b: 1.5 },
    );
    assert.deepEqual(sampleValue(spec, { $ref: "#/components/schemas/droplet_create" }), { name: "sample" });
  });

  it("is deterministic", () => {
    const schema = { $ref: "#/components/schemas/droplet" };
    assert.deepEqual(sampleValue(spec, schema, "response"), sampleValue(spec, schema, "response"));
  });
});
