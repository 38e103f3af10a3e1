/**
 * Method signatures. Arguments follow the runtime's positional contract: the path parameters in
 * path order, then the body (iff the operation has one), then the params object (iff it has
 * query or header parameters), then the options.
 */
import { oneLine } from "./format.js";
import type { OperationTypes } from "./modelPlan.js";
import { argumentName } from "./naming.js";
import type { OperationModel } from "./operations.js";

export interface Argument {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly doc: string;
}

export interface Signature {
  readonly args: readonly Argument[];
  readonly returns: string;
  /** What distinguishes this overload from its siblings. */
  readonly note?: string;
}

const OPTIONS_ARGUMENT: Argument = {
  name: "options",
  type: "OperationOptions",
  optional: true,
  doc: "Per-call options: abort signal, timeout, retries, extra headers, raw response callback.",
};

/**
 * The method's signatures: one, or three overloads when a boolean `stream` body property chooses
 * between a JSON answer and an event stream (`stream: true` → events, `stream` false or absent →
 * JSON, and a catch-all for a `stream` value only known at run time).
 */
export function signatures(op: OperationModel, types: OperationTypes): Signature[] {
  const args = arguments_(op, types);
  if (types.pairedBodies !== undefined) {
    // The body's shape decides the answer's: one overload per pair, then the general signature.
    const paired = types.pairedBodies.map(({ request, response }): Signature => ({
      args: args.map((arg) => (arg.name === "body" ? { ...arg, type: request, optional: false } : arg)),
      returns: `APIPromise<${response}>`,
      note: `With a \`${request}\` body, the answer is the matching alternative.`,
    }));
    return [...paired, { args, returns: returnType(op, types), note: "Any body: the answer is one of the alternatives." }];
  }
  if (op.response.kind !== "events") return [{ args, returns: returnType(op, types) }];
  const stream = `EventStream<${types.event ?? "unknown"}>`;
  const both: Signature = {
    args,
    returns: `APIPromise<${types.response} | ${stream}>`,
    note: "The API answers JSON or, when streaming is requested, server-sent events.",
  };
  if (op.body?.streamFlag !== true) return [both];
  const withBody = (extra: string, optional: boolean): Argument[] =>
    args.map((arg) => (arg.name === "body" ? { ...arg, type: `${arg.type} & ${extra}`, optional } : arg));
  return [
    { args: withBody("{ stream: true }", false), returns: `APIPromise<${stream}>`, note: "With `stream: true`, resolves to the server-sent events as they arrive." },
    { args: withBody("{ stream?: false | null }", !op.body.required), returns: `APIPromise<${types.response}>`, note: "Without `stream: true`, resolves to the JSON answer." },
    { ...both, note: "When `stream` is only known at run time, resolves to either." },
  ];
}

function returnType(op: OperationModel, types: OperationTypes): string {
  if (op.paged !== undefined) return `PagedResult<${types.item}, ${types.response}>`;
  return `APIPromise<${types.response}>`;
}

function arguments_(op: OperationModel, types: OperationTypes): Argument[] {
  const args: Argument[] = op.pathParams.map((param) => ({
    name: argumentName(param.name),
    type: param.valueType,
    optional: false,
    doc: oneLine(param.description) || `The \`${param.name}\` path parameter.`,
  }));
  if (op.body !== undefined) {
    args.push({
      name: "body",
      type: types.request ?? "unknown",
      optional: !op.body.required,
      doc: op.body.kind === "binary" ? "The raw bytes to send." : "The request body.",
    });
  }
  if (types.params !== undefined) {
    const params = [...op.query, ...op.headers];
    args.push({
      name: "params",
      type: types.params,
      optional: !params.some((p) => p.required),
      doc: op.headers.length > 0 ? (op.query.length > 0 ? "Query and header parameters." : "Header parameters.") : "Query parameters.",
    });
  }
  args.push(OPTIONS_ARGUMENT);
  // An optional argument cannot precede a required one; such an argument takes `undefined` instead.
  let laterRequired = false;
  for (let i = args.length - 1; i >= 0; i--) {
    const arg = args[i]!;
    if (!arg.optional) laterRequired = true;
    else if (laterRequired) args[i] = { ...arg, optional: false, type: `${arg.type} | undefined` };
  }
  return args;
}
