import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { Spec } from "../../codegen/spec.js";

/** The repository root, from the compiled `build/test/support/`. */
export const REPO_ROOT = resolve(__dirname, "..", "..", "..");

/** The committed prose-free digest of the spec (`npm run generate` writes it). */
export const DIGEST_FILE = resolve(REPO_ROOT, "spec", "digest.json");

/** The full OpenAPI spec: `TSDO_SPEC`, else the shared checkout next to the repository. */
const FULL_SPEC_FILE =
  process.env.TSDO_SPEC !== undefined && process.env.TSDO_SPEC !== ""
    ? resolve(process.env.TSDO_SPEC)
    : resolve(REPO_ROOT, "..", "shared", "openapi", "digitalocean-public.v2.yaml");

/**
 * What spec-dependent suites check against: the full spec where it is checked out, else the
 * digest, which has every path, parameter, schema and example of it (only the prose is missing),
 * so a bare clone runs these suites too instead of skipping them. A `TSDO_SPEC` that names a
 * missing file is a mistake, not a reason to fall back.
 */
export const SPEC_FILE = existsSync(FULL_SPEC_FILE) || process.env.TSDO_SPEC ? FULL_SPEC_FILE : DIGEST_FILE;

/** The spec the suites read (YAML or the digest's JSON; the YAML parser reads both). */
export function loadSpec(): Spec {
  return Spec.load(SPEC_FILE);
}
