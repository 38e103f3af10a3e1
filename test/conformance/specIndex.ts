/**
 * The spec as the conformance suite reads it: each operation by operationId, with its parameters
 * and request body taken straight from the document.
 *
 * The suite deliberately does not read the generator's operation model to decide what to send:
 * what a request must contain comes from the spec, so a parameter the generator dropped or
 * misnamed shows up as a failed call instead of being left out of both sides.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { HTTP_METHODS, Spec, type LowerHttpMethod, type MediaType, type Operation, type Parameter, type Schema } from "../../codegen/spec";

/** A named request example (`examples:` in the spec); `value` after any `$ref` is followed. */
export interface RequestExample {
  readonly name: string;
  readonly value: unknown;
}

export interface SpecOperation {
  readonly id: string;
  readonly method: LowerHttpMethod;
  readonly path: string;
  readonly pathParams: readonly Parameter[];
  readonly query: readonly Parameter[];
  readonly headers: readonly Parameter[];
  /** Absent when the operation has no request body. */
  readonly body?: SpecRequestBody;
}

export interface SpecRequestBody {
  readonly contentType: string;
  readonly required: boolean;
  readonly schema: Schema;
  /** The spec's own request examples in spec order (`example`, else each of `examples`). */
  readonly examples: readonly RequestExample[];
}

/** The spec file: `TSDO_SPEC`, else the shared checkout next to the repository. */
export function specPath(repoRoot: string): string {
  const fromEnv = process.env.TSDO_SPEC;
  return fromEnv !== undefined && fromEnv !== "" ? resolve(fromEnv) : resolve(repoRoot, "..", "shared", "openapi", "digitalocean-public.v2.yaml");
}

export function loadSpec(file: string): Spec {
  if (!existsSync(file)) throw new Error(`No OpenAPI spec at ${file} (set TSDO_SPEC=<path>)`);
  return Spec.load(file);
}

/** The spec's media type object with the example fields codegen's types leave out. */
interface MediaTypeWithExamples extends MediaType {
  example?: unknown;
  examples?: Record<string, { $ref?: string; value?: unknown }>;
}

export function indexOperations(spec: Spec): Map<string, SpecOperation> {
  const index = new Map<string, SpecOperation>();
  for (const [path, pathItem] of Object.entries(spec.doc.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation === undefined) continue;
      index.set(operation.operationId, readOperation(spec, path, method, operation));
    }
  }
  return index;
}

function readOperation(spec: Spec, path: string, method: LowerHttpMethod, operation: Operation): SpecOperation {
  const params = (operation.parameters ?? []).map((p) => spec.deref<Parameter>(p));
  const body = readBody(spec, operation);
  return {
    id: operation.operationId,
    method,
    path,
    // The SDK takes path values positionally in URL order, which need not be the declaration order.
    pathParams: params.filter((p) => p.in === "path").sort((a, b) => path.indexOf(`{${a.name}}`) - path.indexOf(`{${b.name}}`)),
    query: params.filter((p) => p.in === "query"),
    headers: params.filter((p) => p.in === "header"),
    ...(body !== undefined && { body }),
  };
}

function readBody(spec: Spec, operation: Operation): SpecRequestBody | undefined {
  if (operation.requestBody === undefined) return undefined;
  const body = spec.deref(operation.requestBody);
  const [contentType, media] = Object.entries(body.content ?? {})[0] ?? [];
  if (contentType === undefined || media === undefined) return undefined;
  const withExamples = media as MediaTypeWithExamples;
  const examples: RequestExample[] = [];
  if (withExamples.example !== undefined) examples.push({ name: "example", value: withExamples.example });
  for (const [name, example] of Object.entries(withExamples.examples ?? {})) {
    const value = spec.deref(example).value;
    if (value !== undefined) examples.push({ name, value });
  }
  return { contentType, required: body.required === true, schema: media.schema ?? {}, examples };
}
