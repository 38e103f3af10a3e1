/** `src/models/*.ts`: the declarations of the model plan, one file per module, and an index. */
import { GENERATED_HEADER } from "../format.js";
import { type ModelPlan, SHARED_MODULE } from "../modelPlan.js";
import { compare, typeImports } from "./imports.js";

export const MODELS_DIR = "src/models";

export function emitModels(plan: ModelPlan): Map<string, string> {
  const files = new Map<string, string>();
  const modules = [...plan.modules.keys()].sort((a, b) => (a === SHARED_MODULE ? -1 : b === SHARED_MODULE ? 1 : compare(a, b)));
  for (const module of modules) {
    const declarations = plan.modules.get(module)!;
    const uses = declarations.flatMap((d) => [...d.uses]);
    const imports = typeImports(uses, plan.moduleOf, module, (m) => `./${m}.js`);
    const body = declarations.map((d) => d.source).join("\n");
    files.set(`${MODELS_DIR}/${module}.ts`, `${GENERATED_HEADER}${imports}${imports === "" ? "" : "\n"}${body}`);
  }
  const index = modules.map((module) => `export type * from "./${module}.js";\n`).join("");
  files.set(`${MODELS_DIR}/index.ts`, GENERATED_HEADER + index);
  return files;
}
