import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

describe("the demo (samples/demo.ts) against the embedded fake", () => {
  it("runs the main job end to end with no token and exits 0", function () {
    this.timeout(30_000);
    const env = { ...process.env };
    delete env.DIGITALOCEAN_TOKEN;
    const result = spawnSync(process.execPath, [resolve(__dirname, "../../samples/demo.js")], { encoding: "utf8", timeout: 25_000, env });
    assert.equal(result.error, undefined, "the demo finished in time");
    assert.equal(result.status, 0, result.stdout + result.stderr);
    for (const step of ["1. SSH key", "2. Droplet", "3. Fleet", "4. Listing", "5. Power cycle", "6. By tag", "7. Rate limit", "8. Cleanup"]) {
      assert.ok(result.stdout.includes(step), `the transcript shows "${step}"`);
    }
    assert.match(result.stdout, /page 4 \(1\) → 31 droplets/);
    assert.match(result.stdout, /30 droplets tagged/);
    assert.match(result.stdout, /0 tagged droplets left/);
  });
});
