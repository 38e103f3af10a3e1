import assert from "node:assert/strict";
import { type Generation, generate } from "../generate.js";
import { operationName } from "../naming.js";
import { HTTP_METHODS, Spec } from "../spec.js";
import { loadGeneratorSpec } from "../../test/support/spec.js";

/**
 * Generated code with comments and string literals removed, to look for type keywords. One
 * left-to-right pass, so a `//` inside a string (a URL in the fallback table) is no comment.
 */
function codeOnly(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$|"(?:[^"\\\n]|\\.)*"/gm, (token) => (token.startsWith('"') ? '""' : ""));
}

describe("codegen on DigitalOcean's spec", function () {
  this.timeout(120_000);
  let spec: Spec;
  let result: Generation;

  before(function () {
    spec = loadGeneratorSpec();
    result = generate(spec);
  });

  it("puts all 659 operations into 56 groups under their expected names", () => {
    assert.equal(result.operations, 659);
    assert.equal(result.groups, 56);
    const tables = result.files.get("src/operations/tables.ts")!;
    const tableOf = (group: string): string | undefined => {
      const start = tables.indexOf(`\nconst ${group} = (): OperationRows => ({\n`);
      return start === -1 ? undefined : tables.slice(start, tables.indexOf("\n});\n", start));
    };
    let found = 0;
    for (const pathItem of Object.values(spec.doc.paths)) {
      for (const method of HTTP_METHODS) {
        const op = pathItem[method];
        if (op === undefined) continue;
        const { group, method: name } = operationName(op.operationId);
        const table = tableOf(group);
        assert.ok(table !== undefined, `no table for group ${group}`);
        assert.ok(table.includes(`\n  ${name}: { id: ${JSON.stringify(op.operationId)}, method: "${method.toUpperCase()}"`), op.operationId);
        found++;
      }
    }
    assert.equal(found, 659);
    const index = result.files.get("src/operations/index.ts")!;
    assert.equal((index.match(/^ {2}readonly \w+: \w+Operations;$/gm) ?? []).length, 56);
    for (const [file, method] of [
      ["droplets", "destroyWithAssociatedResourcesDangerous"],
      ["invoices", "getPdfByUUID"],
      ["monitoring", "getAppRestartCountMetrics"],
      ["apps", "listAlerts"],
      ["reservedIPsActions", "post"],
      ["vpcnatgateways", "list"],
    ] as const) {
      assert.match(result.files.get(`src/operations/${file}.ts`)!, new RegExp(`\\n  ${method}\\(`), `${file}.${method}`);
    }
  });

  it("pairs droplets.create's single and multiple bodies with their answers", () => {
    const droplets = result.files.get("src/operations/droplets.ts")!;
    assert.match(droplets, /\n {2}create\(body: DropletSingleCreate, options\?: OperationOptions\): APIPromise<Extract<DropletsCreateResponse, \{ droplet: unknown \}>>;/);
    assert.match(droplets, /\n {2}create\(body: DropletMultiCreate, options\?: OperationOptions\): APIPromise<Extract<DropletsCreateResponse, \{ droplets: unknown \}>>;/);
    // Only that operation's alternatives pair up by title in today's spec.
    const paired = [...result.files.entries()].filter(([file, text]) => file.startsWith("src/operations/") && text.includes("Promise<Extract<"));
    assert.deepEqual(paired.map(([file]) => file), ["src/operations/droplets.ts"]);
  });

  it("declares the component schemas operations reach, in their group's module or in shared", () => {
    const models = [...result.files].filter(([path]) => path.startsWith("src/models/"));
    const count = models.reduce((n, [, text]) => n + (text.match(/^export (interface|type) /gm) ?? []).length, 0);
    assert.ok(count > 900, `${count} declarations`);
    // `app_spec` is only reached from the apps group, `droplet` from several.
    assert.match(result.files.get("src/models/apps.ts")!, /^export interface AppSpec \{/m);
    assert.doesNotMatch(result.files.get("src/models/shared.ts")!, /^export interface AppSpec \{/m);
    assert.match(result.files.get("src/models/shared.ts")!, /^export interface Droplet \{/m);
  });

  it("exports every model name once, never uses any, and keeps files under 1 MB", () => {
    const exported = new Map<string, string>();
    for (const [path, content] of result.files) {
      assert.ok(Buffer.byteLength(content) < 1_000_000, `${path} is over 1 MB`);
      if (!path.startsWith("src/")) continue;
      assert.doesNotMatch(codeOnly(content), /\bany\b/, path);
      if (!path.startsWith("src/models/")) continue;
      for (const [, name] of content.matchAll(/^export (?:interface|type) (\w+)/gm)) {
        assert.equal(exported.get(name!), undefined, `${name} is exported by ${exported.get(name!)} and ${path}`);
        exported.set(name!, path);
      }
    }
  });

  it("pages the operations with a page parameter and an item array", () => {
    const tables = [...result.files].filter(([path]) => path.startsWith("src/operations/")).map(([, c]) => c).join("\n");
    const withPage = (tables.match(/query: \[[^\]]*"page"/g) ?? []).length;
    const paged = (tables.match(/, paged: "/g) ?? []).length;
    assert.equal(withPage, 94);
    // Seven have a page parameter but no item array (a map, a single object); see the generator's notes.
    assert.equal(paged, 87);
    assert.equal(result.notes.filter((note) => note.includes("not paged")).length, 7);
  });

  it("keeps the operation tables small", () => {
    const tableBytes = Buffer.byteLength(result.files.get("src/operations/tables.ts") ?? "");
    assert.ok(tableBytes > 100_000, "tables.ts holds the 659 rows");
    assert.ok(tableBytes < 250_000, `operation tables are ${tableBytes} bytes`);
  });
});
