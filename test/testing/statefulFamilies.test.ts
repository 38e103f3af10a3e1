// A family the fake keeps state for is stateful in every list, get, update and delete of it, and a
// `fallback` cannot shadow an operation the fake serves from state.
import assert from "node:assert/strict";
import { startFakeDigitalOcean } from "../../src/testing/index.js";
import { statefulRoutes } from "../../src/testing/resources/index.js";

describe("fake DigitalOcean: stateful families", () => {
  it("refuses, at start, a fallback for an operation it answers from state, naming it briefly", async () => {
    await assert.rejects(startFakeDigitalOcean({ fallback: { droplets_get: { body: { droplet: { id: 1 } } } } }), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /fallback/);
      assert.match(error.message, /droplets_get/);
      assert.ok(error.message.length < 300, error.message);
      return true;
    });
    const many = Object.fromEntries(statefulRoutes.map((route) => [route.operationId, { body: { secret: "x".repeat(1000) } }]));
    await assert.rejects(startFakeDigitalOcean({ fallback: many }), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.ok(error.message.length < 300, `${error.message.length} characters`);
      assert.doesNotMatch(error.message, /xxxx/);
      return true;
    });
    // An operation without stateful behaviour is still overridable.
    const fake = await startFakeDigitalOcean({ fallback: { cdn_list_endpoints: { body: { endpoints: [], links: {}, meta: { total: 0 } } } } });
    await fake.close();
  });
});
