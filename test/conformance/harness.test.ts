/**
 * The conformance harness's own pieces, tested without Prism or the real spec. Named `.test.ts`
 * (unlike the Prism suite's `.spec.ts` files) so that the unit run picks it up.
 */
import { strict as assert } from "node:assert";
import { Spec, type OpenApiDocument } from "../../codegen/spec";
import type { OperationSpec } from "../../src/core/operationSpec";
import { MAX_ALLOWLIST_ENTRIES, parseAllowlist } from "./allowlist";
import { expectedMethodName } from "./harness";
import { argumentsFor } from "./invoke";
import { mapConcurrently } from "./pool";
import { formatTable, tallyByGroup } from "./report";
import { callVariants } from "./requests";
import { indexOperations } from "./specIndex";
import { describeViolations, parseViolations, requestViolations, responseViolations } from "./violations";

describe("conformance harness", function () {
  describe("parseViolations", function () {
    const header = JSON.stringify([
      { location: ["request", "body", "name"], severity: "Error", code: "type", message: "Request body property name must be string" },
      { location: ["response", "body", "sink"], severity: "Error", code: "required", message: "must have required property 'urn'" },
    ]);

    it("splits request from response violations", function () {
      const violations = parseViolations(header);
      assert.deepEqual(
        requestViolations(violations).map((v) => v.where),
        ["body.name"],
      );
      assert.deepEqual(
        responseViolations(violations).map((v) => v.where),
        ["body.sink"],
      );
    });

    it("recovers the complete entries of a header Prism cut short", function () {
      const cut = `Too many violations! ${header.slice(0, header.indexOf("sink") + 10)}`;
      const violations = parseViolations(cut);
      assert.equal(violations.length, 1);
      assert.equal(violations[0]?.side, "request");
    });

    it("reads no header as no violations", function () {
      assert.deepEqual(parseViolations(undefined), []);
      assert.deepEqual(parseViolations(""), []);
    });

    it("describes each distinct violation once", function () {
      const twice = parseViolations(JSON.stringify([JSON.parse(header)[0], JSON.parse(header)[0]]));
      assert.equal(describeViolations(twice), "request body.name: Request body property name must be string [type]");
    });
  });

  describe("parseAllowlist", function () {
    it("reads id, verdict and reason, skipping comments and blank lines", function () {
      const entries = parseAllowlist("# comment\n\nops_get response-violation The example lacks a required field.\n");
      assert.deepEqual(entries, [{ id: "ops_get", verdict: "response-violation", reason: "The example lacks a required field.", line: 3 }]);
    });

    it("rejects unknown verdicts, missing reasons and duplicates", function () {
      assert.throws(() => parseAllowlist("ops_get flaky because"), /unknown verdict/);
      assert.throws(() => parseAllowlist("ops_get request-violation"), /expected/);
      assert.throws(() => parseAllowlist("a_b http-error x\na_b http-error y"), /listed twice/);
    });

    it(`allows at most ${MAX_ALLOWLIST_ENTRIES} entries`, function () {
      const lines = Array.from({ length: MAX_ALLOWLIST_ENTRIES + 1 }, (_, i) => `op_${i} http-error reason`);
      assert.throws(() => parseAllowlist(lines.join("\n")), /at most/);
    });
  });

  describe("report", function () {
    it("tallies per group and totals in a Markdown table", function () {
      const tallies = tallyByGroup([
        { group: "b", passed: true, allowlisted: false },
        { group: "a", passed: false, allowlisted: true },
        { group: "a", passed: false, allowlisted: false },
      ]);
      assert.deepEqual(tallies, [
        { group: "a", operations: 2, passed: 0, failed: 1, expected: 1 },
        { group: "b", operations: 1, passed: 1, failed: 0, expected: 0 },
      ]);
      const lines = formatTable(tallies).split("\n");
      assert.equal(lines.length, 5);
      assert.match(lines[4] as string, /^\| \*\*total\*\* +\| +3 \| +1 \| +1 \| +1 \|$/);
    });
  });

  describe("mapConcurrently", function () {
    it("keeps input order and never exceeds the limit", async function () {
      let active = 0;
      let peak = 0;
      const results = await mapConcurrently([30, 10, 20, 0, 5], 2, async (ms, i) => {
        peak = Math.max(peak, ++active);
        await new Promise((resolve) => setTimeout(resolve, ms));
        active--;
        return i;
      });
      assert.deepEqual(results, [0, 1, 2, 3, 4]);
      assert.equal(peak, 2);
    });
  });

  describe("expectedMethodName", function () {
    it("camel-cases the operationId after the group and drops a .yml suffix", function () {
      assert.equal(expectedMethodName("droplets_list"), "list");
      assert.equal(expectedMethodName("apps_list_alerts"), "listAlerts");
      assert.equal(expectedMethodName("droplets_destroy_withAssociatedResourcesDangerous"), "destroyWithAssociatedResourcesDangerous");
      assert.equal(expectedMethodName("monitoring_get_appRestartCountMetrics.yml"), "getAppRestartCountMetrics");
    });
  });

  describe("callVariants", function () {
    // A variable, not a literal: codegen's MediaType type leaves out `examples`.
    const json = {
      schema: { type: "object" as const, required: ["name"], properties: { name: { type: "string" as const }, stream: { type: "boolean" as const } } },
      examples: { first: { value: { name: "one", stream: true } }, second: { value: { name: "two" } } },
    };
    const doc: OpenApiDocument = {
      paths: {
        "/v2/things/{thing_id}/parts/{part_id}": {
          post: {
            operationId: "things_create_part",
            parameters: [
              { name: "part_id", in: "path", required: true, schema: { type: "integer" }, example: 7 },
              { name: "thing_id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
              { name: "mode", in: "query", required: true, schema: { type: "string", enum: ["fast", "slow"] } },
              { name: "tags", in: "query", schema: { type: "array", items: { type: "string" } }, example: "red" },
            ],
            requestBody: {
              required: true,
              content: { "application/json": json },
            },
          },
        },
      },
    };
    const spec = new Spec(doc);
    const operation = indexOperations(spec).get("things_create_part")!;

    it("orders path values as the URL does, and builds missing ones from the schema", function () {
      const [first] = callVariants(spec, operation);
      assert.deepEqual(first?.pathValues, ["3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b", 7]);
    });

    it("sends required parameters, then all, then each further example, then the flipped stream flag", function () {
      const variants = callVariants(spec, operation);
      assert.deepEqual(
        variants.map((v) => [v.label, v.params, v.body]),
        [
          ["required", { mode: "fast" }, { name: "one", stream: true }],
          ["all params", { mode: "fast", tags: ["red"] }, { name: "one", stream: true }],
          ["example second", { mode: "fast" }, { name: "two" }],
          ["example first with stream: false", { mode: "fast" }, { name: "one", stream: false }],
        ],
      );
    });
  });

  describe("argumentsFor", function () {
    const table: OperationSpec = { id: "things_create_part", method: "POST", path: "/x/{a}", pathParams: ["a"], body: "json", query: ["q"], response: "json" };
    const target = { group: "things", method: "createPart", table };
    const options = {};

    it("lays out path values, body, params and options", function () {
      assert.deepEqual(argumentsFor(target, { label: "required", pathValues: [1], body: { b: 1 }, params: { q: 2 } }, options), [1, { b: 1 }, { q: 2 }, options]);
      assert.deepEqual(argumentsFor(target, { label: "required", pathValues: [1] }, options), [1, undefined, undefined, options]);
    });

    it("reports what the generated method cannot take instead of dropping it", function () {
      const bare = { ...target, table: { ...table, body: undefined, query: undefined } };
      assert.throws(() => argumentsFor(bare, { label: "required", pathValues: [1], body: {} }, options), /request body/);
      assert.throws(() => argumentsFor(bare, { label: "required", pathValues: [1], params: { q: 1 } }, options), /parameters \(q\)/);
      assert.throws(() => argumentsFor(target, { label: "required", pathValues: [] }, options), /generated method takes 1/);
    });
  });
});
