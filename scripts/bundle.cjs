#!/usr/bin/env node
/**
 * The last build step: tsc's per-module ESM output (build/esm) becomes the shipped dist/esm and
 * dist/cjs. `npm run build` runs tsc twice before it: declarations (with their doc comments) into
 * dist/types, then the JavaScript without comments (`--noCheck`: the first run checked), since
 * esbuild keeps some comments and a comment with one non-ASCII character makes V8 hold the whole
 * chunk's source as two-byte text, twice the heap.
 *
 * Why: a start pays per module file, far more in ESM than in CommonJS (resolve, read, compile,
 * link for each), and tsdo is ~60 modules deep before its first request. esbuild bundles each
 * public entry point (`tsdo`, `tsdo/testing`, `tsdo/undici`, `tsdo/redis`) with code splitting,
 * so what two entry points share sits in one chunk and exists once: an error thrown by a client
 * from `tsdo/testing` is an instance of the class `tsdo` exports. Dependencies stay external
 * (`@azure/core-rest-pipeline` is still loaded by the first request). dist/cjs is the same files,
 * each converted to CommonJS on its own, so both formats have one module structure. Names are
 * kept (`keepNames`), so `err.name`, stacks and `util.inspect` show the classes' own names.
 */
"use strict";

const esbuild = require("esbuild");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const modules = path.join(root, "build", "esm");
const dist = path.join(root, "dist");
const entryPoints = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).exports;

async function main() {
  fs.rmSync(path.join(dist, "esm"), { recursive: true, force: true });
  fs.rmSync(path.join(dist, "cjs"), { recursive: true, force: true });
  const entries = Object.values(entryPoints)
    .filter((target) => typeof target === "object")
    .map((target) => path.join(modules, path.relative("./dist/esm", target.import)));
  await esbuild.build({
    entryPoints: entries,
    outbase: modules,
    outdir: path.join(dist, "esm"),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    keepNames: true,
    chunkNames: "chunks/[name]-[hash]",
    legalComments: "none",
    logLevel: "warning",
  });
  for (const file of walk(path.join(dist, "esm"))) {
    const source = fs.readFileSync(file, "utf8");
    const { code } = await esbuild.transform(source, { format: "cjs", platform: "node", target: "node20", keepNames: true, logLevel: "warning" });
    const out = path.join(dist, "cjs", path.relative(path.join(dist, "esm"), file));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, code);
  }
  // Each folder declares its format, so Node reads them right whatever the root package.json says.
  fs.writeFileSync(path.join(dist, "esm", "package.json"), '{ "type": "module" }\n');
  fs.writeFileSync(path.join(dist, "cjs", "package.json"), '{ "type": "commonjs" }\n');
}

function* walk(folder) {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.name.endsWith(".js")) yield full;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
