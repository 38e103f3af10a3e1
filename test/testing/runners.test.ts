import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

describe("fake DigitalOcean: other test runners", () => {
  it("works under node:test, whose run ends only when close() left no handles", function () {
    this.timeout(30_000);
    const result = spawnSync(process.execPath, ["--test", resolve(__dirname, "../../../test/testing/fixtures/nodeTestRunner.cjs")], {
      encoding: "utf8",
      timeout: 25_000,
      env: { ...process.env, TSDO_TESTING_MODULE: require.resolve("../../src/testing/index.js") },
    });
    assert.equal(result.error, undefined, "node --test finished in time");
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /# pass 1/);
  });
});
