import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** The repository root, from the compiled `build/test/support/`. */
export const REPO_ROOT = resolve(__dirname, "..", "..", "..");

/** The OpenAPI spec: `TSDO_SPEC`, else the shared checkout next to the repository. */
export const SPEC_FILE =
  process.env.TSDO_SPEC !== undefined && process.env.TSDO_SPEC !== ""
    ? resolve(process.env.TSDO_SPEC)
    : resolve(REPO_ROOT, "..", "shared", "openapi", "digitalocean-public.v2.yaml");

/**
 * For suites that check the spec itself: skips them where the spec is not checked out, but fails in
 * CI, which always has it — a missing spec there must not pass as "nothing to check".
 */
export function requireSpec(context: Mocha.Context): string {
  if (existsSync(SPEC_FILE)) return SPEC_FILE;
  if (process.env.CI) throw new Error(`No OpenAPI spec at ${SPEC_FILE} (CI must provide it; TSDO_SPEC=<path> overrides)`);
  context.skip(); // Outside CI, a checkout without ../shared has nothing to check these suites against.
}
