import assert from "node:assert/strict";
import { briefDescription, jsDoc } from "../format.js";

describe("codegen text helpers", () => {
  it("keeps the first sentence of a description, on one line, without HTML", () => {
    assert.equal(briefDescription("The size of the disk.\nMore detail follows. And more."), "The size of the disk.");
    assert.equal(briefDescription("An array of IDs.<br>Requires `image:read` scope."), "An array of IDs.");
    assert.equal(briefDescription("Version 1.2 of the API"), "Version 1.2 of the API");
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
