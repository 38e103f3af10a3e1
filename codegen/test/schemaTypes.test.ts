import assert from "node:assert/strict";
import { type TypeContext, schemaDeclaration, schemaDocs, schemaType } from "../schemaTypes.js";
import type { PageLinks } from "../../src/models/index.js";
import { type Schema, Spec } from "../spec.js";
import { fixtureSpec } from "./fixture.js";

const ctx: TypeContext = {
  spec: fixtureSpec(),
  refName: (ref) => ref.split("/").pop()!.replace(/^./, (c) => c.toUpperCase()),
};

/** The type text with all whitespace runs collapsed, for compact expectations. */
function type(schema: Schema): string {
  return schemaType(schema, ctx).replace(/\s+/g, " ");
}

describe("codegen schema → TypeScript", () => {
  it("maps primitives, refs, arrays and untyped schemas", () => {
    assert.equal(type({ type: "string" }), "string");
    assert.equal(type({ type: "integer" }), "number");
    assert.equal(type({ type: "number" }), "number");
    assert.equal(type({ type: "boolean" }), "boolean");
    assert.equal(type({ $ref: "#/components/schemas/droplet" }), "Droplet");
    assert.equal(type({ type: "array", items: { type: "string" } }), "string[]");
    assert.equal(type({ type: "array", items: { oneOf: [{ type: "string" }, { type: "integer" }] } }), "(string | number)[]");
    assert.equal(type({}), "unknown");
    assert.equal(type({ description: "anything" }), "unknown");
    assert.equal(type({ type: "object" }), "{ [key: string]: unknown }");
  });

  it("marks required, optional, readonly and nullable members; quotes non-identifier keys", () => {
    const text = type({
      type: "object",
      required: ["id"],
      properties: {
        id: { type: "integer", readOnly: true },
        name: { type: "string", nullable: true },
        "X-Dangerous": { type: "boolean" },
      },
    });
    assert.equal(text, '{ readonly id: number; name?: string | null; "X-Dangerous"?: boolean; }');
  });

  it("writes enums as literal unions", () => {
    assert.equal(type({ type: "string", enum: ["a", "b"] }), '"a" | "b"');
    assert.equal(type({ type: "integer", enum: [1, 2] }), "1 | 2");
    assert.equal(type({ type: "string", enum: ["a"], nullable: true }), '"a" | null');
  });

  it("documents numeric bounds and defaults", () => {
    assert.deepEqual(schemaDocs({ type: "integer", description: "Items per page", minimum: 1, maximum: 200, default: 20 }), [
      "Items per page",
      "",
      "From 1 to 200.",
      "@defaultValue 20",
    ]);
    assert.deepEqual(schemaDocs({ type: "string", default: "nyc3" }), ["@defaultValue \"nyc3\""]);
    assert.deepEqual(schemaDocs({ type: "number", minimum: 0 }), ["At least 0."]);
  });

  it("narrows each alternative of a discriminated union to the tags that select it", () => {
    assert.equal(
      type({
        oneOf: [{ $ref: "#/components/schemas/a" }, { $ref: "#/components/schemas/b" }],
        discriminator: { propertyName: "type", mapping: { x: "#/components/schemas/a", y: "#/components/schemas/a", z: "#/components/schemas/b" } },
      }),
      'A & { type: "x" | "y" } | B & { type: "z" }',
    );
  });

  it("writes oneOf/anyOf as unions and allOf as intersections", () => {
    assert.equal(type({ oneOf: [{ $ref: "#/components/schemas/a" }, { $ref: "#/components/schemas/b" }] }), "A | B");
    assert.equal(type({ anyOf: [{ type: "integer" }, { type: "string" }] }), "number | string");
    assert.equal(
      type({ allOf: [{ $ref: "#/components/schemas/a" }, { type: "object", properties: { x: { type: "string" } } }] }),
      "A & { x?: string; }",
    );
    assert.equal(type({ allOf: [{ $ref: "#/components/schemas/a" }, { anyOf: [{ $ref: "#/components/schemas/b" }, { $ref: "#/components/schemas/c" }] }] }), "A & (B | C)");
    // An allOf member that only adds readOnly disappears (empty union alternatives: see the next test).
    assert.equal(type({ allOf: [{ $ref: "#/components/schemas/a" }, { readOnly: true }] }), "A");
    assert.equal(type({ allOf: [{ $ref: "#/components/schemas/a" }, { type: "object", description: "The region." }] }), "A");
  });

  describe("empty-schema alternatives and optional-only anyOf objects", () => {
    const spec = new Spec({
      paths: {},
      components: {
        schemas: {
          link_to_last_page: { type: "object", properties: { last: { type: "string" } } },
          link_to_next_page: { type: "object", properties: { next: { type: "string" } } },
          link_to_first_page: { type: "object", properties: { first: { type: "string" } } },
          forward_links: { allOf: [{ $ref: "#/components/schemas/link_to_last_page" }, { $ref: "#/components/schemas/link_to_next_page" }] },
          backward_links: { allOf: [{ $ref: "#/components/schemas/link_to_first_page" }, { type: "object", properties: { prev: { type: "string" } } }] },
          named: { type: "object", required: ["name"], properties: { name: { type: "string" } } },
          other_next: { type: "object", properties: { next: { type: "integer" } } },
        },
      },
    });
    const pascal = (ref: string): string => ref.split("/").pop()!.split("_").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
    const linksCtx: TypeContext = { spec, refName: pascal };
    const links = (schema: Schema): string => schemaType(schema, linksCtx).replace(/\s+/g, " ");
    const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

    it("drops an empty alternative while a typed one remains, and keeps unknown for untyped unions", () => {
      assert.equal(type({ anyOf: [{ type: "string" }, {}] }), "string | null");
      assert.equal(type({ oneOf: [{ type: "string" }, { type: "integer" }, { description: "Anything else." }] }), "string | number | null");
      assert.equal(type({ anyOf: [{}, { description: "anything" }] }), "unknown");
      // A constraint is no empty schema: `{ required: [x] }` says nothing about the type, so the union stays unknown.
      assert.equal(type({ anyOf: [{ type: "object", properties: { x: { type: "string" } } }, { required: ["x"] }] }), "unknown");
      assert.equal(type({ type: "object", properties: { a: { anyOf: [{ type: "integer" }, {}] } } }), "{ a?: number | null; }");
    });

    it("intersects anyOf alternatives that are objects with only optional properties (page_links.pages)", () => {
      assert.equal(links({ anyOf: [ref("forward_links"), ref("backward_links"), {}] }), "ForwardLinks & BackwardLinks | null");
      assert.equal(links({ anyOf: [ref("link_to_last_page"), { type: "object", properties: { x: { type: "boolean" } } }] }), "LinkToLastPage & { x?: boolean; }");
    });

    it("keeps a union for oneOf, required properties, non-objects and conflicting properties", () => {
      assert.equal(links({ oneOf: [ref("forward_links"), ref("backward_links"), {}] }), "ForwardLinks | BackwardLinks | null");
      assert.equal(links({ anyOf: [ref("forward_links"), ref("named")] }), "ForwardLinks | Named");
      assert.equal(links({ anyOf: [ref("forward_links"), { type: "string" }] }), "ForwardLinks | string");
      assert.equal(links({ anyOf: [ref("link_to_next_page"), ref("other_next")] }), "LinkToNextPage | OtherNext");
    });

    it("reads a catch-all object alternative beside a typed one as null (reserved_ip.droplet)", () => {
      const droplet = { anyOf: [{ title: "null", type: "object", nullable: true }, ref("forward_links")] } as Schema;
      assert.equal(links(droplet), "ForwardLinks | null");
      assert.equal(links({ anyOf: [{ type: "object" }, ref("forward_links")] }), "ForwardLinks");
      assert.equal(links({ anyOf: [{ type: "object" }, { type: "string" }] }), "{ [key: string]: unknown } | string");
    });

    it("lets a reader of the generated PageLinks follow either direction", () => {
      const page: PageLinks = { pages: { first: "https://api.digitalocean.com/v2/droplets?page=1", next: "https://api.digitalocean.com/v2/droplets?page=3" } };
      assert.equal(page.pages?.next, "https://api.digitalocean.com/v2/droplets?page=3");
      assert.equal(page.pages?.first, "https://api.digitalocean.com/v2/droplets?page=1");
      assert.equal(page.pages?.prev, undefined);
    });
  });

  it("makes inherited required properties required, and undeclared required names unknown", () => {
    assert.equal(
      type({ allOf: [{ $ref: "#/components/schemas/droplet" }], required: ["name", "status", "missing"] }),
      'Droplet & Required<Pick<Droplet, "name" | "status">> & { missing: unknown; }',
    );
    assert.equal(
      type({ allOf: [{ type: "object", properties: { settings: { type: "string" } } }], required: ["settings"] }),
      "{ settings: string; }",
    );
    assert.equal(
      type({ allOf: [{ $ref: "#/components/schemas/droplet" }, { required: ["tags"] }] }),
      'Droplet & Required<Pick<Droplet, "tags">>',
    );
  });

  it("maps additionalProperties to index signatures", () => {
    assert.equal(type({ type: "object", additionalProperties: { type: "string" } }), "{ [key: string]: string; }");
    assert.equal(type({ type: "object", additionalProperties: true }), "{ [key: string]: unknown; }");
    assert.equal(type({ type: "object", additionalProperties: {} }), "{ [key: string]: unknown; }");
    // Declared properties must fit the index signature, so it widens to unknown beside them.
    assert.equal(
      type({ type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "integer" } }),
      "{ a?: string; [key: string]: unknown; }",
    );
    assert.equal(type({ type: "object", properties: {}, additionalProperties: false }), "{ [key: string]: never; }");
  });

  it("declares plain objects as interfaces (recursion through names) and the rest as type aliases", () => {
    const droplet = schemaDeclaration("Droplet", ctx.spec.doc.components!.schemas!["droplet"]!, ctx);
    assert.match(droplet, /^export interface Droplet \{/);
    assert.match(droplet, /children\?: Droplet\[\];/);
    assert.match(droplet, /kernel\?: \{\n {4}id\?: number;\n {2}\} \| null;/);
    assert.match(droplet, /"x-meta"\?: unknown;/);
    assert.equal(schemaDeclaration("Version", { type: "string", description: "The version." }, ctx), "/** The version. */\nexport type Version = string;\n");
    assert.doesNotMatch(droplet, /\bany\b/);
  });

  it("documents properties and escapes comment terminators", () => {
    const text = schemaType({ type: "object", properties: { a: { type: "string", description: "Ends */ here", deprecated: true } } }, ctx);
    assert.match(text, /\n {2}\/\*\*\n {3}\* Ends \*\\\/ here\n {3}\* @deprecated\n {3}\*\/\n {2}a\?: string;/);
  });
});
