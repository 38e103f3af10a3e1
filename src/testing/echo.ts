/**
 * A canned resource with what the request said copied in, as the API answers a create: each
 * top-level field of `request` that the canned object also has, with a value of the same JSON
 * kind, replaces it (a created cluster carries the requested name, not the example's).
 */
export function echoRequest<T>(canned: T, request: unknown): T {
  if (!isRecord(canned) || !isRecord(request)) return canned;
  const echoed: Record<string, unknown> = { ...canned };
  for (const [key, value] of Object.entries(request)) {
    if (key in canned && kindOf(canned[key]) === kindOf(value)) echoed[key] = value;
  }
  return echoed as T;
}

/** An update as the API applies one: each of `fields` that the request gives replaces the record's, in place. */
export function updateFields<T extends Record<string, unknown>>(record: T, request: unknown, fields: readonly string[]): T {
  if (!isRecord(request)) return record;
  for (const field of fields) if (request[field] !== undefined) (record as Record<string, unknown>)[field] = request[field];
  return record;
}

function kindOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
