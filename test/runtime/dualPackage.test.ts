import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

// The shipped builds (`npm run build`), not the tests' build/src: what a CommonJS app and an ESM
// dependency of it load side by side.
const dist = path.resolve(__dirname, "../../../dist");
const entries = ["index.js", "testing/index.js", "undici/index.js", "redis/index.js"];

/** Runs `body` in a fresh ESM process where `cjs` holds every entry point `require`d from dist/cjs and `esm` every one `import`ed from dist/esm; returns its JSON line. */
async function bothBuilds(body: string): Promise<Record<string, unknown>> {
  assert.ok(existsSync(path.join(dist, "cjs", "index.js")) && existsSync(path.join(dist, "esm", "index.js")), `${dist} has no build: run \`npm run build\` first`);
  const script = `
    import { createRequire } from "node:module";
    import { pathToFileURL } from "node:url";
    const require = createRequire(import.meta.url);
    const cjs = {};
    const esm = {};
    for (const entry of ${JSON.stringify(entries)}) {
      Object.assign(cjs, require(${JSON.stringify(dist)} + "/cjs/" + entry));
      Object.assign(esm, await import(pathToFileURL(${JSON.stringify(dist)} + "/esm/" + entry).href));
    }
    const isClass = (value) => typeof value === "function" && /^class\\b/.test(Function.prototype.toString.call(value));
    const classNames = (build) => Object.keys(build).filter((name) => isClass(build[name])).sort();
    ${body}
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { cwd: path.dirname(dist), timeout: 60_000 });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
}

describe("one class across ESM and CommonJS (both builds loaded in one process)", function () {
  this.timeout(60_000);

  it("for every pair of exported classes, an instance of one build answers instanceof in the other as in its own", async () => {
    const result = await bothBuilds(`
      const names = classNames(esm);
      const mismatches = [];
      for (const [from, to, fromName, toName] of [[cjs, esm, "cjs", "esm"], [esm, cjs, "esm", "cjs"]]) {
        for (const made of names) {
          // Object.create: an instance by prototype, so every class is covered without its constructor's arguments.
          const instance = Object.create(from[made].prototype);
          for (const tested of names) {
            const expected = instance instanceof from[tested];
            if ((instance instanceof to[tested]) !== expected) mismatches.push(fromName + " " + made + (expected ? " is not " : " is ") + "instanceof " + toName + " " + tested);
          }
        }
      }
      console.log(JSON.stringify({ names, cjsNames: classNames(cjs), mismatches }));
    `);
    const names = result.names as string[];
    assert.deepEqual(result.cjsNames, names);
    // Every kind of exported class is in the matrix (a new export joins it by itself).
    for (const name of ["DigitalOceanClient", "GeneratedClient", "PagedResult", "APIPromise", "NodeHttpClient", "UndiciHttpClient", "MemoryRateLimitStore", "RedisRateLimitStore", "RetryBudget", "RestError", "TsdoError", "NotFoundError", "WaitTimeoutError"]) {
      assert.ok(names.includes(name), `${name} is not among the exported classes: ${names.join(", ")}`);
    }
    assert.deepEqual(result.mismatches, []);
  });

  it("an error a CommonJS client throws is the ESM class, its parents' and RestError's, and no other status's (and the other way round)", async () => {
    const result = await bothBuilds(`
      const fake = await cjs.startFakeDigitalOcean();
      const classesOf = (error, build) => ["NotFoundError", "UnprocessableEntityError", "AuthenticationError", "DigitalOceanError", "TsdoError", "RestError"].filter((name) => error instanceof build[name]);
      try {
        const fromCjs = cjs.createTestClient(fake);
        const fromEsm = esm.createTestClient(fake);
        const caught = (promise) => promise.then(() => { throw new Error("resolved"); }, (error) => error);
        const missing = await caught(fromCjs.droplets.get(987654321));
        const invalid = await caught(fromCjs.droplets.create({ name: "", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" }));
        const badToken = await caught(new cjs.DigitalOceanClient("dop_v1_wrong", { endpoint: fake.url, allowInsecureConnection: true }).account.get());
        const esmMissing = await caught(fromEsm.droplets.get(987654321));
        const call = fromCjs.account.get();
        const list = [fromCjs.droplets.list() instanceof esm.PagedResult, call instanceof esm.APIPromise, call instanceof esm.PagedResult];
        await call;
        console.log(JSON.stringify({
          missing: [missing.name, classesOf(missing, esm), esm.isRestError(missing)],
          invalid: [invalid.name, classesOf(invalid, esm)],
          badToken: [badToken.name, classesOf(badToken, esm)],
          esmMissing: [esmMissing.name, classesOf(esmMissing, cjs), cjs.isRestError(esmMissing)],
          ownBrands: Object.getOwnPropertySymbols(missing).filter((symbol) => String(symbol.description).startsWith("tsdo.")).length,
          client: [fromCjs instanceof esm.DigitalOceanClient, fromCjs instanceof esm.GeneratedClient, fromEsm instanceof cjs.DigitalOceanClient],
          list,
        }));
        fromCjs.close();
        fromEsm.close();
      } finally {
        await fake.close();
      }
    `);
    assert.deepEqual(result, {
      missing: ["NotFoundError", ["NotFoundError", "DigitalOceanError", "TsdoError", "RestError"], true],
      invalid: ["UnprocessableEntityError", ["UnprocessableEntityError", "DigitalOceanError", "TsdoError", "RestError"]],
      badToken: ["AuthenticationError", ["AuthenticationError", "DigitalOceanError", "TsdoError", "RestError"]],
      esmMissing: ["NotFoundError", ["NotFoundError", "DigitalOceanError", "TsdoError", "RestError"], true],
      // The brands are on the prototypes: an error carries nothing more.
      ownBrands: 0,
      client: [true, true, true],
      list: [true, true, false],
    });
  });

  it("a user's subclass keeps its own instanceof: other builds' errors are not instances of it, its instances are of tsdo's classes in both", async () => {
    const result = await bothBuilds(`
      class DropletGone extends esm.NotFoundError {}
      const mine = new DropletGone("404 gone", 404, undefined);
      const theirs = new cjs.NotFoundError("404 gone", 404, undefined);
      const sameBuild = new esm.NotFoundError("404 gone", 404, undefined);
      console.log(JSON.stringify({
        mine: [mine instanceof DropletGone, mine instanceof cjs.NotFoundError, mine instanceof cjs.DigitalOceanError, mine instanceof cjs.ConflictError],
        theirs: theirs instanceof DropletGone,
        sameBuild: sameBuild instanceof DropletGone,
        plain: [new Error("x") instanceof cjs.TsdoError, null instanceof esm.TsdoError, "NotFoundError" instanceof esm.NotFoundError],
      }));
    `);
    assert.deepEqual(result, { mine: [true, true, true, false], theirs: false, sameBuild: false, plain: [false, false, false] });
  });

  it("stays cheap: a million cross-build instanceof checks take well under 2 s", async () => {
    const result = await bothBuilds(`
      const error = new cjs.NotFoundError("404", 404, undefined);
      const started = process.cpuUsage();
      let hits = 0;
      for (let i = 0; i < 1_000_000; i++) if (error instanceof esm.DigitalOceanError) hits++;
      const { user, system } = process.cpuUsage(started);
      console.log(JSON.stringify({ hits, cpuInMs: (user + system) / 1000 }));
    `);
    assert.equal(result.hits, 1_000_000);
    assert.ok((result.cpuInMs as number) < 2000, `${String(result.cpuInMs)} ms of CPU`);
  });
});
