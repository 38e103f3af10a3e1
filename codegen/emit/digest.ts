/**
 * `spec/digest.json`: the spec's structure without its prose, committed so that every
 * spec-dependent test (the generator on the real spec, the fake's fallback answers and Prism
 * fidelity, the Prism conformance suite) runs on a bare clone. DigitalOcean's spec lives outside
 * the repository; its descriptions and code samples are most of its size and none of them is
 * read by a test, so they stay out.
 *
 * Kept: paths, operations (operationId, summary, tags, servers, parameters, request bodies,
 * responses), component schemas, parameters, responses, headers, examples, security. Dropped:
 * every `description`, `externalDocs`, `x-*` extension (code samples, display names), the tag
 * list and `info` beyond title, version and license. Values that are data (`example`, `default`,
 * `enum`, an example's `value`) are copied untouched, even where they hold a `description` field.
 */

/** Where the digest is written, relative to the repository root. */
export const DIGEST_FILE = "spec/digest.json";

/** Keys whose value is data, not an OpenAPI object: copied as they are. */
const DATA_KEYS = new Set(["example", "default", "enum", "const", "value"]);

/** Keys whose value maps names (properties, paths, status codes, …) to OpenAPI objects. */
const MAP_KEYS = new Set([
  "paths",
  "properties",
  "patternProperties",
  "schemas",
  "parameters",
  "responses",
  "requestBodies",
  "headers",
  "content",
  "examples",
  "securitySchemes",
  "links",
  "callbacks",
  "encoding",
  "variables",
  "mapping",
]);

/** Prose and presentation only: no consumer of the digest reads them. */
function isProse(key: string): boolean {
  return key === "description" || key === "externalDocs" || key.startsWith("x-");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An OpenAPI object without its prose; arrays are walked item by item. */
function stripNode(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripNode);
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (isProse(key)) continue;
    if (DATA_KEYS.has(key) || (key === "examples" && Array.isArray(value))) out[key] = value;
    else if (MAP_KEYS.has(key) && isObject(value)) out[key] = stripMap(value);
    else out[key] = stripNode(value);
  }
  return out;
}

/**
 * A name → object map: names are never read as keywords (a property may be called `example` or
 * `description`, a header `x-request-id`).
 */
function stripMap(map: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(map).map(([name, value]) => [name, stripNode(value)]));
}

/** The digest of a parsed OpenAPI document, as one line of JSON (deterministic: spec order). */
export function specDigest(doc: object): string {
  const { openapi, info, servers, security, paths, components } = doc as Record<string, unknown>;
  const { title, version, license } = isObject(info) ? info : {};
  const digest = {
    openapi,
    info: { title, version, ...(license !== undefined && { license }) },
    servers: stripNode(servers),
    security,
    paths: isObject(paths) ? stripMap(paths) : {},
    // Each kind of component (schemas, parameters, …) is itself a name → object map.
    components: Object.fromEntries(Object.entries(isObject(components) ? components : {}).map(([kind, map]) => [kind, isObject(map) ? stripMap(map) : map])),
  };
  return `${JSON.stringify(digest)}\n`;
}

export function emitDigest(doc: object): Map<string, string> {
  return new Map([[DIGEST_FILE, specDigest(doc)]]);
}
