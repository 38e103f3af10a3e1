/** The whole generation as a pure function: spec in, file contents out (nothing touches the disk). */
import { emitApiMd } from "./emit/apiMd.js";
import { emitFallbacks } from "./emit/fallback.js";
import { MODELS_DIR, emitModels } from "./emit/models.js";
import { OPERATIONS_DIR, emitOperations, groupOperations } from "./emit/operations.js";
import { TESTS_DIR, emitTests } from "./emit/tests.js";
import { planModels } from "./modelPlan.js";
import { readOperations } from "./operations.js";
import { recoverableCreates } from "./recoverable.js";
import type { Spec } from "./spec.js";

/**
 * Directories whose every file comes from the generator. The fake's fallback table
 * (`src/testing/generated/fallbackResponses.ts`) is generated too, but its directory is not the
 * generator's, so it is written without clearing anything around it.
 */
export const OWNED_DIRS = [OPERATIONS_DIR, MODELS_DIR, TESTS_DIR] as const;

export interface Generation {
  /** Path relative to the repository root → content. */
  readonly files: Map<string, string>;
  readonly operations: number;
  readonly groups: number;
  readonly schemas: number;
  /** Decisions worth a reader's attention (e.g. operations with a `page` parameter left unpaged). */
  readonly notes: readonly string[];
}

export function generate(spec: Spec): Generation {
  const { operations, notes } = readOperations(spec);
  const plan = planModels(spec, operations);
  const fallbacks = emitFallbacks(spec, operations);
  const files = new Map<string, string>([
    ...emitOperations(operations, plan, recoverableCreates(spec, operations)),
    ...emitModels(plan),
    ...emitApiMd(operations, plan),
    ...emitTests(spec, operations, plan),
    ...fallbacks.files,
  ]);
  return {
    files,
    operations: operations.length,
    groups: groupOperations(operations).length,
    schemas: spec.schemas.length,
    notes: [...notes, ...fallbacks.notes],
  };
}
