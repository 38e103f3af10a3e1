/**
 * Decides every named type the generated code uses: per component schema an operation reaches,
 * one declaration when its request and response forms agree, else the response form under the
 * plain name and the request form as `<Name>Input`; per operation, its params interface and any
 * inline request, response or event schema. Each declaration lives in the module of the one group
 * that uses it, or in `shared`. Emitters only print what the plan says, so the operations files
 * and the models files cannot disagree on a name.
 */
import { type ResponseRequired, responseRequired } from "./evidence.js";
import { stringLiteral } from "./format.js";
import { operationTypePrefix, propertyKey } from "./naming.js";
import type { OperationModel, ParamModel } from "./operations.js";
import { componentTypeNames } from "./schemaNames.js";
import { type Side, type TypeContext, schemaDeclaration, schemaDocs, schemaType } from "./schemaTypes.js";
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
  const baseNames = componentTypeNames(spec);
  const required = responseRequired(spec);
  const views = componentViews(spec, required, operations);
  /** The type name of a component schema as seen from one side of the wire. */
  const nameOn = (schemaName: string, side: Side): string => {
    if (isScalarAlias(spec, schemaName)) return SCALAR_TYPES[spec.doc.components!.schemas![schemaName]!.type!]!;
    const base = baseNames.get(schemaName)!;
    if (views.same.has(schemaName) || side === "response" || !views.reachable.response.has(schemaName)) return base;
    return `${base}${REQUEST_SUFFIX}`;
  };
  const declarations: (Declaration & { group?: string })[] = [];
  const declared = new Map<string, string | undefined>();

  /** A type context for one side that records the names a piece of type text refers to. */
  const tracking = (uses: Set<string>, side: Side): TypeContext => ({
    spec,
    side,
    responseRequired: required,
    refName(ref: string): string {
      const schemaName = schemaRefName(ref);
      if (schemaName === undefined || !baseNames.has(schemaName)) throw new Error(`$ref ${ref} is not a component schema`);
      const name = nameOn(schemaName, side);
      if (!isScalarAlias(spec, schemaName)) uses.add(name);
      return name;
    },
  });
  const declare = (group: string | undefined, name: string, side: Side, build: (ctx: TypeContext) => string, alsoUses: string[] = []): void => {
    if (declared.has(name)) throw new Error(`Type name ${name} is declared twice`);
    const uses = new Set<string>(alsoUses);
    const source = build(tracking(uses, side));
    uses.delete(name);
    declared.set(name, group);
    declarations.push({ name, source, uses, ...(group !== undefined && { group }) });
  };

  for (const [schemaName, schema] of spec.schemas) {
    if (isScalarAlias(spec, schemaName)) continue;
    const onResponse = views.reachable.response.has(schemaName);
    const onRequest = views.reachable.request.has(schemaName);
    // Every exported type gets a doc comment (TypeDoc checks it), even where the spec gives none.
    const fallback = schemaDocs(schema).length > 0 ? [] : [`The \`${schemaName}\` schema of DigitalOcean's API.`];
    if (onResponse || (onRequest && views.same.has(schemaName))) {
      const name = nameOn(schemaName, "response");
      declare(undefined, name, "response", (ctx) => schemaDeclaration(name, schema, ctx, fallback));
    }
    if (onRequest && !views.same.has(schemaName)) {
      const name = nameOn(schemaName, "request");
      const docs = onResponse ? [`{@link ${baseNames.get(schemaName)!}} as a request sends it: without the properties the API sets.`, ""] : fallback;
      declare(undefined, name, "request", (ctx) => schemaDeclaration(name, schema, ctx, docs));
    }
  }

  // Inline schemas reached from several operations (a shared `components/responses` entry) are
  // declared once, by the first operation; the others get an alias with their own name.
  const inlineNames = new Map<Schema, string>();
  const plans = new Map<string, OperationTypes>();
  for (const op of operations) {
    const prefix = operationTypePrefix(op.group, op.method);
    const uses = new Set<string>();
    const requestCtx = tracking(uses, "request");
    const responseCtx = tracking(uses, "response");
    const named = (schema: Schema, name: string, description: string | undefined, side: Side): string => {
      if (schema.$ref !== undefined) return (side === "request" ? requestCtx : responseCtx).refName(schema.$ref);
      const first = inlineNames.get(schema);
      if (first === undefined) {
        inlineNames.set(schema, name);
        declare(op.group, name, side, (c) => schemaDeclaration(name, schema, c, description === undefined ? [] : [description]));
      } else {
        const doc = `/** The answer of \`${op.id}\`, the same as {@link ${first}}. */\n`;
        declare(op.group, name, side, () => `${doc}export type ${name} = ${first};\n`, [first]);
      }
      uses.add(name);
      return name;
    };

    let request: string | undefined;
    if (op.body !== undefined) {
      request = op.body.kind === "binary" ? "Uint8Array" : named(op.body.schema, `${prefix}Request`, op.body.description ?? `The request body of \`${op.id}\`.`, "request");
    }

    let params: string | undefined;
    const paramList = [...op.query, ...op.headers];
    if (paramList.length > 0) {
      const name = `${prefix}Params`;
      const doc = `${op.query.length > 0 ? "Query" : "Header"}${op.query.length > 0 && op.headers.length > 0 ? " and header" : ""} parameters of \`${op.id}\`.`;
      declare(op.group, name, "request", (c) => schemaDeclaration(name, paramsSchema(paramList), c, [doc], true));
      uses.add(name);
      params = name;
    }

    let response: string;
    let event: string | undefined;
    switch (op.response.kind) {
      case "json":
      case "events":
        response =
          op.response.schema === undefined ? "unknown" : named(op.response.schema, `${prefix}Response`, op.response.description ?? `The answer of \`${op.id}\`.`, "response");
        if (op.response.eventSchema !== undefined) {
          event = named(op.response.eventSchema, `${prefix}Event`, "One `data:` payload of the event stream.", "response");
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
          ? responseCtx.refName(op.paged.itemSchema.$ref)
          : `NonNullable<${response}[${stringLiteral(op.paged.property)}]>[number]`;
    }

    const pairedBodies =
      op.body?.kind === "json" && op.response.kind === "json" && op.response.schema !== undefined
        ? pairBodies(spec, op.body.schema, op.response.schema, response, requestCtx)
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
  return placeDeclarations(declarations, operations, plans);
}

const SCALAR_TYPES: Readonly<Record<string, string>> = { string: "string", integer: "number", number: "number", boolean: "boolean" };

/**
 * A component schema that is only a plain scalar (`version`: a string) is written as that type
 * where it is used: an exported `type Version = string` would promise a distinction it does not make.
 */
function isScalarAlias(spec: Spec, schemaName: string): boolean {
  const schema = spec.doc.components?.schemas?.[schemaName];
  return (
    schema !== undefined &&
    SCALAR_TYPES[schema.type ?? ""] !== undefined &&
    schema.enum === undefined &&
    schema.nullable !== true &&
    schema.allOf === undefined &&
    schema.oneOf === undefined &&
    schema.anyOf === undefined
  );
}

/** The name suffix of a schema's request form when its answer form, under the plain name, differs. */
const REQUEST_SUFFIX = "Input";

interface ComponentViews {
  /** Component schemas whose request and response forms are the same type (one declaration serves both). */
  readonly same: ReadonlySet<string>;
  /** Component schemas each side of some operation reaches. */
  readonly reachable: { readonly request: ReadonlySet<string>; readonly response: ReadonlySet<string> };
}

/**
 * Renders every component schema for both sides with placeholder names: a schema is the same on
 * both sides when its two texts are equal and every schema it refers to is the same too. Then
 * follows the references from each operation's body and params (request) and answer (response).
 */
function componentViews(spec: Spec, required: ResponseRequired, operations: readonly OperationModel[]): ComponentViews {
  const refsOn = { request: new Map<string, Set<string>>(), response: new Map<string, Set<string>>() };
  const placeholder = (side: Side, uses: Set<string>): TypeContext => ({
    spec,
    side,
    responseRequired: required,
    refName(ref: string): string {
      const name = schemaRefName(ref);
      if (name === undefined) throw new Error(`$ref ${ref} is not a component schema`);
      uses.add(name);
      return `<${name}>`;
    },
  });
  const same = new Set<string>();
  for (const [name, schema] of spec.schemas) {
    const text = (side: Side): string => {
      const uses = new Set<string>();
      const source = schemaDeclaration("T", schema, placeholder(side, uses));
      refsOn[side].set(name, uses);
      return source;
    };
    if (text("request") === text("response")) same.add(name);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of same) {
      const refs = [...refsOn.request.get(name)!, ...refsOn.response.get(name)!];
      if (refs.some((ref) => !same.has(ref))) {
        same.delete(name);
        changed = true;
      }
    }
  }

  const reachable = { request: new Set<string>(), response: new Set<string>() };
  const reach = (side: Side, uses: Iterable<string>): void => {
    const queue = [...uses];
    while (queue.length > 0) {
      const name = queue.pop()!;
      if (reachable[side].has(name)) continue;
      reachable[side].add(name);
      queue.push(...(refsOn[side].get(name) ?? []));
    }
  };
  for (const op of operations) {
    const from = (side: Side, schema: Schema | undefined): void => {
      if (schema === undefined) return;
      const uses = new Set<string>();
      schemaType(schema, placeholder(side, uses));
      reach(side, uses);
    };
    if (op.body?.kind === "json") from("request", op.body.schema);
    const paramList = [...op.query, ...op.headers];
    if (paramList.length > 0) from("request", paramsSchema(paramList));
    from("response", op.response.schema);
    from("response", op.response.eventSchema);
    from("response", op.paged?.itemSchema);
  }
  return { same, reachable };
}

/**
 * Puts each declaration where its users are: an operation's own types in its group's module, a
 * component schema in the module of the one group whose operations reach it, and the schemas
 * several groups reach in `shared`.
 */
function placeDeclarations(
  declarations: readonly (Declaration & { group?: string })[],
  operations: readonly OperationModel[],
  plans: ReadonlyMap<string, OperationTypes>,
): ModelPlan {
  const byName = new Map(declarations.map((d) => [d.name, d]));
  const groupsOf = new Map<string, Set<string>>();
  for (const op of operations) {
    const queue = [...plans.get(op.id)!.uses];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const name = queue.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      let groups = groupsOf.get(name);
      if (groups === undefined) groupsOf.set(name, (groups = new Set()));
      groups.add(op.group);
      queue.push(...(byName.get(name)?.uses ?? []));
    }
  }
  const modules = new Map<string, Declaration[]>();
  const moduleOf = new Map<string, string>();
  for (const { group, ...declaration } of declarations) {
    const users = groupsOf.get(declaration.name);
    const module = group ?? (users?.size === 1 ? [...users][0]! : SHARED_MODULE);
    moduleOf.set(declaration.name, module);
    let list = modules.get(module);
    if (list === undefined) modules.set(module, (list = []));
    list.push(declaration);
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
