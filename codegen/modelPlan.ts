/**
 * Decides every named type the generated code uses: one per component schema (module `shared`)
 * and, per operation, its params interface and any inline request, response or event schema
 * (module = the operation's group). Emitters only print what the plan says, so the operations
 * files and the models files cannot disagree on a name.
 */
import { stringLiteral } from "./format.js";
import { operationTypePrefix, propertyKey } from "./naming.js";
import type { OperationModel, ParamModel } from "./operations.js";
import { componentTypeNames } from "./schemaNames.js";
import { type TypeContext, schemaDeclaration, schemaDocs } from "./schemaTypes.js";
import { type Schema, type Spec, schemaRefName } from "./spec.js";

export const SHARED_MODULE = "shared";

export interface Declaration {
  readonly name: string;
  /** The complete `export interface …` / `export type … = …;` source, with its JSDoc. */
  readonly source: string;
  /** Type names the source refers to (for imports). */
  readonly uses: ReadonlySet<string>;
}

/** The TypeScript types of one operation's signature, as type text. */
export interface OperationTypes {
  /** The body argument's type. */
  readonly request?: string;
  /** The params argument's type (always a named interface). */
  readonly params?: string;
  /** What the returned promise resolves to (or the page type of a paged operation). */
  readonly response: string;
  /** The `data` type of each server-sent event. */
  readonly event?: string;
  /** The item type of a paged operation. */
  readonly item?: string;
  /**
   * When the request body and the answer are both `oneOf`s whose alternatives pair up by title
   * ("Single Droplet Request" ↔ "Single Droplet Response"): each request alternative's type and
   * the answer it gets, for one overload per pair.
   */
  readonly pairedBodies?: readonly { readonly request: string; readonly response: string }[];
  /** Type names the texts above refer to. */
  readonly uses: ReadonlySet<string>;
}

export interface ModelPlan {
  /** Module (`shared` or a group name) → its declarations in emission order. */
  readonly modules: ReadonlyMap<string, readonly Declaration[]>;
  /** Type name → module that declares it. */
  readonly moduleOf: ReadonlyMap<string, string>;
  /** operationId → its signature types. */
  readonly operations: ReadonlyMap<string, OperationTypes>;
}

export function planModels(spec: Spec, operations: readonly OperationModel[]): ModelPlan {
  const componentNames = componentTypeNames(spec);
  const modules = new Map<string, Declaration[]>();
  const moduleOf = new Map<string, string>();

  /** A type context that records the names a piece of type text refers to. */
  const tracking = (uses: Set<string>): TypeContext => ({
    spec,
    refName(ref: string): string {
      const schemaName = schemaRefName(ref);
      const name = schemaName === undefined ? undefined : componentNames.get(schemaName);
      if (name === undefined) throw new Error(`$ref ${ref} is not a component schema`);
      uses.add(name);
      return name;
    },
  });
  const declare = (module: string, name: string, build: (ctx: TypeContext) => string, alsoUses: string[] = []): void => {
    if (moduleOf.has(name)) throw new Error(`Type name ${name} is declared twice (${moduleOf.get(name)} and ${module})`);
    const uses = new Set<string>(alsoUses);
    const source = build(tracking(uses));
    uses.delete(name);
    moduleOf.set(name, module);
    let list = modules.get(module);
    if (list === undefined) modules.set(module, (list = []));
    list.push({ name, source, uses });
  };

  for (const [schemaName, schema] of spec.schemas) {
    // Every exported type gets a doc comment (TypeDoc checks it), even where the spec gives none.
    const fallback = schemaDocs(schema).length > 0 ? [] : [`The \`${schemaName}\` schema of DigitalOcean's API.`];
    declare(SHARED_MODULE, componentNames.get(schemaName)!, (ctx) => schemaDeclaration(componentNames.get(schemaName)!, schema, ctx, fallback));
  }

  // Inline schemas reached from several operations (a shared `components/responses` entry) are
  // declared once, by the first operation; the others get an alias with their own name.
  const inlineNames = new Map<Schema, string>();
  const plans = new Map<string, OperationTypes>();
  for (const op of operations) {
    const prefix = operationTypePrefix(op.group, op.method);
    const uses = new Set<string>();
    const ctx = tracking(uses);
    const named = (schema: Schema, name: string, description: string | undefined): string => {
      if (schema.$ref !== undefined) return ctx.refName(schema.$ref);
      const first = inlineNames.get(schema);
      if (first === undefined) {
        inlineNames.set(schema, name);
        declare(op.group, name, (c) => schemaDeclaration(name, schema, c, description === undefined ? [] : [description]));
      } else {
        const doc = `/** The answer of \`${op.id}\`, the same as {@link ${first}}. */\n`;
        declare(op.group, name, () => `${doc}export type ${name} = ${first};\n`, [first]);
      }
      uses.add(name);
      return name;
    };

    let request: string | undefined;
    if (op.body !== undefined) {
      request = op.body.kind === "binary" ? "Uint8Array" : named(op.body.schema, `${prefix}Request`, op.body.description ?? `The request body of \`${op.id}\`.`);
    }

    let params: string | undefined;
    const paramList = [...op.query, ...op.headers];
    if (paramList.length > 0) {
      const name = `${prefix}Params`;
      const doc = `${op.query.length > 0 ? "Query" : "Header"}${op.query.length > 0 && op.headers.length > 0 ? " and header" : ""} parameters of \`${op.id}\`.`;
      declare(op.group, name, (c) => schemaDeclaration(name, paramsSchema(paramList), c, [doc], true));
      uses.add(name);
      params = name;
    }

    let response: string;
    let event: string | undefined;
    switch (op.response.kind) {
      case "json":
      case "events":
        response =
          op.response.schema === undefined ? "unknown" : named(op.response.schema, `${prefix}Response`, op.response.description ?? `The answer of \`${op.id}\`.`);
        if (op.response.eventSchema !== undefined) {
          event = named(op.response.eventSchema, `${prefix}Event`, "One `data:` payload of the event stream.");
        }
        break;
      case "text":
        response = "string";
        break;
      case "binary":
        response = "Uint8Array";
        break;
      case "none":
        response = "void";
        break;
    }

    let item: string | undefined;
    if (op.paged !== undefined) {
      item =
        op.paged.itemSchema.$ref !== undefined
          ? ctx.refName(op.paged.itemSchema.$ref)
          : `NonNullable<${response}[${stringLiteral(op.paged.property)}]>[number]`;
    }

    const pairedBodies =
      op.body?.kind === "json" && op.response.kind === "json" && op.response.schema !== undefined
        ? pairBodies(spec, op.body.schema, op.response.schema, response, ctx)
        : undefined;

    plans.set(op.id, {
      response,
      uses,
      ...(pairedBodies !== undefined && { pairedBodies }),
      ...(request !== undefined && { request }),
      ...(params !== undefined && { params }),
      ...(event !== undefined && { event }),
      ...(item !== undefined && { item }),
    });
  }
  return { modules, moduleOf, operations: plans };
}

/**
 * Pairs `oneOf` request alternatives (component refs) with `oneOf` answer alternatives by title,
 * "… Request" with "… Response". Each answer alternative is picked out of the answer's union by a
 * required property only it has (`Extract<DropletsCreateResponse, { droplet: unknown }>`). Any
 * ambiguity (no title, no unique property, unmatched alternatives) means no pairing.
 */
function pairBodies(spec: Spec, request: Schema, answer: Schema, answerType: string, ctx: TypeContext): { request: string; response: string }[] | undefined {
  const requests = spec.deref(request).oneOf;
  const answers = spec.deref(answer).oneOf?.map((alternative) => spec.deref(alternative));
  if (requests === undefined || answers === undefined || requests.length < 2 || requests.length !== answers.length) return undefined;
  const pairs: { request: string; response: string }[] = [];
  for (const alternative of requests) {
    const title = alternative.$ref === undefined ? undefined : spec.deref(alternative).title;
    if (title === undefined || !title.endsWith(" Request")) return undefined;
    const match = answers.find((candidate) => candidate.title === `${title.slice(0, -" Request".length)} Response`);
    const key = match?.required?.find((name) => answers.every((other) => other === match || !(other.required ?? []).includes(name)));
    if (key === undefined) return undefined;
    pairs.push({ request: ctx.refName(alternative.$ref!), response: `Extract<${answerType}, { ${propertyKey(key)}: unknown }>` });
  }
  return pairs;
}

/** Query and header parameters as one object schema, each member documented by its parameter. */
function paramsSchema(params: readonly ParamModel[]): Schema {
  const properties: Record<string, Schema> = {};
  for (const param of params) {
    const description = param.description ?? param.schema.description;
    const docs = description === undefined ? {} : { description };
    properties[param.name] = param.schema.$ref !== undefined ? { allOf: [param.schema], ...docs } : { ...param.schema, ...docs };
  }
  return { type: "object", properties, required: params.filter((p) => p.required).map((p) => p.name) };
}
