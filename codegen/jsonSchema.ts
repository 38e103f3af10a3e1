/**
 * Test helper: validates values against the spec's OpenAPI 3.0 schemas with ajv, the way the
 * Prism proxy does (it converts the schemas to JSON Schema draft 7 with @stoplight/http-spec and
 * validates with ajv + ajv-formats): `nullable: true` becomes `type: [t, "null"]` (and adds `null`
 * to an `enum`) only beside a `type` and is dropped elsewhere; `int32`/`int64` get their ranges,
 * `byte` a base64 pattern; `writeOnly` properties leave answer schemas. Dev-time only: ajv comes
 * with Prism and is never loaded by the library or the fake.
 */
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { Schema, Spec } from "./spec.js";

const SPEC_ID = "openapi.json";
const SCHEMA_PREFIX = "#/components/schemas/";

type Json = Record<string, unknown>;

export class SpecValidator {
  /** ajv as Prism configures it; patterns that are no valid unicode regexps compile in `legacy`. */
  private readonly ajv = SpecValidator.create(true);
  private readonly legacy = SpecValidator.create(false);

  constructor(spec: Spec) {
    const schemas: Json = {};
    for (const [name, schema] of spec.schemas) schemas[name] = convert(schema);
    const root = { $id: SPEC_ID, components: { schemas } };
    this.ajv.addSchema(root);
    this.legacy.addSchema(root);
  }

  private static create(unicodeRegExp: boolean): Ajv {
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, allowMatchingProperties: true, strict: false, unicodeRegExp, logger: false });
    addFormats(ajv);
    return ajv;
  }

  compile(schema: Schema): ValidateFunction {
    const converted = convert(schema);
    try {
      return this.ajv.compile(converted);
    } catch {
      return this.legacy.compile(converted);
    }
  }

  /** ajv's errors as text, or undefined when the value is valid. */
  errors(schema: Schema, value: unknown): string | undefined {
    const validate = this.compile(schema);
    if (validate(value)) return undefined;
    return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`).join("; ");
  }
}

const INT_RANGES: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** An OpenAPI 3.0 schema as JSON Schema draft 7, `$ref`s pointing into the registered spec. */
export function convert(schema: Schema): Json {
  const source = schema as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === "example" || key === "nullable" || key === "discriminator" || key === "readOnly" || key === "writeOnly") continue;
    if (key === "$ref" && typeof value === "string") {
      out[key] = value.startsWith(SCHEMA_PREFIX) ? `${SPEC_ID}${value}` : value;
    } else if (key === "properties" && isJson(value)) {
      const properties: Json = {};
      for (const [name, property] of Object.entries(value)) {
        if (!(isJson(property) && property["writeOnly"] === true)) properties[name] = convert(property as Schema);
      }
      out[key] = properties;
    } else if ((key === "allOf" || key === "oneOf" || key === "anyOf") && Array.isArray(value)) {
      out[key] = value.map((member) => convert(member as Schema));
    } else if ((key === "items" || key === "not" || key === "additionalProperties") && isJson(value)) {
      out[key] = convert(value as Schema);
    } else {
      out[key] = value;
    }
  }
  const writeOnly = Object.entries(source["properties"] ?? {}).filter(([, p]) => isJson(p) && p["writeOnly"] === true).map(([n]) => n);
  if (Array.isArray(out["required"]) && writeOnly.length > 0) out["required"] = (out["required"] as string[]).filter((n) => !writeOnly.includes(n));
  if (schema.nullable === true && typeof schema.type === "string") {
    out["type"] = [schema.type, "null"];
    if (Array.isArray(schema.enum)) out["enum"] = [...schema.enum, null];
  }
  const range = INT_RANGES[schema.format ?? ""];
  if (range !== undefined) {
    out["minimum"] = Math.max(schema.minimum ?? range[0], range[0]);
    out["maximum"] = Math.min(schema.maximum ?? range[1], range[1]);
  }
  if (schema.format === "byte") out["pattern"] = "^[\\w\\d+\\/=]*$";
  return out;
}

function isJson(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
