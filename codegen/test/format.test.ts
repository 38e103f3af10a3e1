import assert from "node:assert/strict";
import { briefDescription, jsDoc } from "../format.js";

describe("codegen text helpers", () => {
  it("keeps the first sentence of a description, on one line, without HTML", () => {
    assert.equal(briefDescription("The size of the disk.\nMore detail follows. And more."), "The size of the disk.");
    assert.equal(briefDescription("An array of IDs.<br>Requires `image:read` scope."), "An array of IDs.");
    assert.equal(briefDescription("Version 1.2 of the API"), "Version 1.2 of the API");
  });

  it("does not end a sentence at an abbreviation, and skips sentences that carry no meaning", () => {
    assert.equal(briefDescription("A port or a range (e.g. 8000-9000). More."), "A port or a range (e.g. 8000-9000).");
    assert.equal(briefDescription("Optional. Types of deployment to list."), "Types of deployment to list.");
    assert.equal(briefDescription("Requires `project:read` scope.", "The ID of the project"), "The ID of the project");
  });

  it("cuts an overlong sentence at a word boundary", () => {
    const brief = briefDescription(`${"word ".repeat(60)}end.`);
    assert.ok(brief.length <= 160);
    assert.ok(brief.endsWith("word…"));
  });

  it("cannot be closed early by a description containing */", () => {
    assert.equal(jsDoc(["a */ b"]), "/** a *\\/ b */\n");
  });
});
