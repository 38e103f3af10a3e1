import type { AbortSignalLike } from "@azure/abort-controller";
import type { PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { createHttpHeaders, createPipelineRequest } from "./pipelineRequest.js";
import { bufferStreamedBody } from "./bufferedBody.js";
import { delay } from "./delay.js";
import { discardBody } from "./discardBody.js";
import { DigitalOceanError, ResponseParseError } from "./errors.js";
import { parseEventStream, type ServerSentEvent } from "./events.js";
import type { OperationServer, OperationSpec, OperationTable } from "./operationSpec.js";
import { APIPromise, type WithResponse } from "./apiPromise.js";
import { PagedResult, resolvePageLink } from "./paging.js";
import { markBackground } from "./priority.js";
import { createRecoverably, recoverableSettings, type RecoverableCreateOptions } from "./recoverable.js";
import { setRequestSettings } from "./requestSettings.js";
import { checkHeaders, checkHeaderValue, checkRetryOptions, type OperationOptions } from "./requestOptions.js";

/** What an operation needs from its client: a way to send, and where each kind of operation goes. */
export interface OperationHost {
  sendRequest(request: PipelineRequest): Promise<PipelineResponse>;
  /** The base URL (no trailing slash) that an operation's path is appended to. */
  baseUrlFor(server: OperationServer | undefined, operationId: string): string;
  /** The client's `recoverableCreates` option: the default of creates that can recover. */
  readonly recoverableCreates?: boolean | RecoverableCreateOptions | undefined;
  /** Deletes a tag by name (`tags.delete`), for recoverable creates that remove their marker. */
  deleteTag?(name: string, options: OperationOptions): Promise<unknown>;
  /** Waits between a recoverable create's lookups: ends early when `signal` fires or the client closes. */
  sleep?(ms: number, signal: AbortSignalLike | undefined): Promise<void>;
}

/** Where each argument of a generated method sits: path values, then body, then params, then options. */
interface ArgumentLayout {
  readonly bodyIndex: number;
  readonly paramsIndex: number;
  readonly optionsIndex: number;
}

function layoutOf(spec: OperationSpec): ArgumentLayout {
  let next = spec.pathParams?.length ?? 0;
  const bodyIndex = spec.body ? next++ : -1;
  const paramsIndex = spec.query || spec.headers ? next++ : -1;
  return { bodyIndex, paramsIndex, optionsIndex: next };
}

/**
 * Builds an operation group's methods from its table. Called once per group, on the group's first
 * access, so constructing a client builds no methods at all.
 */
export function createOperationGroup(host: OperationHost, table: OperationTable): Record<string, (...args: unknown[]) => unknown> {
  const group: Record<string, (...args: unknown[]) => unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    const layout = layoutOf(spec);
    group[name] = spec.paged
      ? (...args: unknown[]) => pagedOperation(host, spec, layout, args)
      : spec.recover
        ? (...args: unknown[]) => maybeRecoverable(host, table, group, spec, layout, args)
        : (...args: unknown[]) => runOperation(host, spec, layout, args);
  }
  return group;
}

/** A create that takes tags: recoverable when the call or the client asks (see `./recoverable.ts`). */
function maybeRecoverable(
  host: OperationHost,
  table: OperationTable,
  group: Record<string, (...args: unknown[]) => unknown>,
  spec: OperationSpec,
  layout: ArgumentLayout,
  args: unknown[],
): Promise<unknown> {
  const recover = spec.recover!;
  let settings: ReturnType<typeof recoverableSettings>;
  try {
    checkArguments(spec, layout, args);
    const options = args[layout.optionsIndex] as OperationOptions | undefined;
    settings = recoverableSettings(spec.id, options?.recoverable, host.recoverableCreates);
  } catch (error) {
    const rejected = Promise.reject(error);
    return new APIPromise({ send: () => rejected, read: () => rejected });
  }
  if (settings === undefined) return runOperation(host, spec, layout, args);
  // The result is still an APIPromise: its response is the one the result was read from (the
  // create's answer, or the page of the lookup that found the resource).
  let last: PipelineResponse | undefined;
  const seen = <T>(step: WithResponse<T>): T => {
    last = step.response;
    return step.data;
  };
  const pathArgs = args.slice(0, spec.pathParams?.length ?? 0);
  const listSpec = table[recover.list]!;
  const perPage = listSpec.query?.includes("per_page") ? { per_page: 200 } : {};
  const recovered = createRecoverably(
    {
      operationId: spec.id,
      recover,
      body: args[layout.bodyIndex],
      options: args[layout.optionsIndex] as OperationOptions | undefined,
      create: (body, options) => {
        const callArgs = [...pathArgs, body];
        if (layout.paramsIndex >= 0) callArgs.push(args[layout.paramsIndex]);
        callArgs.push(options);
        return runOperation(host, spec, layout, callArgs).withResponse().then(seen);
      },
      list: async (params, options) => {
        const listArgs: unknown[] = [...pathArgs];
        if (listSpec.query || listSpec.headers) listArgs.push({ ...perPage, ...params });
        listArgs.push(options);
        // The pages go back unread: whether each is the list asked for is the lookup's to judge.
        const result = group[recover.list]!(...listArgs) as APIPromise<unknown>;
        if (!(result instanceof PagedResult)) return [seen(await result.withResponse())];
        const pages: unknown[] = [];
        for await (const page of (result as PagedResult<unknown, unknown>).byPage().withResponse()) pages.push(seen(page));
        return pages;
      },
      sleep: host.sleep ?? delay,
      deleteTag: (name, options) => {
        if (host.deleteTag === undefined) return Promise.reject(new TypeError(`${spec.id}: this client cannot delete tags`));
        return host.deleteTag(name, options);
      },
    },
    settings,
  );
  const sent = recovered.then(() => last as PipelineResponse);
  return new APIPromise({ send: () => sent, read: () => recovered });
}

function pagedOperation(host: OperationHost, spec: OperationSpec, layout: ArgumentLayout, args: unknown[]): PagedResult<unknown, unknown> {
  // Checked when the result is consumed, so bad arguments reject like every other call's.
  let checked = false;
  let defaultUrl: string | undefined;
  let pages = 0;
  const options = args[layout.optionsIndex] as OperationOptions | undefined;
  const check = (): void => {
    if (!checked) checkArguments(spec, layout, args);
    checked = true;
  };
  const firstUrl = (maxPageSize: number | undefined): string => {
    check();
    if (maxPageSize === undefined) return (defaultUrl ??= buildUrl(host, spec, args, layout));
    return buildUrl(host, spec, withPageSize(spec, layout, args, maxPageSize), layout);
  };
  return new PagedResult({
    itemsKey: spec.paged as string,
    firstUrl,
    resolve: (link, from) => resolvePageLink(link, from, firstUrl(undefined), new URL(host.baseUrlFor(spec.server, spec.id)).pathname.replace(/\/$/, "")),
    // A walk resumed from a token never builds the first URL: the options and header parameters are checked here too.
    // Pages after the first are background work: they queue behind interactive calls for rate-limit slots.
    send: (url) => (check(), send(host, spec, url, buildHeaders(spec, args[layout.paramsIndex]), undefined, pages++ === 0 ? options : { ...options, priority: "background" }, acceptFor(spec, undefined))),
    read: (response) => readResult(spec, response),
  });
}

/** The call's arguments with `per_page` set from `byPage({ maxPageSize })`. */
function withPageSize(spec: OperationSpec, layout: ArgumentLayout, args: unknown[], maxPageSize: number): unknown[] {
  if (!spec.query?.includes("per_page")) throw new TypeError(`${spec.id}: maxPageSize needs a "per_page" parameter, which this operation does not take`);
  const params = (args[layout.paramsIndex] ?? {}) as Record<string, unknown>;
  if (params.per_page !== undefined && params.per_page !== null && params.per_page !== maxPageSize) {
    throw new TypeError(`${spec.id}: maxPageSize (${maxPageSize}) and the parameter per_page (${String(params.per_page)}) disagree`);
  }
  const copy = [...args];
  copy[layout.paramsIndex] = { ...params, per_page: maxPageSize };
  return copy;
}

/** Validates and encodes one call and sends it at once; the result is read when asked for. */
function runOperation(host: OperationHost, spec: OperationSpec, layout: ArgumentLayout, args: unknown[]): APIPromise<unknown> {
  let sent: Promise<PipelineResponse>;
  try {
    checkArguments(spec, layout, args);
    const url = buildUrl(host, spec, args, layout);
    const headers = buildHeaders(spec, args[layout.paramsIndex]);
    const rawBody = spec.body ? args[layout.bodyIndex] : undefined;
    const body = spec.body ? encodeBody(spec, rawBody) : undefined;
    sent = send(host, spec, url, headers, body, args[layout.optionsIndex] as OperationOptions | undefined, acceptFor(spec, rawBody));
  } catch (error) {
    sent = Promise.reject(error);
  }
  return new APIPromise({ send: () => sent, read: (response) => readResult(spec, response) });
}

/**
 * Per-call options, each with its check. Unknown names are errors: from JavaScript, a body passed
 * to an operation that takes none would otherwise land in the options slot and be ignored.
 * A new option is one more row here (and a field of `OperationOptions`).
 */
const OPTION_CHECKS: Readonly<Record<keyof OperationOptions, (spec: OperationSpec, value: unknown) => void>> = {
  abortSignal(spec, value) {
    if (typeof (value as { addEventListener?: unknown }).addEventListener !== "function") throw new TypeError(`${spec.id}: abortSignal must be an AbortSignal`);
  },
  timeoutInMs(spec, value) {
    callTimeout(spec, value as number);
  },
  headers(spec, value) {
    checkHeaders(value, `${spec.id}: headers`);
  },
  priority(spec, value) {
    if (value !== "interactive" && value !== "background") throw new TypeError(`${spec.id}: priority must be "interactive" or "background" (got ${JSON.stringify(value)})`);
  },
  // Checked before sending: a bad callback found after a POST succeeded would fail a call that took effect.
  onResponse(spec, value) {
    if (typeof value !== "function") throw new TypeError(`${spec.id}: onResponse must be a function`);
  },
  retryOptions(spec, value) {
    checkRetryOptions(value, `${spec.id}: retryOptions`);
  },
  recoverable(spec, value) {
    if (value !== false && !spec.recover) {
      throw new TypeError(`${spec.id}: "recoverable" applies only to creates that take tags (see the README's "Exactly-once creates")`);
    }
    if (typeof value !== "boolean" && (typeof value !== "object" || value === null)) {
      throw new TypeError(`${spec.id}: recoverable must be true, false or an object of settings`);
    }
  },
};
const OPTION_NAMES = Object.keys(OPTION_CHECKS);

/** Arguments past the options, and unknown or malformed options, are errors. */
function checkArguments(spec: OperationSpec, layout: ArgumentLayout, args: unknown[]): void {
  if (args.length > layout.optionsIndex + 1) {
    throw new TypeError(`${spec.id}: takes at most ${layout.optionsIndex + 1} arguments (got ${args.length})`);
  }
  const options = args[layout.optionsIndex];
  if (options === undefined || options === null) return;
  if (typeof options !== "object") throw new TypeError(`${spec.id}: options must be an object (got ${describeType(options)})`);
  for (const [key, value] of Object.entries(options)) {
    const check = Object.hasOwn(OPTION_CHECKS, key) ? OPTION_CHECKS[key as keyof OperationOptions] : undefined;
    if (check === undefined) throw new TypeError(`${spec.id}: unknown option "${key}" (expected one of: ${OPTION_NAMES.join(", ")})`);
    if (value !== undefined) check(spec, value);
  }
}

function buildUrl(host: OperationHost, spec: OperationSpec, args: unknown[], layout: ArgumentLayout): string {
  const names = spec.pathParams ?? [];
  if (spec.server === "absolute") return absoluteUrl(spec, names[0] as string, args[0]) + buildQuery(spec, args[layout.paramsIndex]);
  let path = spec.path;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    path = path.replace(`{${name}}`, encodePathValue(spec, name, args[i]));
  }
  return host.baseUrlFor(spec.server, spec.id) + path + buildQuery(spec, args[layout.paramsIndex]);
}

function encodePathValue(spec: OperationSpec, name: string, value: unknown): string {
  if (value === undefined || value === null || value === "") {
    throw new TypeError(`${spec.id}: path parameter "${name}" is required (got ${value === "" ? "an empty string" : String(value)})`);
  }
  if (typeof value === "number" ? !Number.isFinite(value) : typeof value !== "string") {
    throw new TypeError(`${spec.id}: path parameter "${name}" must be a string or a finite number (got ${describeType(value)})`);
  }
  const text = String(value);
  // "." and ".." would be resolved away by URL normalization and silently address another resource.
  if (text === "." || text === "..") throw new TypeError(`${spec.id}: path parameter "${name}" may not be "${text}"`);
  return encodeComponent(spec, `path parameter "${name}"`, text);
}

/** encodeURIComponent, with its URIError for a lone surrogate turned into a TypeError that names the parameter. */
function encodeComponent(spec: OperationSpec, what: string, text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    throw new TypeError(`${spec.id}: ${what} is not well-formed Unicode (it contains a lone surrogate)`);
  }
}

function absoluteUrl(spec: OperationSpec, name: string, value: unknown): string {
  if (typeof value !== "string" || value === "") throw new TypeError(`${spec.id}: "${name}" must be the URL to send to`);
  try {
    return new URL(value).href;
  } catch {
    throw new TypeError(`${spec.id}: "${name}" is not a valid absolute URL`);
  }
}

function buildQuery(spec: OperationSpec, params: unknown): string {
  const values = checkParams(spec, params);
  if (!values || !spec.query) return "";
  let query = "";
  for (const name of spec.query) {
    const value = values[name];
    if (value === undefined || value === null) continue;
    const key = encodeURIComponent(name);
    if (!Array.isArray(value)) {
      query += `${query === "" ? "?" : "&"}${key}=${encodeComponent(spec, `parameter "${name}"`, queryValue(spec, name, value))}`;
      continue;
    }
    for (const item of value) query += `${query === "" ? "?" : "&"}${key}=${encodeComponent(spec, `parameter "${name}"`, queryValue(spec, name, item))}`;
  }
  return query;
}

function queryValue(spec: OperationSpec, name: string, value: unknown): string {
  if (typeof value === "string" || typeof value === "boolean") return String(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw new TypeError(`${spec.id}: parameter "${name}" must be a string, number or boolean (got ${describeType(value)})`);
}

/** Rejects unknown and missing parameters: an unknown key would otherwise be dropped without a word. */
function checkParams(spec: OperationSpec, params: unknown): Record<string, unknown> | undefined {
  if (params === undefined || params === null) {
    const missing = spec.requiredParams?.[0];
    if (missing !== undefined) throw new TypeError(`${spec.id}: parameter "${missing}" is required`);
    return undefined;
  }
  if (typeof params !== "object" || Array.isArray(params)) {
    throw new TypeError(`${spec.id}: parameters must be an object (got ${describeType(params)})`);
  }
  const values = params as Record<string, unknown>;
  for (const key of Object.keys(values)) {
    if (!spec.query?.includes(key) && !spec.headers?.includes(key)) {
      const known = [...(spec.query ?? []), ...(spec.headers ?? [])];
      throw new TypeError(`${spec.id}: unknown parameter "${key}" (expected one of: ${known.join(", ")})`);
    }
  }
  for (const name of spec.requiredParams ?? []) {
    if (values[name] === undefined || values[name] === null) throw new TypeError(`${spec.id}: parameter "${name}" is required`);
  }
  return values;
}

function buildHeaders(spec: OperationSpec, params: unknown): Record<string, string> | undefined {
  if (!spec.headers || params === undefined || params === null) return undefined;
  let headers: Record<string, string> | undefined;
  for (const name of spec.headers) {
    const value = (params as Record<string, unknown>)[name];
    if (value === undefined || value === null) continue;
    headers ??= {};
    headers[name] = queryValue(spec, name, value);
    checkHeaderValue(headers[name], `${spec.id}: parameter "${name}"`);
  }
  return headers;
}

interface EncodedBody {
  content: string | Uint8Array;
  contentType: string;
}

function encodeBody(spec: OperationSpec, body: unknown): EncodedBody | undefined {
  if (body === undefined) {
    if (spec.bodyRequired) throw new TypeError(`${spec.id}: a request body is required`);
    return undefined;
  }
  if (spec.body === "binary") {
    if (typeof body !== "string" && !(body instanceof Uint8Array)) {
      throw new TypeError(`${spec.id}: the request body must be a Uint8Array or string (got ${describeType(body)})`);
    }
    return { content: body, contentType: "application/octet-stream" };
  }
  return { content: JSON.stringify(body), contentType: "application/json" };
}

/** A per-call timeout overrides the client's; 0 means "not set" to the pipeline, so it must be positive. */
function callTimeout(spec: OperationSpec, timeoutInMs: number | undefined): number {
  if (timeoutInMs === undefined) return 0;
  if (!Number.isFinite(timeoutInMs) || timeoutInMs <= 0) {
    throw new TypeError(`${spec.id}: timeoutInMs must be a positive number of milliseconds (got ${timeoutInMs})`);
  }
  return timeoutInMs;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return String(value);
  return typeof value;
}

const acceptByKind = {
  json: "application/json",
  none: "application/json",
  text: "text/csv, application/yaml, text/plain",
  binary: "application/pdf, application/octet-stream",
  events: "text/event-stream",
} as const;

/** Streaming operations answer an event stream only when the body asks for one (`stream: true`). */
function acceptFor(spec: OperationSpec, body: unknown): string {
  if (spec.response !== "events") return acceptByKind[spec.response];
  return (body as { stream?: unknown } | undefined)?.stream === true ? acceptByKind.events : acceptByKind.json;
}

/** Binary and event-stream answers are read as streams; 2xx only, so error bodies stay readable as text. */
const successStatuses: Set<number> = new Set(Array.from({ length: 100 }, (_, i) => 200 + i));

async function send(
  host: OperationHost,
  spec: OperationSpec,
  url: string,
  paramHeaders: Record<string, string> | undefined,
  body: EncodedBody | undefined,
  options: OperationOptions | undefined,
  accept: string,
): Promise<PipelineResponse> {
  const request = createPipelineRequest({
    url,
    method: spec.method,
    headers: createHttpHeaders({ accept, ...paramHeaders, ...options?.headers }),
    abortSignal: options?.abortSignal,
    timeout: callTimeout(spec, options?.timeoutInMs),
  });
  if (body) {
    request.body = body.content;
    if (!request.headers.has("content-type")) request.headers.set("content-type", body.contentType);
  }
  if (spec.response === "binary" || spec.response === "events") request.streamResponseStatusCodes = successStatuses;
  if (options?.priority === "background") markBackground(request);
  if (options?.retryOptions !== undefined) setRequestSettings(request, { retryOptions: options.retryOptions });
  // A download is read inside the retry loop, so a body cut mid-way is retried; events stream on.
  if (spec.response === "binary") bufferStreamedBody(request);
  const response = await host.sendRequest(request);
  if (response.status < 200 || response.status >= 300) {
    discardBody(response);
    throw DigitalOceanError.fromResponse(response);
  }
  try {
    options?.onResponse?.(response);
  } catch (error) {
    // Nobody will read a streamed body now: release its socket and timer.
    discardBody(response);
    throw error;
  }
  return response;
}

async function readResult(spec: OperationSpec, response: PipelineResponse): Promise<unknown> {
  switch (spec.response) {
    case "none":
      discardBody(response);
      return undefined;
    case "text":
      return response.bodyAsText ?? "";
    case "binary":
      return readBytes(response);
    case "events": {
      if ((response.headers.get("content-type") ?? "").includes("text/event-stream")) {
        return parseEventStream(response.readableStreamBody as AsyncIterable<Uint8Array>);
      }
      const json = parseJson(response, new TextDecoder().decode(await readBytes(response)));
      // A server may answer a streaming request in one piece; the caller still gets the stream it asked for.
      return response.request.headers.get("accept") === acceptByKind.events ? singleEvent(json) : json;
    }
    case "json":
      return parseJson(response, response.bodyAsText);
  }
}

async function* singleEvent(data: unknown): AsyncGenerator<ServerSentEvent> {
  yield { data };
}

function parseJson(response: PipelineResponse, text: string | null | undefined): unknown {
  if (response.status === 204) return undefined;
  if (text === undefined || text === null || text.trim() === "") {
    throw new ResponseParseError(`${response.status} response to ${response.request.method} has an empty body where JSON was expected`, response, "");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ResponseParseError(
      // V8's message quotes the body around the fault (`..."password":"…"...`): the reason only.
      `${response.status} response to ${response.request.method} is not valid JSON: ${(error as Error).message.replace(/, (?:\.\.\.)?".*$/s, "")}`,
      response,
      // Values become "…" in the excerpt: a longer start shows more of the body's shape in its 200 characters.
      text.slice(0, 1000),
    );
  }
}

async function readBytes(response: PipelineResponse): Promise<Uint8Array> {
  const stream = response.readableStreamBody as AsyncIterable<Uint8Array> | undefined;
  if (!stream) return new TextEncoder().encode(response.bodyAsText ?? "");
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}
