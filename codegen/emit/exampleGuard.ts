/**
 * `test/operations/responseExamples.types.ts`: a type test that stricter response types never
 * mean wrong ones. Every 2xx JSON response example of the spec (`example`, `examples`, and the
 * response schema's `example`) and every canned answer of the fake is assigned to the return
 * type of its operation; `npm run build:test` fails if any is rejected. Examples that do not fit
 * the spec's own schema (decided by ajv, as the Prism proxy decides) are not assigned but listed
 * at the top of the file with ajv's reason.
 */
import { namedExamples } from "../evidence.js";
import { fallbackAnswers } from "../fallback.js";
import { GENERATED_HEADER, compactLiteral } from "../format.js";
import { SpecValidator } from "../jsonSchema.js";
import type { ModelPlan } from "../modelPlan.js";
import type { OperationModel } from "../operations.js";
import { HTTP_METHODS, type Response, type Spec } from "../spec.js";
import { TESTS_DIR } from "./tests.js";

export const GUARD_FILE = `${TESTS_DIR}/responseExamples.types.ts`;

const JSON_TYPE = "application/json";

interface Checked {
  readonly where: string;
  readonly value: unknown;
}

export function emitExampleGuard(spec: Spec, operations: readonly OperationModel[], plan: ModelPlan): Map<string, string> {
  const validator = new SpecValidator(spec);
  const models = new Map(operations.map((op) => [op.id, op]));
  const checks = new Map<string, Checked[]>();
  const misfits: string[] = [];
  const add = (id: string, check: Checked): void => {
    let list = checks.get(id);
    if (list === undefined) checks.set(id, (list = []));
    list.push(check);
  };
  let examples = 0;
  for (const pathItem of Object.values(spec.doc.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      const model = operation === undefined ? undefined : models.get(operation.operationId);
      if (operation === undefined || model === undefined || model.response.kind === "none") continue;
      for (const [status, reference] of Object.entries(operation.responses ?? {})) {
        if (!/^2\d\d$/.test(status)) continue;
        const media = spec.deref<Response>(reference).content?.[JSON_TYPE];
        if (media?.schema === undefined) continue;
        for (const [name, value] of namedExamples(spec, media)) {
          const where = `${operation.operationId} ${status} ${name}`;
          const problem = validator.errors(media.schema, value);
          if (problem !== undefined) misfits.push(`${where}: ${problem}`);
          else {
            add(operation.operationId, { where, value });
            examples++;
          }
        }
      }
    }
  }
  let canned = 0;
  for (const answer of fallbackAnswers(spec, operations).answers) {
    const model = models.get(answer.operationId);
    if (model?.response.kind !== "json" && model?.response.kind !== "events") continue;
    if (answer.contentType !== JSON_TYPE || answer.body === undefined) continue;
    add(answer.operationId, { where: `${answer.operationId} fake answer`, value: answer.body });
    canned++;
  }

  const lines: string[] = [];
  for (const op of operations) {
    const list = checks.get(op.id);
    const types = plan.operations.get(op.id);
    if (list === undefined || types === undefined) continue;
    lines.push(`// ${op.id}\n`);
    for (const check of list) {
      const method = `DigitalOceanClient[${JSON.stringify(op.group)}][${JSON.stringify(op.method)}]`;
      lines.push(`accept<${method}>()(literal<${method}>()(${compactLiteral(check.value)})); // ${check.where}\n`);
    }
  }
  const text =
    GENERATED_HEADER +
    "/*\n" +
    ` * ${examples} spec examples of 2xx JSON answers and ${canned} canned answers of the fake, each assigned to the\n` +
    " * return type of its operation (compiled by `npm run build:test`; any rejection fails the build).\n" +
    " * Examples that contradict their schema and the operation's other examples are removed, each with its reason,\n" +
    " * by codegen/overlays/ before generation reads the spec.\n" +
    ` * ${misfits.length} spec examples do not fit the spec's own schema (ajv) and are left out:\n` +
    misfits.map((misfit) => ` * - ${misfit.replace(/\*\//g, "* /")}\n`).join("") +
    " */\n" +
    `import type { DigitalOceanClient } from "../../src/index.js";\n\n` +
    "/** What a method resolves to. */\n" +
    "type Answer<Method> = Method extends (...args: never[]) => PromiseLike<infer Result> ? Result : never;\n" +
    "/** The answer type open to extra properties: an example may carry fields the spec does not declare. */\n" +
    "type Open<T> = T extends readonly unknown[] ? { [K in keyof T]: Open<T[K]> } : T extends object ? { [K in keyof T]: Open<T[K]> } & { [key: string]: unknown } : T;\n" +
    "/** Types a literal the way the answer's type reads it (enum values stay literal), without checking it yet. */\n" +
    "function literal<Method>() {\n" +
    "  return <const Value extends Open<Answer<Method>>>(value: Value): Value => value;\n" +
    "}\n" +
    "/** The check: the typed literal is assigned to the answer type (no excess-property check, as for any value). */\n" +
    "function accept<Method>(): (answer: Answer<Method>) => void {\n" +
    "  return () => undefined;\n" +
    "}\n\n" +
    lines.join("");
  return new Map([[GUARD_FILE, text]]);
}
