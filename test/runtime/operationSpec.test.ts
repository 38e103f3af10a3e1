import assert from "node:assert/strict";
import { lazyTables, specOf } from "../../src/core/operationSpec.js";
import { operationGroups } from "../../src/operations/tables.js";

describe("operation rows", () => {
  it("derive pathParams from the path's placeholders, in order, and default the response to json", () => {
    const spec = specOf({ id: "things_part", method: "GET", path: "/v2/things/{thing_id}/parts/{part_id}" });
    assert.deepEqual(spec.pathParams, ["thing_id", "part_id"]);
    assert.equal(spec.response, "json");
    assert.deepEqual(specOf({ id: "things_list", method: "GET", path: "/v2/things" }).pathParams, []);
  });

  it("keep what a row writes out", () => {
    const spec = specOf({ id: "things_delete", method: "DELETE", path: "/v2/things/{thing_id}", pathParams: ["id"], response: "none" });
    assert.deepEqual(spec.pathParams, ["id"]);
    assert.equal(spec.response, "none");
  });

  it("make each group's table once, on its first read", () => {
    let made = 0;
    const tables = lazyTables({
      things: () => (made++, { get: { id: "things_get", method: "GET", path: "/v2/things/{thing_id}" } }),
    });
    assert.equal(made, 0);
    const first = tables.things;
    assert.equal(tables.things, first);
    assert.equal(made, 1);
    assert.deepEqual(first.get, { id: "things_get", method: "GET", path: "/v2/things/{thing_id}", pathParams: ["thing_id"], response: "json" });
  });

  it("give the generated groups full specs", () => {
    const get = operationGroups.droplets.get!;
    assert.deepEqual(get.pathParams, ["droplet_id"]);
    assert.equal(get.response, "json");
    assert.equal(operationGroups.droplets.destroy!.response, "none");
  });
});
