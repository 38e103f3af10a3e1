/**
 * `src/testing/generated/fallbackResponses.ts`: the fake API's canned success answer of every
 * operation (see `../fallback.ts`), one operation per line, in spec order.
 */
import { type FallbackAnswer, fallbackAnswers } from "../fallback.js";
import { GENERATED_HEADER, compactLiteral, stringLiteral } from "../format.js";
import { propertyKey } from "../naming.js";
import type { OperationModel } from "../operations.js";
import type { Spec } from "../spec.js";

export const FALLBACK_FILE = "src/testing/generated/fallbackResponses.ts";

export function emitFallbacks(spec: Spec, operations: readonly OperationModel[]): { files: Map<string, string>; notes: string[] } {
  const { answers, notes } = fallbackAnswers(spec, operations);
  const text =
    GENERATED_HEADER +
    `import type { FallbackTable } from "../fallback.js";\n\n` +
    "/**\n" +
    ` * A spec-valid success answer for each of the ${answers.length} operations: the first 2xx status, its media\n` +
    " * type and a body built from the spec's examples and schemas (lists hold one item; see codegen/fallback.ts).\n" +
    " */\n" +
    `export const fallbackResponses: FallbackTable = {\n${answers.map((answer) => `  ${propertyKey(answer.operationId)}: ${entry(answer)},\n`).join("")}};\n`;
  return { files: new Map([[FALLBACK_FILE, text]]), notes };
}

/** The `FallbackResponse` literal of one answer, on one line. */
export function entry(answer: FallbackAnswer): string {
  const fields = [`method: "${answer.method}"`, `path: ${stringLiteral(answer.path)}`, `status: ${answer.status}`];
  if (answer.contentType !== undefined) fields.push(`contentType: ${stringLiteral(answer.contentType)}`);
  if (answer.body !== undefined) fields.push(`body: ${compactLiteral(answer.body)}`);
  if (answer.events !== undefined) fields.push(`events: ${compactLiteral(answer.events)}`);
  return `{ ${fields.join(", ")} }`;
}
