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
 * each converted to CommonJS on its own, so both formats have one module structure.
 *
 * Class and function names are what `err.name` (`new.target.name`), stacks and `util.inspect`
 * show, and esbuild renames some: `class _X` for a class that names itself in its own body, `f2`
 * for a top-level name two modules share. `keepNames` would put them back, but it does so with a
 * `__name()` call for every function and closure as it is created, a dozen per request. Instead
 * the sources avoid both (a class's static and instance methods say `this` / `this.constructor`
 * for their own class; module-level names are distinct), and the build fails where they do not:
 * on a renamed class or function in any output file, or an exported class or function of an
 * entry point not called by its exported name.
 *
 * The fake's canned answers (`testing/generated/fallbackResponses`, a third of a megabyte) would
 * be in both formats; they ship once, as dist/data/fallbackResponses.json, which the module both
 * builds get in its place reads when `tsdo/testing` loads.
 */
"use strict";

const assert = require("node:assert");
const esbuild = require("esbuild");
const fs = require("node:fs");
const path = require("node:path");
const { pathToFileURL } = require("node:url");

const root = path.resolve(__dirname, "..");
const modules = path.join(root, "build", "esm");
const dist = path.join(root, "dist");
const entryPoints = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).exports;
const SHARED_DATA = [{ module: "testing/generated/fallbackResponses.js", name: "fallbackResponses" }];

async function main() {
  fs.rmSync(path.join(dist, "esm"), { recursive: true, force: true });
  fs.rmSync(path.join(dist, "cjs"), { recursive: true, force: true });
  fs.rmSync(path.join(dist, "data"), { recursive: true, force: true });
  // tsc's ESM output, read as ESM when the data is imported from it below.
  fs.writeFileSync(path.join(modules, "package.json"), '{ "type": "module" }\n');
  const dataModules = new Map();
  for (const { module, name } of SHARED_DATA) {
    const file = path.join(modules, module);
    const value = (await import(pathToFileURL(file).href))[name];
    const json = JSON.stringify(value);
    // JSON must carry the data exactly (no undefined, NaN, functions), or the fake would differ.
    assert.deepStrictEqual(JSON.parse(json), value, `${module}: not plain JSON data`);
    fs.mkdirSync(path.join(dist, "data"), { recursive: true });
    fs.writeFileSync(path.join(dist, "data", `${name}.json`), json);
    // Every output file sits two folders below dist (dist/esm/testing/, dist/cjs/chunks/, …).
    dataModules.set(file, `import { readFileSync } from "node:fs";\nexport const ${name} = JSON.parse(readFileSync(new URL("../../data/${name}.json", import.meta.url), "utf8"));\n`);
  }
  const sharedData = {
    name: "shared-data",
    setup(build) {
      build.onLoad({ filter: /\.js$/ }, (args) => (dataModules.has(args.path) ? { contents: dataModules.get(args.path), loader: "js" } : undefined));
    },
  };
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
    chunkNames: "chunks/[name]-[hash]",
    legalComments: "none",
    logLevel: "warning",
    plugins: [sharedData],
  });
  for (const file of walk(path.join(dist, "esm"))) {
    const source = fs.readFileSync(file, "utf8");
    // CommonJS has no import.meta: the file's own URL comes from __filename.
    const moduleUrl = source.includes("import.meta.url")
      ? { define: { "import.meta.url": "__moduleUrl" }, banner: 'const __moduleUrl = require("node:url").pathToFileURL(__filename).href;' }
      : {};
    const { code } = await esbuild.transform(source, { format: "cjs", platform: "node", target: "node20", logLevel: "warning", ...moduleUrl });
    const out = path.join(dist, "cjs", path.relative(path.join(dist, "esm"), file));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, code);
  }
  // Each folder declares its format, so Node reads them right whatever the root package.json says.
  fs.writeFileSync(path.join(dist, "esm", "package.json"), '{ "type": "module" }\n');
  fs.writeFileSync(path.join(dist, "cjs", "package.json"), '{ "type": "commonjs" }\n');
  for (const file of walk(path.join(dist, "esm"))) {
    const renamed = renamedDeclarations(fs.readFileSync(file, "utf8"));
    if (renamed.length > 0) throw new Error(`${path.relative(dist, file)}: esbuild renamed ${renamed.join(", ")}; give the source distinct names (see the top of scripts/bundle.cjs)`);
  }
  for (const entry of entries) {
    const exported = await import(pathToFileURL(path.join(dist, "esm", path.relative(modules, entry))).href);
    const misnamed = Object.entries(exported).filter(([name, value]) => typeof value === "function" && value.name !== name);
    if (misnamed.length > 0) throw new Error(`${path.relative(modules, entry)}: exported under another name than their own: ${misnamed.map(([name, value]) => `${name} (${value.name})`).join(", ")}`);
  }
}

/** Classes esbuild gave an inner `_X` name, and functions it suffixed (`f2` where `f` is also declared). */
function renamedDeclarations(source) {
  const renamed = [...source.matchAll(/\bclass (_[A-Za-z$][\w$]*)/g)].map((match) => `class ${match[1]}`);
  const declared = new Set([...source.matchAll(/\bfunction\*? ?([A-Za-z_$][\w$]*)\(/g)].map((match) => match[1]));
  for (const name of declared) {
    const base = /^(.*[^\d])\d+$/.exec(name)?.[1];
    if (base !== undefined && declared.has(base)) renamed.push(`function ${name}`);
  }
  return renamed;
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
