/**
 * Loading the OpenAPI document and following its internal `$ref`s.
 *
 * Only the subset of OpenAPI 3.0 that DigitalOcean's spec uses is typed here; everything the
 * generator does not read is left out so the types document what the generator depends on.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { type Overlay, applyOverlays } from "./overlay.js";

export interface Schema {
  $ref?: string;
  type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  format?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  nullable?: boolean;
  readOnly?: boolean;
  deprecated?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  example?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  writeOnly?: boolean;
  not?: Schema;
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  /** Overlay-curated (`codegen/overlays/`): properties the API always returns, whatever the examples show. */
  "x-tsdo-response-required"?: string[];
  /** Overlay-curated: properties the API may leave out of an answer, whatever the examples show. */
  "x-tsdo-response-optional"?: string[];
}

/** A `$ref` object standing in for a parameter, request body or response. */
export interface Reference {
  $ref: string;
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  description?: string;
  required?: boolean;
  schema?: Schema;
  example?: unknown;
}

/** A named example of a media type (`examples: { name: { value } }`), or a `$ref` to one. */
export interface Example {
  summary?: string;
  value?: unknown;
}

export interface MediaType {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, Example | Reference>;
}

export interface RequestBody {
  description?: string;
  required?: boolean;
  content?: Record<string, MediaType>;
}

export interface Response {
  description?: string;
  content?: Record<string, MediaType>;
}

export interface Server {
  url: string;
}

export interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  parameters?: (Parameter | Reference)[];
  requestBody?: RequestBody | Reference;
  responses?: Record<string, Response | Reference>;
  servers?: Server[];
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head"] as const;
export type LowerHttpMethod = (typeof HTTP_METHODS)[number];

export type PathItem = Partial<Record<LowerHttpMethod, Operation>>;

export interface OpenApiDocument {
  paths: Record<string, PathItem>;
  components?: {
    schemas?: Record<string, Schema>;
    parameters?: Record<string, Parameter>;
    requestBodies?: Record<string, RequestBody>;
    responses?: Record<string, Response>;
  };
}

const SCHEMA_REF_PREFIX = "#/components/schemas/";

/** A parsed spec plus `$ref` resolution; the one object every generator stage reads from. */
export class Spec {
  constructor(readonly doc: OpenApiDocument) {}

  /** Parses the spec and applies the overlays to it before anything reads it. */
  static load(file: string, overlays: readonly Overlay[] = []): Spec {
    const doc = parse(readFileSync(file, "utf8")) as OpenApiDocument;
    applyOverlays(doc, overlays);
    return new Spec(doc);
  }

  /** Component schemas in spec order (the order the generator emits them in). */
  get schemas(): [string, Schema][] {
    return Object.entries(this.doc.components?.schemas ?? {});
  }

  /** Follows a local JSON pointer such as `#/components/parameters/per_page`. */
  resolve(ref: string): unknown {
    if (!ref.startsWith("#/")) throw new Error(`Only local $refs are supported, got ${ref}`);
    let node: unknown = this.doc;
    for (const raw of ref.slice(2).split("/")) {
      const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      node = (node as Record<string, unknown> | undefined)?.[key];
      if (node === undefined) throw new Error(`Unresolvable $ref ${ref}`);
    }
    return node;
  }

  /** The object a (possibly chained) `$ref` finally points at; non-refs are returned as is. */
  deref<T extends object>(node: T | Reference): T {
    let current: T | Reference = node;
    const seen = new Set<string>();
    while ("$ref" in current && typeof current.$ref === "string") {
      if (seen.has(current.$ref)) throw new Error(`Circular $ref ${current.$ref}`);
      seen.add(current.$ref);
      current = this.resolve(current.$ref) as T | Reference;
    }
    return current as T;
  }
}

/** The component name of a `#/components/schemas/<name>` ref, or undefined for any other ref. */
export function schemaRefName(ref: string): string | undefined {
  return ref.startsWith(SCHEMA_REF_PREFIX) ? ref.slice(SCHEMA_REF_PREFIX.length) : undefined;
}

/** `readOnly` on the schema itself or on an inline `allOf` member (`allOf: [$ref, { readOnly: true }]`). */
export function isReadOnly(schema: Schema): boolean {
  return schema.readOnly === true || (schema.allOf ?? []).some((member) => member.$ref === undefined && member.readOnly === true);
}
