import assert from "node:assert/strict";
import { OVERLAYS_DIR, type Overlay, applyOverlays, loadOverlays, parseTarget } from "../overlay.js";
import { responseRequired } from "../evidence.js";
import { Spec } from "../spec.js";

const overlay = (actions: Overlay["actions"]): Overlay => ({ overlay: "1.0.0", info: { title: "test", version: "1" }, actions });

describe("codegen overlays (OpenAPI Overlay 1.0)", () => {
  it("parses member chains and refuses what it does not support", () => {
    assert.deepEqual(parseTarget("$.components.schemas['a/b'].properties.id"), ["components", "schemas", "a/b", "properties", "id"]);
    assert.deepEqual(parseTarget("$.x.allOf[0]"), ["x", "allOf", "0"]);
    assert.throws(() => parseTarget("$.x[?(@.a)]"), /only member names/);
    assert.throws(() => parseTarget("$"), /whole document/);
  });

  it("merges updates (arrays append), removes, and fails on a target that selects nothing", () => {
    const doc = { a: { b: { c: 1, list: [1] } }, gone: { x: 1 } };
    applyOverlays(doc, [overlay([
      { target: "$.a.b", description: "merge", update: { d: 2, list: [2] } },
      { target: "$.gone.x", description: "drop", remove: true },
    ])]);
    assert.deepEqual(doc, { a: { b: { c: 1, d: 2, list: [1, 2] } }, gone: {} });
    assert.throws(() => applyOverlays(doc, [overlay([{ target: "$.a.nope", description: "x", remove: true }])]), /selects nothing/);
  });

  it("loads the repository's overlays, each action with a reason", () => {
    const overlays = loadOverlays(OVERLAYS_DIR);
    assert.ok(overlays.length > 0);
    for (const action of overlays.flatMap((o) => o.actions)) assert.ok(action.description.length > 10, action.target);
  });
});

describe("codegen response requiredness from evidence", () => {
  const thing = {
    type: "object" as const,
    properties: { id: { type: "integer" as const, readOnly: true }, name: { type: "string" as const }, note: { type: "string" as const } },
  };
  const spec = (example: unknown, extra: Record<string, unknown> = {}): Spec =>
    new Spec({
      paths: {
        "/things/{id}": {
          get: {
            operationId: "things_get",
            responses: {
              "200": {
                content: {
                  "application/json": {
                    schema: { type: "object", properties: { thing: { $ref: "#/components/schemas/thing" } } },
                    ...(example === undefined ? {} : { examples: { one: { value: example } } }),
                  },
                },
              },
            },
          },
        },
      },
      components: { schemas: { thing: { ...thing, ...extra } } },
    });
  const required = (s: Spec): string[] => [...(responseRequired(s).get(s.doc.components!.schemas!["thing"]!) ?? [])].sort();

  it("requires what every 2xx example carries, and envelope keys always", () => {
    const s = spec({ thing: { id: 1, name: "a" } });
    assert.deepEqual(required(s), ["id", "name"]);
    const envelope = [...responseRequired(s).entries()].find(([node]) => node.properties?.["thing"] !== undefined);
    assert.deepEqual([...(envelope?.[1] ?? [])], ["thing"]);
  });

  it("needs an instance for non-envelope properties, and follows the overlays' lists", () => {
    assert.deepEqual(required(spec(undefined)), []);
    assert.deepEqual(required(spec({ thing: { id: 1, name: "a" } }, { "x-tsdo-response-optional": ["name"], "x-tsdo-response-required": ["note"] })), ["id", "note"]);
  });
});
