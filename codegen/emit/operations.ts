/**
 * `src/operations/<group>.ts` (the typed interface of a group's methods: types only, erased at
 * build time), `src/operations/tables.ts` (every operation's request data, one line each) and
 * `src/operations/index.ts` (all groups).
 *
 * The data of all groups lives in one module because loading is paid per module: one file of
 * tables loads in about a third of the time that 56 small ones take, and import cost is a goal.
 */
import { GENERATED_HEADER, jsDoc, oneLine, stringLiteral } from "../format.js";
import type { ModelPlan } from "../modelPlan.js";
import { groupInterfaceName } from "../naming.js";
import type { OperationModel } from "../operations.js";
import { pathPlaceholders, type RecoverSpec } from "../../src/core/operationSpec.js";
import { type Signature, signatures } from "../signatures.js";
import { compare, typeImports } from "./imports.js";

export const OPERATIONS_DIR = "src/operations";

const DOCS_URL = "https://docs.digitalocean.com/reference/api/digitalocean/#operation/";

/** Operations by group, groups sorted by name, operations in spec order. */
export function groupOperations(operations: readonly OperationModel[]): [string, OperationModel[]][] {
  const groups = new Map<string, OperationModel[]>();
  for (const op of operations) {
    let list = groups.get(op.group);
    if (list === undefined) groups.set(op.group, (list = []));
    list.push(op);
  }
  return [...groups].sort(([a], [b]) => compare(a, b));
}

export function emitOperations(
  operations: readonly OperationModel[],
  plan: ModelPlan,
  recover: ReadonlyMap<string, RecoverSpec> = new Map(),
): Map<string, string> {
  const files = new Map<string, string>();
  const groups = groupOperations(operations);
  for (const [group, ops] of groups) files.set(`${OPERATIONS_DIR}/${group}.ts`, groupFile(group, ops, plan));
  files.set(`${OPERATIONS_DIR}/tables.ts`, tablesFile(groups, recover));
  files.set(`${OPERATIONS_DIR}/index.ts`, indexFile(groups));
  return files;
}

function groupFile(group: string, ops: readonly OperationModel[], plan: ModelPlan): string {
  const uses = new Set<string>();
  const members: string[] = [];
  const runtime = new Set<string>(["OperationOptions"]);
  for (const op of ops) {
    const types = plan.operations.get(op.id)!;
    for (const name of types.uses) uses.add(name);
    const sigs = signatures(op, types);
    for (const sig of sigs) {
      if (sig.returns.startsWith("PagedResult<")) runtime.add("PagedResult");
      if (sig.returns.startsWith("APIPromise<")) runtime.add("APIPromise");
      if (sig.returns.includes("EventStream<")) runtime.add("EventStream");
      members.push(methodDoc(op, sig) + `  ${op.method}(${sig.args.map(parameterText).join(", ")}): ${sig.returns};\n`);
    }
  }
  const runtimeImports = [
    `import type { OperationOptions } from "../core/requestOptions.js";\n`,
    runtime.has("APIPromise") ? `import type { APIPromise } from "../core/apiPromise.js";\n` : "",
    runtime.has("PagedResult") ? `import type { PagedResult } from "../core/paging.js";\n` : "",
    runtime.has("EventStream") ? `import type { EventStream } from "../core/events.js";\n` : "",
  ].join("");
  const modelImports = typeImports(uses, plan.moduleOf, undefined, (m) => `../models/${m}.js`);
  return (
    GENERATED_HEADER +
    runtimeImports +
    modelImports +
    "\n" +
    jsDoc([`The \`${group}\` operations (\`client.${group}\`); their request data is \`${group}\` in \`./tables.ts\`.`]) +
    `export interface ${groupInterfaceName(group)} {\n${members.join("\n")}}\n`
  );
}

function tablesFile(groups: readonly [string, OperationModel[]][], recover: ReadonlyMap<string, RecoverSpec>): string {
  const tables = groups.map(([group, ops]) => {
    const rows = ops.map((op) => `  ${op.method}: ${tableEntry(op, recover.get(op.id))},\n`).join("");
    return `/** Request data of the \`${group}\` operations (\`client.${group}\`). */\nconst ${group} = (): OperationRows => ({\n${rows}});\n`;
  });
  const names = groups.map(([group]) => group);
  return (
    GENERATED_HEADER +
    `import { lazyTables, type OperationRows } from "../core/operationSpec.js";\n\n` +
    `// Each row is the data the runtime builds one method from (see OperationSpec in src/core/operationSpec.ts).\n` +
    `// Each group's rows are made the first time the group is used: a client that uses two groups\n` +
    `// holds two groups' rows, not 659 (see lazyTables).\n\n` +
    tables.join("\n") +
    // Runtime data, not API: the public types never mention it.
    `\n/** Every operation group's table, by the name it has on the client, made on first use. */\n` +
    `export const operationGroups = lazyTables({\n${names.map((n) => `  ${n},\n`).join("")}});\n`
  );
}

/** The operation's `OperationRow` literal on one line; empty, false and derivable fields are left out. */
export function tableEntry(op: OperationModel, recover?: RecoverSpec): string {
  const list = (names: readonly string[]): string => `[${names.map(stringLiteral).join(", ")}]`;
  const fields: string[] = [`id: ${stringLiteral(op.id)}`, `method: "${op.httpMethod}"`, `path: ${stringLiteral(op.path)}`];
  // Left out when they are the path's placeholders in order, as the runtime then derives them (specOf).
  const pathParams = op.pathParams.map((p) => p.name);
  if (pathParams.join("\n") !== pathPlaceholders(op.path).join("\n")) fields.push(`pathParams: ${list(pathParams)}`);
  if (op.query.length > 0) fields.push(`query: ${list(op.query.map((p) => p.name))}`);
  if (op.headers.length > 0) fields.push(`headers: ${list(op.headers.map((p) => p.name))}`);
  const required = [...op.query, ...op.headers].filter((p) => p.required).map((p) => p.name);
  if (required.length > 0) fields.push(`requiredParams: ${list(required)}`);
  if (op.body !== undefined) {
    fields.push(`body: "${op.body.kind}"`);
    if (op.body.required) fields.push("bodyRequired: true");
  }
  if (op.response.kind !== "json") fields.push(`response: "${op.response.kind}"`);
  if (op.paged !== undefined) fields.push(`paged: ${stringLiteral(op.paged.property)}`);
  if (op.server !== undefined) fields.push(`server: "${op.server}"`);
  if (recover !== undefined) {
    const entries = Object.entries(recover).map(([key, value]) => `${key}: ${stringLiteral(value as string)}`);
    fields.push(`recover: { ${entries.join(", ")} }`);
  }
  return `{ ${fields.join(", ")} }`;
}

function parameterText(arg: Signature["args"][number]): string {
  return `${arg.name}${arg.optional ? "?" : ""}: ${arg.type}`;
}

const SERVER_NOTES = {
  inference: "Sent to the serverless inference host (client option `inferenceEndpoint`, default `https://inference.do-ai.run`).",
  agent: "Sent to your agent's own host (client option `agentEndpoint`).",
  absolute: "Sent to `uploadUrl` exactly as given (a presigned URL; no authorization header is needed).",
} as const;

function methodDoc(op: OperationModel, sig: Signature): string {
  const lines = [oneLine(op.summary) || op.id, "", `\`${op.httpMethod} ${op.path}\``];
  if (op.server !== undefined) lines.push("", SERVER_NOTES[op.server]);
  if (sig.note !== undefined) lines.push("", sig.note);
  lines.push("");
  for (const arg of sig.args) lines.push(`@param ${arg.name} - ${arg.doc}`);
  if (op.deprecated) lines.push("@deprecated The API marks this operation as deprecated.");
  lines.push(`@see ${DOCS_URL}${op.id}`);
  return jsDoc(lines, "  ");
}

function indexFile(groups: readonly [string, OperationModel[]][]): string {
  const imports = groups.map(([group]) => `import type { ${groupInterfaceName(group)} } from "./${group}.js";\n`).join("");
  const members = groups
    .map(([group, ops]) => jsDoc([groupSummary(ops)], "  ") + `  readonly ${group}: ${groupInterfaceName(group)};\n`)
    .join("");
  const typeExports = groups.map(([group]) => `  ${groupInterfaceName(group)},\n`).join("");
  return (
    GENERATED_HEADER +
    imports +
    "\n" +
    `/** The operation groups of a client: \`client.<group>.<method>(…)\`. */\n` +
    `export interface OperationGroups {\n${members}}\n\n` +
    `export type {\n${typeExports}};\n`
  );
}

/** A group's one-line description: the spec tags its operations carry and how many there are. */
function groupSummary(ops: readonly OperationModel[]): string {
  const tags = [...new Set(ops.map((op) => op.tag))].join(", ");
  return `${tags}: ${ops.length} operation${ops.length === 1 ? "" : "s"}.`;
}
