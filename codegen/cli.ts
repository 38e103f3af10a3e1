/**
 * `npm run generate [-- --spec <file>] [-- --out <dir>]`: regenerates operations, models, api.md,
 * the operation tests, the fake API's canned answers and the spec digest (`spec/digest.json`) from
 * DigitalOcean's OpenAPI spec.
 */
import { join, resolve } from "node:path";
import { emitDigest } from "./emit/digest.js";
import { OWNED_DIRS, generate } from "./generate.js";
import { Spec } from "./spec.js";
import { writeFiles } from "./writer.js";

/** The repository root, seen from the compiled `build/codegen/cli.js`. */
const REPO_ROOT = join(__dirname, "..", "..");
/** The spec is shared between checkouts and lives next to the repository. */
const DEFAULT_SPEC = join(REPO_ROOT, "..", "shared", "openapi", "digitalocean-public.v2.yaml");

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`${name} needs a value`);
  return value;
}

function main(args: readonly string[]): void {
  const specFile = resolve(option(args, "--spec") ?? DEFAULT_SPEC);
  const root = resolve(option(args, "--out") ?? REPO_ROOT);
  const started = Date.now();
  const spec = Spec.load(specFile);
  const result = generate(spec);
  // The prose-free digest lets spec-dependent tests run where the spec is not checked out.
  const files = new Map([...result.files, ...emitDigest(spec.doc)]);
  const written = writeFiles(root, files, OWNED_DIRS);
  for (const note of result.notes) console.log(`note: ${note}`);
  console.log(
    `tsdo codegen: ${result.operations} operations in ${result.groups} groups, ${result.schemas} schemas; ` +
      `${files.size} files (${written.written} written, ${written.unchanged} unchanged, ${written.deleted} deleted) ` +
      `in ${root} from ${specFile} (${Date.now() - started} ms)`,
  );
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
