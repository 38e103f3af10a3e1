import { inspect } from "node:util";

/**
 * Every string reachable from `root` through own properties (enumerable or not, string- or
 * symbol-keyed, read from descriptors so no getter runs), Map and Set entries and Buffers: what an
 * error reporter or a logger that walks objects could print.
 */
export function reachableStrings(root: unknown, limit = 200_000): string[] {
  const seen = new Set<unknown>();
  const strings: string[] = [];
  const queue: unknown[] = [root];
  while (queue.length > 0 && seen.size < limit) {
    const value = queue.pop();
    if (typeof value === "string") {
      strings.push(value);
      continue;
    }
    if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
      strings.push(Buffer.from(value).toString("latin1"));
      continue;
    }
    if (value instanceof Map) for (const [key, entry] of value) queue.push(key, entry);
    if (value instanceof Set) for (const entry of value) queue.push(entry);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && "value" in descriptor) queue.push(descriptor.value);
    }
  }
  return strings;
}

/** The ways a caller, a logger or an error reporter gets at an error's contents. */
export function errorRenderings(error: Error): Record<string, string> {
  const { request, response } = error as { request?: { headers?: { get(name: string): string | undefined } }; response?: { request?: { headers?: { get(name: string): string | undefined } } } };
  const cause = (error as { cause?: { request?: { headers?: { get(name: string): string | undefined } } } }).cause;
  return {
    message: error.message,
    stack: error.stack ?? "",
    string: String(error),
    "err.request.headers.get": String(request?.headers?.get("authorization") ?? ""),
    "err.response.request.headers.get": String(response?.request?.headers?.get("authorization") ?? ""),
    "err.cause.request.headers.get": String(cause?.request?.headers?.get?.("authorization") ?? ""),
    "JSON.stringify(err)": JSON.stringify(error) ?? "",
    "JSON.stringify(err.request)": JSON.stringify(request) ?? "",
    "JSON.stringify(err.response)": JSON.stringify(response) ?? "",
    "JSON.stringify(err.cause)": JSON.stringify(cause) ?? "",
    inspect: inspect(error),
    "inspect(showHidden)": inspect(error, { showHidden: true, depth: Infinity, getters: false }),
    "inspect(err.request, showHidden)": inspect(request, { showHidden: true, depth: Infinity }),
    "getOwnPropertyNames walk": reachableStrings(error).join("\n"),
  };
}

/** Fails, naming the rendering, if any of `secrets` appears in any rendering of `error`. */
export function assertSecretFree(error: Error, secrets: readonly string[]): void {
  for (const [form, text] of Object.entries(errorRenderings(error))) {
    for (const secret of secrets) {
      if (text.includes(secret)) throw new Error(`a secret appears in ${error.name}'s ${form}:\n${text.slice(Math.max(0, text.indexOf(secret) - 300), text.indexOf(secret) + 100)}`);
    }
  }
}
