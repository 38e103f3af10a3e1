/**
 * A small validator of JSON values against the spec's OpenAPI 3.0 schemas, for the generator to
 * decide whether one of the spec's examples (or a value it built) may be used as is.
 *
 * It follows what the Prism proxy checks answers with (ajv over the schema converted to JSON
 * Schema draft 7, with ajv-formats): `nullable: true` admits `null` only beside a `type` (Prism
 * drops it elsewhere), `oneOf` needs exactly one match, `additionalProperties` sees only the
 * schema's own `properties`, and formats are checked like ajv-formats' "full" mode. Where this
 * check and ajv could differ it errs on the strict side, so a value it accepts is accepted by
 * Prism too (`codegen/test/fallback.test.ts` holds the generated answers against ajv itself).
 * Unknown formats (`uint64`, `cidr`, …) and `discriminator` are not checked, as in ajv.
 */
import { isIPv6 } from "node:net";
import type { Schema, Spec } from "./spec.js";

/** The first problem found, as `<json pointer>: <message>`, or undefined when the value is valid. */
export function schemaProblem(spec: Spec, schema: Schema, value: unknown): string | undefined {
  return check(spec, schema, value, "");
}

export function isValid(spec: Spec, schema: Schema, value: unknown): boolean {
  return check(spec, schema, value, "") === undefined;
}

function check(spec: Spec, schema: Schema, value: unknown, at: string): string | undefined {
  const target = spec.deref(schema);
  const fail = (message: string): string => `${at === "" ? "/" : at}: ${message}`;

  if (value === null && target.nullable === true && typeof target.type === "string") return undefined;
  if (target.type !== undefined && !hasType(value, target.type)) return fail(`not of type ${target.type}`);
  if (target.enum !== undefined && !target.enum.some((allowed) => deepEqual(allowed, value))) return fail("not one of the enum values");

  for (const member of target.allOf ?? []) {
    const problem = check(spec, member, value, at);
    if (problem !== undefined) return problem;
  }
  if (target.anyOf !== undefined && !target.anyOf.some((member) => check(spec, member, value, at) === undefined)) {
    return fail("matches none of anyOf");
  }
  if (target.oneOf !== undefined) {
    const matches = target.oneOf.filter((member) => check(spec, member, value, at) === undefined).length;
    if (matches !== 1) return fail(`matches ${matches} of oneOf, not exactly one`);
  }
  if (target.not !== undefined && check(spec, target.not, value, at) === undefined) return fail("matches a `not` schema");

  if (typeof value === "string") return checkString(target, value, fail);
  if (typeof value === "number") return checkNumber(target, value, fail);
  if (Array.isArray(value)) return checkArray(spec, target, value, at, fail);
  if (isRecord(value)) return checkObject(spec, target, value, at, fail);
  return undefined;
}

function hasType(value: unknown, type: NonNullable<Schema["type"]>): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return isRecord(value);
  }
}

function checkString(target: Schema, value: string, fail: (message: string) => string): string | undefined {
  const length = [...value].length; // ajv counts code points
  if (target.minLength !== undefined && length < target.minLength) return fail(`shorter than ${target.minLength}`);
  if (target.maxLength !== undefined && length > target.maxLength) return fail(`longer than ${target.maxLength}`);
  if (target.pattern !== undefined && !patternOf(target.pattern).test(value)) return fail(`does not match ${target.pattern}`);
  const format = target.format === undefined ? undefined : STRING_FORMATS[target.format];
  if (format !== undefined && !format(value)) return fail(`not a valid ${target.format}`);
  // OpenAPI's `byte` (base64): Prism adds this pattern on top of ajv-formats' check.
  if (target.format === "byte" && !/^[\w\d+/=]*$/u.test(value)) return fail("not base64");
  return undefined;
}

function checkNumber(target: Schema, value: number, fail: (message: string) => string): string | undefined {
  const [low, high] = NUMBER_RANGES[target.format ?? ""] ?? [-Infinity, Infinity];
  if (value < low || value > high) return fail(`outside the ${target.format} range`);
  if ((target.format === "int32" || target.format === "int64") && !Number.isInteger(value)) return fail(`not an ${target.format}`);
  if (target.minimum !== undefined) {
    if (target.exclusiveMinimum === true ? value <= target.minimum : value < target.minimum) return fail(`below the minimum ${target.minimum}`);
  }
  if (target.maximum !== undefined) {
    if (target.exclusiveMaximum === true ? value >= target.maximum : value > target.maximum) return fail(`above the maximum ${target.maximum}`);
  }
  if (typeof target.exclusiveMinimum === "number" && value <= target.exclusiveMinimum) return fail("not above the exclusive minimum");
  if (typeof target.exclusiveMaximum === "number" && value >= target.exclusiveMaximum) return fail("not below the exclusive maximum");
  if (target.multipleOf !== undefined && !Number.isInteger(value / target.multipleOf)) return fail(`not a multiple of ${target.multipleOf}`);
  return undefined;
}

function checkArray(spec: Spec, target: Schema, value: unknown[], at: string, fail: (message: string) => string): string | undefined {
  if (target.minItems !== undefined && value.length < target.minItems) return fail(`fewer than ${target.minItems} items`);
  if (target.maxItems !== undefined && value.length > target.maxItems) return fail(`more than ${target.maxItems} items`);
  if (target.uniqueItems === true && value.some((item, index) => value.findIndex((other) => deepEqual(item, other)) !== index)) {
    return fail("items are not unique");
  }
  if (target.items === undefined) return undefined;
  for (const [index, item] of value.entries()) {
    const problem = check(spec, target.items, item, `${at}/${index}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function checkObject(
  spec: Spec,
  target: Schema,
  value: Record<string, unknown>,
  at: string,
  fail: (message: string) => string,
): string | undefined {
  for (const name of target.required ?? []) {
    if (!(name in value)) return fail(`misses the required property ${name}`);
  }
  const count = Object.keys(value).length;
  if (target.minProperties !== undefined && count < target.minProperties) return fail(`fewer than ${target.minProperties} properties`);
  if (target.maxProperties !== undefined && count > target.maxProperties) return fail(`more than ${target.maxProperties} properties`);
  const properties = target.properties ?? {};
  for (const [name, item] of Object.entries(value)) {
    const path = `${at}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    const declared = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (declared !== undefined) {
      const problem = check(spec, declared, item, path);
      if (problem !== undefined) return problem;
    } else if (target.additionalProperties === false) {
      return fail(`has the additional property ${name}`);
    } else if (typeof target.additionalProperties === "object") {
      const problem = check(spec, target.additionalProperties, item, path);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

const patterns = new Map<string, RegExp>();

/**
 * A `pattern` as a RegExp. Like ajv, with the `u` flag; patterns that are not valid unicode
 * regexps (`\:` is an error under `u`) are read without it.
 */
function patternOf(source: string): RegExp {
  let pattern = patterns.get(source);
  if (pattern === undefined) {
    try {
      pattern = new RegExp(source, "u");
    } catch {
      pattern = new RegExp(source);
    }
    patterns.set(source, pattern);
  }
  return pattern;
}

const INT32: [number, number] = [-(2 ** 31), 2 ** 31 - 1];
/** Prism turns these formats into `minimum`/`maximum` before validating. */
const NUMBER_RANGES: Record<string, [number, number]> = {
  int32: INT32,
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

const DATE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : DAYS[month]!);
}

/** RFC 3339 date-time with a time zone; stricter than Prism's check (which also takes a space as separator). */
function isDateTime(text: string): boolean {
  const match = /^(\d\d\d\d-\d\d-\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-](\d\d):(\d\d))$/.exec(text);
  if (match === null || !isDate(match[1]!)) return false;
  const [hour, minute, second] = [Number(match[2]), Number(match[3]), Number(match[4])];
  const zone = match[7] === undefined ? true : Number(match[7]) <= 23 && Number(match[8]) <= 59;
  return hour <= 23 && minute <= 59 && second <= 59 && zone;
}

// The next regexps are ajv-formats' "full" formats (MIT, https://github.com/ajv-validator/ajv-formats).
const URI =
  /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;
const URL_FORMAT =
  /^(?:https?|ftp):\/\/(?:\S+(?::\S*)?@)?(?:(?!(?:10|127)(?:\.\d{1,3}){3})(?!(?:169\.254|192\.168)(?:\.\d{1,3}){2})(?!172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))|(?:(?:[a-z0-9\u{00a1}-\u{ffff}]+-)*[a-z0-9\u{00a1}-\u{ffff}]+)(?:\.(?:[a-z0-9\u{00a1}-\u{ffff}]+-)*[a-z0-9\u{00a1}-\u{ffff}]+)*(?:\.(?:[a-z\u{00a1}-\u{ffff}]{2,})))(?::\d{2,5})?(?:\/[^\s]*)?$/iu;
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
const HOSTNAME = /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$/i;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const BYTE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const STRING_FORMATS: Record<string, (text: string) => boolean> = {
  date: isDate,
  "date-time": isDateTime,
  uri: (text) => /\/|:/.test(text) && URI.test(text),
  url: (text) => URL_FORMAT.test(text),
  email: (text) => EMAIL.test(text),
  hostname: (text) => HOSTNAME.test(text),
  ipv4: (text) => IPV4.test(text),
  // Node's check plus ajv's alphabet (no zone ids).
  ipv6: (text) => isIPv6(text) && /^[0-9a-f:.]+$/i.test(text),
  uuid: (text) => UUID.test(text),
  byte: (text) => BYTE.test(text),
};

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
