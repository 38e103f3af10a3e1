import { randomBytes } from "node:crypto";
import type { AbortSignalLike } from "@azure/abort-controller";
import { log } from "../pipeline/logger.js";
import { AbortError, ConnectionError, DigitalOceanError, ResponseParseError, TimeoutError } from "./errors.js";
import { neutralize } from "./redact.js";
import type { RecoverSpec } from "./operationSpec.js";
import type { OperationOptions } from "./requestOptions.js";

/**
 * Settings of recoverable creates: per call (`{ recoverable: { … } }`) or per client
 * (`recoverableCreates`). See the README section "Exactly-once creates".
 */
export interface RecoverableCreateOptions {
  /** How many times the create is sent at most, the first time included; default 3. */
  maxAttempts?: number | undefined;
  /** Lookups by marker after an ambiguous failure, before the create is sent again; default 3. */
  lookups?: number | undefined;
  /**
   * Spacing of the lookups in milliseconds: the first runs at once, the n-th after n × this
   * (a fresh resource can take a moment to be listed); default 2000.
   */
  lookupDelayInMs?: number | undefined;
  /**
   * Deletes the marker tag once the create succeeded (`DELETE /v2/tags/{marker}`, which detaches it
   * from droplets, images, volumes, volume snapshots and database clusters) and leaves it out of the
   * returned resource; default false.
   */
  removeMarker?: boolean | undefined;
  /**
   * The marker tag; default `tsdo-create-` and 20 random hex digits. Pass your own (and store it)
   * to find the resource again after your process itself died mid-create.
   */
  marker?: string | undefined;
}

/** What a recoverable create needs from the operation group it belongs to. */
export interface RecoverableCall {
  readonly operationId: string;
  readonly recover: RecoverSpec;
  readonly body: unknown;
  readonly options: OperationOptions | undefined;
  /** Sends the create with this body and these options. */
  create(body: Record<string, unknown>, options: OperationOptions | undefined): Promise<unknown>;
  /** The answer of every page the list operation returns for these query parameters, unread. */
  list(params: Record<string, unknown>, options: OperationOptions): Promise<unknown[]>;
  /** Deletes a tag (the marker) by name. */
  deleteTag(name: string, options: OperationOptions): Promise<unknown>;
  /** Waits between lookups (rejects when `signal` fires, or the client closes). */
  sleep(ms: number, signal: AbortSignalLike | undefined): Promise<void>;
}

interface Settings {
  readonly maxAttempts: number;
  readonly lookups: number;
  readonly lookupDelayInMs: number;
  readonly removeMarker: boolean;
  readonly marker: string;
}

type Resource = Record<string, unknown>;

/** DigitalOcean's tag names: letters, digits, `:`, `-`, `_`, up to 255 characters. */
const TAG_NAME = /^[A-Za-z0-9:_-]{1,255}$/;

/**
 * The settings a call runs with, or `undefined` when it is an ordinary create. The call's
 * `recoverable` wins over the client's `recoverableCreates`; objects are merged, call over client.
 */
export function recoverableSettings(
  operationId: string,
  call: boolean | RecoverableCreateOptions | undefined,
  client: boolean | RecoverableCreateOptions | undefined,
): Settings | undefined {
  const chosen = call ?? client;
  if (chosen === undefined || chosen === false) return undefined;
  const merged: RecoverableCreateOptions = {
    ...(typeof client === "object" ? client : {}),
    ...(typeof call === "object" ? call : {}),
  };
  const marker = merged.marker ?? `tsdo-create-${randomBytes(10).toString("hex")}`;
  if (!TAG_NAME.test(marker)) throw new TypeError(`${operationId}: recoverable.marker must be a tag name (letters, digits, ":", "-", "_"; got ${JSON.stringify(marker)})`);
  return {
    maxAttempts: count(operationId, "maxAttempts", merged.maxAttempts, 3, 1),
    lookups: count(operationId, "lookups", merged.lookups, 3, 1),
    lookupDelayInMs: count(operationId, "lookupDelayInMs", merged.lookupDelayInMs, 2000, 0),
    removeMarker: merged.removeMarker === true,
    marker,
  };
}

/**
 * A create that is sent with a marker tag and, after an ambiguous failure, looked up by that tag:
 * found, it is returned as if the create had answered; not found after every lookup, the create is
 * sent again with the same marker. A multi-create (`names`) sends again only the names not found.
 */
export async function createRecoverably(call: RecoverableCall, settings: Settings): Promise<unknown> {
  const { recover, operationId } = call;
  if (typeof call.body !== "object" || call.body === null || Array.isArray(call.body)) {
    throw new TypeError(`${operationId}: a recoverable create needs its request body (an object)`);
  }
  const body = call.body as Record<string, unknown>;
  const tags = body[recover.tags] ?? [];
  if (!Array.isArray(tags)) throw new TypeError(`${operationId}: "${recover.tags}" must be an array of tag names`);
  const marked = { ...body, [recover.tags]: [...tags, settings.marker] };
  const names = recover.names !== undefined && body[recover.names] !== undefined ? namesOf(call, body[recover.names]) : undefined;
  const result = names === undefined ? await createOne(call, settings, marked) : await createMany(call, settings, marked, names);
  if (settings.removeMarker) await removeMarker(call, settings.marker);
  return result;
}

async function createOne(call: RecoverableCall, settings: Settings, body: Record<string, unknown>): Promise<unknown> {
  const { recover } = call;
  for (let attempt = 1; ; attempt++) {
    let failure: unknown;
    try {
      return withoutMarker(await call.create(body, call.options), recover.item, settings);
    } catch (error) {
      if (!isAmbiguous(error)) throw error;
      failure = error;
    }
    const found = await lookUp(call, settings, (resources) => resources.length > 0, failure);
    if (found.length > 0) {
      const [first, ...duplicates] = byAge(found);
      if (duplicates.length > 0) warnOfDuplicates(call, settings, undefined, first!, duplicates);
      return recovered(recover, recover.item, strip(first!, settings), duplicates);
    }
    if (attempt >= settings.maxAttempts) throw failure;
    log("info", `${call.operationId}: not found by marker after an ambiguous failure; sending the create again (attempt ${attempt + 1})`);
  }
}

async function createMany(call: RecoverableCall, settings: Settings, body: Record<string, unknown>, names: readonly string[]): Promise<unknown> {
  const { recover } = call;
  const namesKey = recover.names as string;
  const itemsKey = recover.items as string;
  const byName = new Map<string, Resource>();
  const duplicates: Resource[] = [];
  let missing = names;
  // The ambiguous failure that started the recovery: thrown when the outcome stays unknown.
  let failure: unknown;
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = (await call.create({ ...body, [namesKey]: missing }, call.options)) as Record<string, unknown> | undefined;
      // The first attempt's own answer goes back untouched, links included.
      if (missing === names) return withoutMarker(answer, itemsKey, settings);
      const asked = new Set(missing);
      for (const resource of arrayAt(answer, itemsKey)) if (typeof resource.name === "string" && asked.has(resource.name)) byName.set(resource.name, strip(resource, settings));
      missing = names.filter((name) => !byName.has(name));
      if (missing.length === 0) return recovered(recover, itemsKey, names.map((name) => byName.get(name)), duplicates);
      // A 2xx answer that lacks some of the resources asked for says nothing of those: look them up.
    } catch (error) {
      if (!isAmbiguous(error)) throw error;
      failure = error;
    }
    const wanted = new Set(missing);
    const found = await lookUp(call, settings, (resources) => new Set(resources.map((r) => r.name).filter((name) => wanted.has(name as string))).size === wanted.size, failure, true);
    for (const name of missing) {
      const [first, ...others] = byAge(found.filter((resource) => resource.name === name));
      if (first === undefined) continue;
      if (others.length > 0) warnOfDuplicates(call, settings, name, first, others);
      byName.set(name, strip(first, settings));
      duplicates.push(...others);
    }
    missing = names.filter((name) => !byName.has(name));
    if (missing.length === 0) return recovered(recover, itemsKey, names.map((name) => byName.get(name)), duplicates);
    if (attempt >= settings.maxAttempts) throw failure;
    log("info", `${call.operationId}: ${missing.length} of ${names.length} not found by marker; sending the create again for those`);
  }
}

/**
 * Up to `lookups` lookups by marker, spaced out, until `enough` says the result is complete;
 * returns what the last one found. A lookup that fails (after the pipeline's own GET retries), or
 * whose answer is not the list it asked for, leaves the outcome unknown: then the create must not
 * be sent again, so the create's failure is thrown. `named`: every marked resource must have a name
 * (a multi-create matches them to its names).
 */
async function lookUp(call: RecoverableCall, settings: Settings, enough: (found: Resource[]) => boolean, failure: unknown, named = false): Promise<Resource[]> {
  const { recover, options } = call;
  // The call's own timeoutInMs is for the create; lookups are ordinary lists under the client's timeout.
  const lookupOptions: OperationOptions = { abortSignal: options?.abortSignal };
  let found: Resource[] = [];
  let unknown = false;
  for (let i = 0; i < settings.lookups; i++) {
    if (i > 0) await call.sleep(settings.lookupDelayInMs * i, options?.abortSignal);
    throwIfAborted(options?.abortSignal);
    let marked: Resource[] | undefined;
    try {
      const pages = await call.list(recover.byTag === undefined ? {} : { [recover.byTag]: settings.marker }, lookupOptions);
      marked = markedIn(pages, recover.listItems, settings.marker, named, recover.byTag !== undefined);
    } catch (error) {
      if (error instanceof AbortError || (error as Error | undefined)?.name === "AbortError") throw error;
    }
    unknown = marked === undefined;
    if (marked === undefined) continue;
    found = marked;
    if (enough(found)) return found;
  }
  if (unknown && found.length === 0) {
    log("warning", `${call.operationId}: the lookups by marker ${settings.marker} failed or did not answer the list; the create is not sent again (its outcome is unknown)`);
    throw failure;
  }
  return found;
}

/**
 * The resources carrying `marker` in the pages of a lookup, or `undefined` when an answer is not
 * the list (a proxy's page, a changed shape): the list missing, an item that is not an object or
 * whose `tags` cannot be read, a marked item without the name a multi-create needs. Reading such
 * an answer as "not found" would send the create again. An item without `tags` is not ours on a
 * whole list (APIs that omit empty fields leave untagged resources without one), but on a list
 * filtered by the marker every item must carry it, so there an item without it fails the lookup.
 */
function markedIn(pages: readonly unknown[], listItems: string, marker: string, named: boolean, filtered: boolean): Resource[] | undefined {
  const marked: Resource[] = [];
  // A listing that shifts between pages shows a resource twice: it is one resource, not a duplicate.
  const ids = new Set<unknown>();
  for (const page of pages) {
    const items = isObject(page) ? page[listItems] : undefined;
    if (!Array.isArray(items)) return undefined;
    for (const item of items) {
      if (!isObject(item)) return undefined;
      // `tags: null` is how some resources (database clusters) say "no tags".
      if (item.tags === undefined && !filtered) continue;
      if (!(Array.isArray(item.tags) || item.tags === null)) return undefined;
      // On a list filtered by the marker, an item without it means the filter was not applied
      // (a proxy dropped the query): such a list cannot show what is missing.
      if (!item.tags?.includes(marker)) {
        if (filtered) return undefined;
        continue;
      }
      if (named && typeof item.name !== "string") return undefined;
      if (item.id !== undefined && ids.has(item.id)) continue;
      ids.add(item.id);
      marked.push(item);
    }
  }
  return marked;
}

/**
 * Failures after which the create may or may not have happened: the connection dropped or the
 * attempt timed out after the request was sent, DigitalOcean answered 5xx, or a 2xx answer could
 * not be read. A refused connection (never sent), a 4xx, or the caller's abort are not ambiguous.
 */
function isAmbiguous(error: unknown): boolean {
  if (error instanceof ResponseParseError || error instanceof TimeoutError) return true;
  if (error instanceof DigitalOceanError) return error.statusCode >= 500;
  if (error instanceof ConnectionError) return !NEVER_SENT.has(error.systemCode ?? "");
  return false;
}

/** Transport failures where the request provably never left (the retry policy already retried them). */
const NEVER_SENT: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/**
 * A recovered answer: the resource(s) as listed, empty `links`, and `duplicates`, the ids of the
 * other resources carrying the marker (oldest first), when there were any.
 */
function recovered(recover: RecoverSpec, key: string, value: unknown, duplicates: readonly Resource[]): Record<string, unknown> {
  const answer: Record<string, unknown> = recover.links === undefined ? { [key]: value } : { [key]: value, [recover.links]: {} };
  if (duplicates.length > 0) answer.duplicates = duplicates.map((resource) => resource.id);
  return answer;
}

/** At most this many duplicates are named in the warning (the answer's `duplicates` has them all). */
const MAX_LOGGED_DUPLICATES = 10;

function warnOfDuplicates(call: RecoverableCall, settings: Settings, name: string | undefined, kept: Resource, others: readonly Resource[]): void {
  // Ids and names come from the server: quoted short, so none forges a line or floods the log.
  const shown = others.slice(0, MAX_LOGGED_DUPLICATES).map((resource) => logValue(resource.id)).join(", ");
  const more = others.length > MAX_LOGGED_DUPLICATES ? ` and ${others.length - MAX_LOGGED_DUPLICATES} more` : "";
  const forName = name === undefined ? "" : ` named ${logValue(name)}`;
  log(
    "warning",
    `${call.operationId}: ${others.length + 1} resources${forName} carry marker ${settings.marker}; returning the oldest, ${logValue(kept.id)}; duplicates: ${shown}${more}`,
  );
}

function logValue(value: unknown): string {
  return typeof value === "number" ? String(value) : neutralize(JSON.stringify(String(value)), 80);
}

function withoutMarker(answer: unknown, key: string, settings: Settings): unknown {
  if (!settings.removeMarker || !isObject(answer)) return answer;
  const value = answer[key];
  return { ...answer, [key]: Array.isArray(value) ? value.map((item) => strip(item as Resource, settings)) : strip(value as Resource, settings) };
}

function strip(resource: Resource, settings: Settings): Resource {
  if (!settings.removeMarker || !isObject(resource) || !Array.isArray(resource.tags)) return resource;
  return { ...resource, tags: resource.tags.filter((tag) => tag !== settings.marker) };
}

/**
 * Oldest first: the first is the one the caller's first create made (a lagging listing led to the
 * others). By `created_at` as a time (resources without one last), then by id (numbers in order,
 * before strings), so the choice does not depend on the listing's order.
 */
function byAge(resources: readonly Resource[]): Resource[] {
  const time = (resource: Resource): number => {
    const parsed = typeof resource.created_at === "string" ? Date.parse(resource.created_at) : NaN;
    return Number.isNaN(parsed) ? Infinity : parsed;
  };
  return resources
    .map((resource) => ({ resource, time: time(resource) }))
    .sort((a, b) => (a.time === b.time ? compareIds(a.resource.id, b.resource.id) : a.time < b.time ? -1 : 1))
    .map(({ resource }) => resource);
}

function compareIds(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

async function removeMarker(call: RecoverableCall, marker: string): Promise<void> {
  try {
    await call.deleteTag(marker, { abortSignal: call.options?.abortSignal });
  } catch (error) {
    // The create succeeded; failing the call now would make the caller create again.
    log("warning", `${call.operationId}: the create succeeded but its marker tag ${marker} could not be removed: ${(error as Error).message}`);
  }
}

function namesOf(call: RecoverableCall, value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((name) => typeof name !== "string")) {
    throw new TypeError(`${call.operationId}: "${call.recover.names}" must be a non-empty array of names`);
  }
  // Resources found by marker are matched to the request by name, so a name may occur only once.
  if (new Set(value).size !== value.length) throw new TypeError(`${call.operationId}: a recoverable create needs distinct "${call.recover.names}"`);
  return value as string[];
}

function arrayAt(answer: Record<string, unknown> | undefined, key: string): Resource[] {
  const value = answer?.[key];
  return Array.isArray(value) ? (value as Resource[]) : [];
}

function isObject(value: unknown): value is Resource {
  return typeof value === "object" && value !== null;
}

function throwIfAborted(signal: AbortSignalLike | undefined): void {
  if (signal?.aborted) throw new AbortError();
}

function count(operationId: string, name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${operationId}: recoverable.${name} must be an integer ≥ ${min} (got ${value})`);
  return value;
}
