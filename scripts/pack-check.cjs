#!/usr/bin/env node
/**
 * `npm run pack:check`: tests the package as users get it, not as the repository has it.
 *
 *   1. `npm pack` (after `npm run build`): the tarball's size against a budget, and its contents:
 *      LICENSE, NOTICE, every file README.md links to, every target of `exports` and
 *      `typesVersions`.
 *   2. Installs the tarball into a fresh temporary project (dependencies from the npm cache, the
 *      registry only for what the cache lacks), with the optional peers so every subpath loads.
 *   3. There: `import`s and `require`s every subpath of `exports`, constructs a client and lists
 *      droplets against the fake (`tsdo/testing`), both as ESM and as CommonJS.
 *   4. Type-checks a TypeScript file using the package (and importing every subpath) with
 *      `moduleResolution` `node16` (ESM and CommonJS files) and `bundler`, declarations included.
 *
 * The subpaths come from package.json, so a new one (`tsdo/redis`, …) is checked without editing
 * this script. Each check is one line of output; the counts go to build/results/pack.json for CI's
 * summary. Exit code 1 when any check fails.
 */
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
/**
 * The packed tarball may not grow past this. It is ~490 kB: declarations of 659 operations and
 * their models, two bundled builds (ESM, CJS) of the runtime and the fake, the fake's canned
 * answers once as JSON (dist/data, ~300 kB unpacked), plus tsdo/undici and tsdo/redis.
 */
const BUDGET_BYTES = 640 * 1024;

const results = [];
function check(name, run) {
  try {
    const detail = run();
    results.push({ name, ok: true });
    console.log(`  ok    ${name}${detail ? ` (${detail})` : ""}`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`  FAIL  ${name}\n${indent(error instanceof Error ? error.message : String(error))}`);
  }
}

function indent(text) {
  return text.trim().split("\n").slice(-30).map((line) => `        ${line}`).join("\n");
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" } });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function kB(bytes) {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

/** `./testing` → `tsdo/testing`; `.` → `tsdo`. */
function specifier(subpath) {
  return subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
}

const subpaths = Object.keys(pkg.exports).filter((subpath) => subpath !== "./package.json");
/** The installed version of a dev dependency, so the temporary project matches the repository's. */
const lockedVersion = (name) => lock.packages[`node_modules/${name}`].version;

const work = fs.mkdtempSync(path.join(os.tmpdir(), "tsdo-pack-check-"));
try {
  console.log("pack-check: the package as users install it");
  const [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], root));
  const tarball = path.join(work, packed.filename);
  const shipped = new Set(packed.files.map((file) => file.path));

  check(`tarball ${packed.filename} within ${kB(BUDGET_BYTES)}`, () => {
    const size = `${kB(packed.size)} packed, ${kB(packed.unpackedSize)} unpacked, ${packed.entryCount} files`;
    if (packed.size > BUDGET_BYTES) throw new Error(`${size}: over the budget (BUDGET_BYTES in scripts/pack-check.cjs)`);
    return size;
  });

  check("ships LICENSE, NOTICE, README.md and what README.md links to", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\((?!https?:|#|mailto:)([^)\s#]+)[^)]*\)/g)].map((match) => match[1]);
    const missing = ["LICENSE", "NOTICE", "README.md", ...links].filter(
      (file) => !shipped.has(file) && ![...shipped].some((shippedFile) => shippedFile.startsWith(`${file.replace(/\/$/, "")}/`)),
    );
    if (missing.length > 0) throw new Error(`missing from the tarball: ${missing.join(", ")} (add them to "files" in package.json)`);
    return `${links.length} links`;
  });

  check(`exports: types, import and require for ${subpaths.map(specifier).join(", ")}`, () => {
    const problems = [];
    for (const subpath of subpaths) {
      const conditions = pkg.exports[subpath];
      const keys = Object.keys(conditions);
      // TypeScript takes the first condition that matches, so "types" must come before the others.
      if (keys[0] !== "types") problems.push(`${subpath}: "types" must be the first condition`);
      for (const condition of ["types", "import", "require"]) {
        const target = conditions[condition];
        if (target === undefined) problems.push(`${subpath}: no "${condition}"`);
        else if (!shipped.has(target.replace(/^\.\//, ""))) problems.push(`${subpath}: ${target} is not in the tarball`);
      }
      // Node10 resolution (TypeScript's "node" / "node10") ignores exports and reads typesVersions.
      const legacy = subpath === "." ? [pkg.types] : pkg.typesVersions?.["*"]?.[subpath.slice(2)];
      if (legacy === undefined) problems.push(`${subpath}: no typesVersions entry (needed by moduleResolution node10)`);
      else if (![legacy].flat().every((target) => shipped.has(target.replace(/^\.\//, "")))) problems.push(`${subpath}: typesVersions target not in the tarball`);
    }
    if (problems.length > 0) throw new Error(problems.join("\n"));
  });

  const project = path.join(work, "project");
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "tsdo-pack-check", private: true, type: "module" }, null, 2));
  const peers = Object.keys(pkg.peerDependencies ?? {}).map((name) => `${name}@${lockedVersion(name)}`);
  check("installs the tarball into a fresh project", () => {
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, ...peers, `@types/node@${lockedVersion("@types/node")}`], project);
    return peers.length > 0 ? `with ${peers.join(", ")}` : "";
  });

  const seed = { droplets: [{ name: "pack-check", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" }] };
  // The same program twice, once per module system; only the way it loads the package differs.
  const program = (load) => `${load}
const fake = await testing.startFakeDigitalOcean({ seed: ${JSON.stringify(seed)} });
try {
  const client = new tsdo.DigitalOceanClient(fake.token, { endpoint: fake.url, allowInsecureConnection: true });
  const names = [];
  for await (const droplet of client.droplets.list({ per_page: 10 })) names.push(droplet.name);
  if (names.join() !== "pack-check") throw new Error("listed " + JSON.stringify(names));
  // The subpaths share one copy of every class (the bundles' shared chunks): an error from a
  // client tsdo/testing made is an instance of tsdo's own class, and a real RestError.
  const missing = await testing.createTestClient(fake).droplets.get(987654321).then(() => undefined, (error) => error);
  if (!(missing instanceof tsdo.NotFoundError) || !(missing instanceof tsdo.TsdoError) || !tsdo.isRestError(missing) || missing.name !== "NotFoundError") {
    throw new Error("a 404 through tsdo/testing's client is not tsdo's NotFoundError: " + String(missing));
  }
  console.log(Object.keys(loaded).length + " subpaths loaded, listed " + names.join() + ", one NotFoundError class");
} finally {
  await fake.close();
}
`;
  const esm = program(`import * as tsdo from "tsdo";
import * as testing from "tsdo/testing";
const loaded = {};
for (const name of ${JSON.stringify(subpaths.map(specifier))}) loaded[name] = await import(name);`);
  const cjs = `(async () => {
${program(`const tsdo = require("tsdo");
const testing = require("tsdo/testing");
const loaded = {};
for (const name of ${JSON.stringify(subpaths.map(specifier))}) loaded[name] = require(name);`)}
})().catch((error) => { console.error(error); process.exitCode = 1; });
`;
  fs.writeFileSync(path.join(project, "esm.mjs"), esm);
  fs.writeFileSync(path.join(project, "cjs.cjs"), cjs);
  check("import (ESM): every subpath loads, a client lists droplets from the fake", () => run(process.execPath, ["esm.mjs"], project).trim());
  check("require (CommonJS): every subpath loads, a client lists droplets from the fake", () => run(process.execPath, ["cjs.cjs"], project).trim());

  const typeImports = subpaths.map((subpath, i) => `import type * as subpath${i} from "${specifier(subpath)}";`).join("\n");
  const usage = `import { DigitalOceanClient, NotFoundError, type OperationOptions } from "tsdo";
import { createTestClient, startFakeDigitalOcean } from "tsdo/testing";
${typeImports}
export type Loaded = [${subpaths.map((_, i) => `typeof subpath${i}`).join(", ")}];

export async function dropletNames(client: DigitalOceanClient, options?: OperationOptions): Promise<string[]> {
  const names: string[] = [];
  for await (const droplet of client.droplets.list({ per_page: 20 }, options)) names.push(droplet.name);
  return names;
}

export async function main(): Promise<number | undefined> {
  const fake = await startFakeDigitalOcean();
  try {
    const client = createTestClient(fake);
    // @ts-expect-error per_page is a number: proves the package's types are real, not any.
    await client.droplets.list({ per_page: "ten" });
    const { droplet } = await client.droplets.get(1).catch((error: unknown) => {
      if (error instanceof NotFoundError) return { droplet: undefined };
      throw error;
    });
    return droplet?.id;
  } finally {
    await fake.close();
  }
}
`;
  fs.writeFileSync(path.join(project, "usage.ts"), usage);
  // Under node16 a .cts file resolves the "require" conditions, a .ts file (type: module) "import".
  fs.writeFileSync(path.join(project, "usage-cjs.cts"), usage);
  const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  const compilerOptions = { target: "ES2022", lib: ["ES2022"], strict: true, noEmit: true, skipLibCheck: false, types: ["node"] };
  const tsconfigs = {
    node16: { compilerOptions: { ...compilerOptions, module: "node16", moduleResolution: "node16" }, files: ["usage.ts", "usage-cjs.cts"] },
    bundler: { compilerOptions: { ...compilerOptions, module: "preserve", moduleResolution: "bundler" }, files: ["usage.ts"] },
  };
  for (const [resolution, tsconfig] of Object.entries(tsconfigs)) {
    const file = `tsconfig.${resolution}.json`;
    fs.writeFileSync(path.join(project, file), JSON.stringify(tsconfig, null, 2));
    check(`type-checks with moduleResolution ${resolution} (${tsconfig.files.join(", ")})`, () => {
      run(process.execPath, [tsc, "-p", file], project);
    });
  }
} catch (error) {
  results.push({ name: "pack-check", ok: false });
  console.log(`  FAIL  pack-check stopped\n${indent(error instanceof Error ? error.stack ?? error.message : String(error))}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

const passed = results.filter((result) => result.ok).length;
const failed = results.length - passed;
fs.mkdirSync(path.join(root, "build", "results"), { recursive: true });
fs.writeFileSync(path.join(root, "build", "results", "pack.json"), `${JSON.stringify({ passed, failed })}\n`);
console.log(`pack-check: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
