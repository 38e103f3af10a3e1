#!/usr/bin/env node
/**
 * `npm run test:conformance`: checks every operation of the SDK against Stoplight Prism serving
 * DigitalOcean's OpenAPI spec as a validating mock (`prism mock --errors`).
 *
 *   1. Locates the spec: `TSDO_SPEC`, else `../shared/openapi/digitalocean-public.v2.yaml` next to
 *      the repository, else the committed prose-free digest `spec/digest.json` (every path,
 *      parameter, schema and example, no descriptions), so a bare clone runs the whole suite.
 *   2. Starts Prism once on 127.0.0.1 and a free port, and meanwhile compiles the tests if they are
 *      older than their sources.
 *   3. Runs the mocha suite in `build/test/conformance/*.spec.js` with `TSDO_PRISM_URL` and
 *      `TSDO_SPEC` set. Extra arguments are passed to mocha (`-- --grep droplets`).
 *   4. Stops Prism on every way out: success, failure, exception, Ctrl-C, SIGTERM.
 *
 * Prism's own log (one line per request) goes to `build/conformance/prism.log`; its tail is printed
 * when Prism fails to start.
 */
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const http = require("node:http");
const net = require("node:net");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const HOST = "127.0.0.1";
/** The spec takes ~5-20 s to load depending on the machine; anything past this is a hang. */
const STARTUP_TIMEOUT_MS = 120_000;
const SUITE_FILES = "build/test/conformance/*.spec.js";
const LOG_FILE = path.join(root, "build", "conformance", "prism.log");
const PRISM_SEED = "tsdo-conformance";

function log(message) {
  process.stdout.write(`conformance: ${message}\n`);
}

function locateSpec() {
  const fromEnv = process.env.TSDO_SPEC;
  if (fromEnv) return path.resolve(fromEnv);
  const shared = path.resolve(root, "..", "shared", "openapi", "digitalocean-public.v2.yaml");
  return fs.existsSync(shared) ? shared : path.join(root, "spec", "digest.json");
}

/** Binding port 0 lets the OS pick a free port; it is released just before Prism binds it. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Newest modification time under `dir` (recursively) of files whose name passes `accept`. */
function newestMtime(dir, accept) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, accept));
    else if (accept(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * `npm test` has just run `build:test`, so compiling again would only cost time; a standalone
 * `npm run test:conformance` after editing a source must not run stale JavaScript, though.
 */
function testsAreStale() {
  const built = path.join(root, "build", "test", "conformance", "conformance.spec.js");
  if (!fs.existsSync(built)) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  const isSource = (name) => name.endsWith(".ts");
  return ["src", "codegen", "test/conformance"].some((dir) => newestMtime(path.join(root, dir), isSource) > builtAt);
}

function compileTests() {
  return new Promise((resolve, reject) => {
    log("compiling tests (tsc -p tsconfig.test.json)");
    const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
    const child = spawn(process.execPath, [tsc, "-p", "tsconfig.test.json"], { cwd: root, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`tsc exited with code ${code}`))));
  });
}

/** The running Prism process, so every exit path can stop it. */
let prism;
/** The running mocha process, stopped with Prism when the runner is interrupted. */
let suite;

function startPrism(specPath, port) {
  fs.mkdirSync(path.dirname(LOG_FILE), { recursive: true });
  const logStream = fs.openSync(LOG_FILE, "w");
  const cli = require.resolve("@stoplight/prism-cli/dist/index.js", { paths: [root] });
  // Prism always answers a request that breaks the spec with the operation's 4xx; --errors also
  // turns an answer that breaks the spec (a defective example) into a 500 instead of serving it.
  // Both kinds are listed in the `sl-violations` header, which the suite reads.
  // --seed: answers generated from schemas (`Prefer: dynamic=true`) are the same on every run.
  // detached: Prism gets its own process group, so stopping it also stops anything it forks.
  const child = spawn(process.execPath, [cli, "mock", specPath, "-h", HOST, "-p", String(port), "--errors", "--seed", PRISM_SEED], {
    cwd: root,
    detached: true,
    stdio: ["ignore", logStream, logStream],
  });
  fs.closeSync(logStream);
  prism = child;
  return child;
}

function stopPrism() {
  const child = prism;
  prism = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}

/** Prism is ready once it answers HTTP at all (it answers 401 to an unauthenticated request). */
function answersHttp(url) {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(true);
    });
    request.setTimeout(2_000, () => request.destroy());
    request.once("error", () => resolve(false));
  });
}

async function waitUntilReady(child, url) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Prism exited during startup (${child.exitCode ?? child.signalCode})\n${logTail()}`);
    }
    if (await answersHttp(`${url}/v2/account`)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Prism did not answer within ${STARTUP_TIMEOUT_MS / 1000} s\n${logTail()}`);
}

function logTail() {
  try {
    return fs.readFileSync(LOG_FILE, "utf8").split("\n").slice(-20).join("\n");
  } catch {
    return "(no Prism log)";
  }
}

function runMocha(env, extraArgs) {
  return new Promise((resolve, reject) => {
    const mocha = require.resolve("mocha/bin/mocha.js", { paths: [root] });
    // --no-config: .mocharc.json selects the unit tests; the conformance suite is chosen here. The
    // summary reporter records the counts under build/results for CI's one-line total.
    const reporter = ["--reporter", "test/support/summaryReporter.cjs", "--reporter-option", "suite=conformance"];
    const args = [mocha, "--no-config", ...reporter, "--timeout", "30000", ...extraArgs, SUITE_FILES];
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: "inherit" });
    suite = child;
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  const started = Date.now();
  const specPath = locateSpec();
  if (!fs.existsSync(specPath)) {
    log(`FAILED: no OpenAPI spec at ${specPath}`);
    return 1;
  }

  const port = await freePort();
  const url = `http://${HOST}:${port}`;
  log(`starting Prism on ${url} with ${path.relative(process.cwd(), specPath) || specPath}`);
  const child = startPrism(specPath, port);
  // Compiling and Prism's startup (loading a 3 MB spec) overlap.
  await Promise.all([testsAreStale() ? compileTests() : Promise.resolve(), waitUntilReady(child, url)]);
  log(`Prism ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const env = { ...process.env, TSDO_PRISM_URL: url, TSDO_SPEC: specPath };
  const code = await runMocha(env, process.argv.slice(2));
  log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s (Prism log: ${path.relative(root, LOG_FILE)})`);
  return code;
}

process.on("exit", stopPrism);
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
  ["SIGHUP", 129],
]) {
  process.on(signal, () => {
    if (suite && suite.exitCode === null) suite.kill(signal);
    stopPrism();
    process.exit(code);
  });
}

main().then(
  (code) => {
    stopPrism();
    process.exitCode = code;
  },
  (error) => {
    stopPrism();
    process.stderr.write(`conformance: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
