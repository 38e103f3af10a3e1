#!/usr/bin/env node
/**
 * `npm run test:types`: the strict programs of test/types compiled against the PACKED package, as
 * a user gets it. `npm pack` the built package, install the tarball into a temporary project, copy
 * the programs in, compile them once per resolution mode (node16 — which also emits — and
 * bundler) with skipLibCheck off, then run them against tsdo/testing's fake.
 */
"use strict";
const { execFileSync } = require("node:child_process");
const { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

const root = join(__dirname, "..", "..");
const here = __dirname;
const work = mkdtempSync(join(tmpdir(), "tsdo-types-"));
const run = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: "inherit" });
try {
  const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: root, encoding: "utf8" }).trim().split("\n").pop();
  writeFileSync(join(work, "package.json"), JSON.stringify({ name: "tsdo-type-tests", private: true, type: "module" }, null, 2));
  // The package's dependencies come from the npm cache the repository was installed from.
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock", join(work, tarball), "@types/node@" + require(join(root, "node_modules/@types/node/package.json")).version], work);
  for (const file of ["main.ts", "tsconfig.base.json", "tsconfig.node16.json", "tsconfig.bundler.json"]) cpSync(join(here, file), join(work, file));
  cpSync(join(here, "programs"), join(work, "programs"), { recursive: true });
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  for (const mode of ["node16", "bundler"]) {
    console.log(`test:types: compiling ${readdirSync(join(here, "programs")).length} programs (${mode})`);
    run(process.execPath, [tsc, "-p", `tsconfig.${mode}.json`], work);
  }
  console.log("test:types: running them against tsdo/testing");
  run(process.execPath, [join(work, "out", "main.js")], work);
} finally {
  rmSync(work, { recursive: true, force: true });
}
