#!/usr/bin/env node
/**
 * `npm run docs`: the TypeDoc reference site in reference/ (not committed), and the check that
 * every exported symbol is documented (CI runs it).
 *
 * The entry points are the package's subpaths, read from package.json's exports
 * (`./dist/types/x/index.d.ts` → `src/x/index.ts`), so a new subpath is documented and checked
 * without editing this file. Every TypeDoc warning fails the run, with one exception: an
 * undocumented property of a type that has the API's wire shape — a generated model (src/models/),
 * whose spec gives that field no description, and the fake's resources and create-request seeds,
 * which mirror those models field for field. Each such type is documented; its fields mean what the
 * API reference says, and inventing text for them would only hide that. Their count is printed.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const pkg = require(path.join(root, "package.json"));
const entryPoints = Object.entries(pkg.exports)
  .filter(([subpath]) => subpath !== "./package.json")
  .map(([, conditions]) => conditions.types.replace(/^\.\/dist\/types\//, "src/").replace(/\.d\.ts$/, ".ts"));
const typedoc = path.join(path.dirname(require.resolve("typedoc/package.json", { paths: [root] })), "bin", "typedoc");
const args = [typedoc, ...entryPoints.flatMap((entry) => ["--entryPoints", entry]), ...process.argv.slice(2)];
const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });

const WIRE_SHAPED_PROPERTY = [
  /\(Property\), defined in [^,]*\/src\/(models\/|testing\/types\.ts)[^,]*, does not have any documentation$/,
  /^\[warning\] testing\.(DropletSeed|VolumeSeed|FirewallSeed)\.[\w.]+ \(Property\), defined in [^,]*\/src\/testing\/seed\.ts/,
];
let tolerated = 0;
let failures = 0;
// eslint-disable-next-line no-control-regex
for (const line of `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, "").split("\n")) {
  if (line.trim() === "" || /^\[warning\] Found \d+ errors and \d+ warnings$/.test(line)) continue;
  if (/^\[warning\]/.test(line) && WIRE_SHAPED_PROPERTY.some((pattern) => pattern.test(line))) {
    tolerated += 1;
    continue;
  }
  if (/^\[(warning|error)\]/.test(line)) failures += 1;
  console.log(line);
}
console.log(`docs: ${entryPoints.join(", ")}; ${failures} problems; ${tolerated} wire-shaped properties left to the API reference`);
process.exitCode = failures > 0 || result.status !== 0 ? 1 : 0;
