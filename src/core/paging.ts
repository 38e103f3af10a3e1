import type { PagedAsyncIterableIterator } from "@azure/core-paging";
import type { PipelineResponse } from "@azure/core-rest-pipeline";
import { APIPromise, type WithResponse } from "./apiPromise.js";
import { InvalidTokenError } from "./errors.js";
import { parseRateLimit } from "./rateLimit.js";
import { brandClasses } from "./brand.js";

/**
 * The settings of `byPage()`: core-paging's `PageSettings`, whose values it accepts, with members
 * that also take `undefined`, so `byPage({ continuationToken: saved?.token })` compiles under
 * `exactOptionalPropertyTypes`; `undefined` means "not given".
 */
export interface PageSettings {
  /** A page's `continuationToken`: the walk starts at that page. */
  continuationToken?: string | undefined;
  /** The page size, sent as `per_page`. */
  maxPageSize?: number | undefined;
}

/** Longest continuation token or `links.pages.next` tsdo reads: a page link is a short URL, and a forged one may be megabytes. */
export const MAX_CONTINUATION_TOKEN_LENGTH = 8192;

/**
 * A page as `byPage()` yields it: the API's answer, plus `continuationToken`, an opaque string for
 * the next page (`undefined` on the last). Store it to resume the walk later with `byPage({ continuationToken })`.
 * The token is a non-enumerable property, so the page still serializes exactly as the API sent it.
 */
export type ContinuablePage<TPage> = TPage & {
  /**
   * Where the next page is, `undefined` on the last page; opaque (today the next page's URL on the
   * client's endpoint, query included). Pass it to `byPage({ continuationToken })` on the same list
   * to resume the walk there, in this process or another (on the same endpoint and `maxPageSize`).
   * Reading it throws `InvalidTokenError` when the server's `links.pages.next` was refused, so a
   * refused link is never stored as the end of the list.
   */
  continuationToken?: string | undefined;
};

/** Where a page link comes from: the caller's `byPage({ continuationToken })`, or the server's answer. */
export type PageLinkOrigin = "continuationToken" | "links.pages.next";

/** What a `PagedResult` needs from its operation: where the first page is, and how to fetch and read a page. */
export interface PageSource<TPage> {
  /** Property of a page that holds its items. */
  readonly itemsKey: string;
  /** The first page's URL, `maxPageSize` (if given) as `per_page`; throws on a bad argument of the call. */
  firstUrl(maxPageSize: number | undefined): string;
  /**
   * A `links.pages.next` link or a continuation token, as the URL it is fetched from (the list's
   * own URL on the client's base URL, with the link's query); throws `InvalidTokenError` for any
   * other link, naming `from`.
   */
  resolve(link: unknown, from: PageLinkOrigin): string;
  /** Sends a GET for one page and resolves with its 2xx response. */
  send(url: string): Promise<PipelineResponse>;
  /** Reads a page's response body. */
  read(response: PipelineResponse): Promise<TPage>;
}

/**
 * The result of a list operation: a `Promise` of the first page exactly as the API returns it
 * (`withResponse()` and `asResponse()` included), and an async iterable of every item across pages.
 * `byPage()` walks page by page and can resume from a stored `continuationToken`; the shape is
 * `@azure/core-paging`'s `PagedAsyncIterableIterator`.
 *
 * Nothing is sent until the result is awaited or iterated, so a list call that is never consumed
 * cannot become an unhandled rejection; bad arguments reject (never throw) when it is consumed.
 * Awaiting the result and then iterating it sends the first page once (the walk starts with the
 * awaited page). A walk begun before any await fetches its own pages and keeps none it has moved
 * past, so iterating 10,000 items holds one page at a time.
 */
export class PagedResult<TItem, TPage> extends APIPromise<TPage> implements PagedAsyncIterableIterator<TItem, ContinuablePage<TPage>, PageSettings> {
  readonly #source: PageSource<TPage>;
  /** Whether the call's own first page was asked for (awaited, `withResponse()`, `asResponse()`). */
  readonly #first: { requested: boolean };
  #items: ItemIterator<TItem, TPage> | undefined;

  constructor(source: PageSource<TPage>) {
    const first = { requested: false };
    super({
      send: () => {
        first.requested = true;
        return sendPage(source, () => source.firstUrl(undefined));
      },
      read: (response) => source.read(response),
    });
    this.#source = source;
    this.#first = first;
  }

  /** Every item of every page, in one array (Node 20 has no `Array.fromAsync`). */
  async toArray(): Promise<TItem[]> {
    const items: TItem[] = [];
    for await (const item of this) items.push(item);
    return items;
  }

  /**
   * Every page in turn, following `links.pages.next` until there is none. Without settings the walk
   * starts with the call's own first page; `continuationToken` starts it at a page a previous walk
   * stopped before; `maxPageSize` sets `per_page`.
   *
   * `withResponse()` and `asResponse()` on the iterator walk the same pages with their responses.
   */
  byPage(settings?: PageSettings): PageIterator<ContinuablePage<TPage>> {
    const source = this.#source;
    return new PageIterator(this.#walk(settings ?? {}, (url) => fetchPage(source, url), () => this.withResponse()));
  }

  /** The next item, for code that uses the result as an iterator (each `for await` starts its own walk). */
  next(): Promise<IteratorResult<TItem>> {
    this.#items ??= this[Symbol.asyncIterator]();
    return this.#items.next();
  }

  /** A fresh walk over every item: each `for await` starts its own (from the awaited first page, if it was awaited). */
  [Symbol.asyncIterator](): ItemIterator<TItem, TPage> {
    // Items need no responses: a walk that keeps none lets each page's response and text go.
    const source = this.#source;
    const pages = this.#walk({}, async (url) => ({ data: await source.read(await source.send(url)) }), () => this.then((data) => ({ data })));
    return new ItemIterator(this.#itemsOf(pages), (settings) => this.byPage(settings));
  }

  async *#itemsOf(pages: AsyncGenerator<{ data: TPage }>): AsyncGenerator<TItem> {
    // A suspended generator keeps its variables: `items` is dropped before the next page is
    // fetched, or the walk would hold two pages at a time.
    let items = await itemsOfNext(pages, this.#source.itemsKey);
    while (items !== undefined) {
      for (let index = 0; index < items.length; index++) yield items[index] as TItem;
      items = undefined;
      items = await itemsOfNext(pages, this.#source.itemsKey);
    }
  }

  /**
   * Walks the pages, each fetched by `load`; `shared` gives the call's own first page when that
   * was asked for already. No page is held once the walk has asked for the next.
   */
  async *#walk<P extends { data: TPage }>(settings: PageSettings, load: (url: string) => Promise<P>, shared: () => Promise<P>): AsyncGenerator<P & { data: ContinuablePage<TPage> }> {
    const { continuationToken, maxPageSize } = checkSettings(settings);
    const source = this.#source;
    let url: string;
    let page: P | undefined;
    if (continuationToken === undefined && maxPageSize === undefined) {
      url = source.firstUrl(undefined);
      page = await (this.#first.requested ? shared() : load(url));
    } else {
      url = continuationToken === undefined ? source.firstUrl(maxPageSize) : source.resolve(continuationToken, "continuationToken");
      if (continuationToken !== undefined && maxPageSize !== undefined) checkTokenPageSize(url, maxPageSize);
      page = await load(url);
    }
    // Keyed by the resolved URL: a server that links to a page already read, under whatever
    // spelling (absolute, relative, reordered query), would otherwise be followed forever.
    const read = new Set([pageKey(url)]);
    for (;;) {
      const link = nextLinkOf(page.data);
      let next: string | InvalidTokenError | undefined;
      try {
        next = link === undefined ? undefined : source.resolve(link, "links.pages.next");
      } catch (error) {
        if (!(error instanceof InvalidTokenError)) throw error;
        // The page itself is good: it is handed over, and the walk fails when the next one is asked for.
        next = error;
      }
      if (typeof next === "string" && read.has(pageKey(next))) next = undefined;
      yield { ...page, data: withContinuationToken(page.data, next) };
      if (next instanceof InvalidTokenError) throw next;
      if (next === undefined) return;
      read.add(pageKey(next));
      page = undefined;
      page = await load(next);
    }
  }
}
// `instanceof` holds for instances made by the other build (ESM or CommonJS) too: src/core/brand.ts.
brandClasses({ PagedResult });

/** One walk over the items of a `PagedResult`, in `@azure/core-paging`'s iterator shape. */
export class ItemIterator<TItem, TPage> implements PagedAsyncIterableIterator<TItem, ContinuablePage<TPage>, PageSettings> {
  readonly #items: AsyncGenerator<TItem>;
  /** Walks the result's pages (the `PagedResult`'s own `byPage`). */
  readonly byPage: (settings?: PageSettings) => PageIterator<ContinuablePage<TPage>>;

  /** Wraps a walk of items and the result's `byPage`. */
  constructor(items: AsyncGenerator<TItem>, byPage: (settings?: PageSettings) => PageIterator<ContinuablePage<TPage>>) {
    this.#items = items;
    this.byPage = byPage;
  }

  /** The next item. */
  next(): Promise<IteratorResult<TItem>> {
    return this.#items.next();
  }

  /** Ends the walk early (what `break` in a `for await` calls). */
  async return(): Promise<IteratorResult<TItem>> {
    await this.#items.return(undefined);
    return { done: true, value: undefined };
  }

  /** The iterator itself, so it works in `for await`. */
  [Symbol.asyncIterator](): this {
    return this;
  }
}
brandClasses({ ItemIterator });

/**
 * `byPage()`'s iterator: pages, or with `withResponse()` each page with its response, or with
 * `asResponse()` the responses alone. Each view advances the same walk.
 */
export class PageIterator<TPage> implements AsyncIterableIterator<TPage> {
  readonly #walk: AsyncGenerator<WithResponse<TPage>>;

  /** Wraps a walk of pages with their responses. */
  constructor(walk: AsyncGenerator<WithResponse<TPage>>) {
    this.#walk = walk;
  }

  /** The next page. */
  async next(): Promise<IteratorResult<TPage>> {
    const step = await this.#walk.next();
    return step.done ? { done: true, value: undefined } : { done: false, value: step.value.data };
  }

  /** Ends the walk early (what `break` in a `for await` calls). */
  async return(): Promise<IteratorResult<TPage>> {
    await this.#walk.return(undefined);
    return { done: true, value: undefined };
  }

  /** The iterator itself, so it works in `for await`. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The remaining pages, each as `{ data, response, requestId, rateLimit }`. */
  withResponse(): AsyncIterableIterator<WithResponse<TPage>> {
    return this.#walk;
  }

  /** The remaining pages' raw responses. */
  async *asResponse(): AsyncIterableIterator<PipelineResponse> {
    for await (const page of this.#walk) yield page.response;
  }
}
brandClasses({ PageIterator });

/** The items of the walk's next page (none when the page has no item array), `undefined` once the walk is over. */
async function itemsOfNext(pages: AsyncGenerator<{ data: unknown }>, itemsKey: string): Promise<readonly unknown[] | undefined> {
  const step = await pages.next();
  if (step.done === true) return undefined;
  const items = (step.value.data as Record<string, unknown> | undefined)?.[itemsKey];
  return Array.isArray(items) ? items : [];
}

function sendPage<TPage>(source: PageSource<TPage>, url: () => string): Promise<PipelineResponse> {
  try {
    return source.send(url());
  } catch (error) {
    return Promise.reject(error);
  }
}

async function fetchPage<TPage>(source: PageSource<TPage>, url: string): Promise<WithResponse<TPage>> {
  const response = await source.send(url);
  return { data: await source.read(response), response, requestId: response.headers.get("x-request-id"), rateLimit: parseRateLimit(response) };
}

function checkSettings(settings: PageSettings): PageSettings {
  if (typeof settings !== "object" || settings === null) throw new TypeError("byPage: settings must be an object");
  const { continuationToken, maxPageSize } = settings;
  if (continuationToken !== undefined && (typeof continuationToken !== "string" || continuationToken === "")) {
    throw new InvalidTokenError("byPage: continuationToken must be a page's non-empty continuationToken", "continuation");
  }
  if (maxPageSize !== undefined && (!Number.isInteger(maxPageSize) || maxPageSize < 1)) {
    throw new RangeError(`byPage: maxPageSize must be a positive integer (got ${String(maxPageSize)})`);
  }
  return { continuationToken, maxPageSize };
}

/** DigitalOcean numbers pages by `per_page`: another size on resume would skip or repeat items. */
function checkTokenPageSize(url: string, maxPageSize: number): void {
  const perPage = new URL(url).searchParams.get("per_page");
  if (perPage !== String(maxPageSize)) {
    // The value is the token's text: shown only when it is a plausible page size.
    const made = perPage === null ? "(the API's default)" : /^\d{1,6}$/.test(perPage) ? perPage : "(not a page size)";
    throw new RangeError(`byPage: the continuationToken was made with per_page=${made}; resuming with maxPageSize ${maxPageSize} would skip or repeat items`);
  }
}

function pageKey(url: string): string {
  const parsed = new URL(url);
  // The first page is asked for without `page`: a link back to `page=1` is that same page.
  if (!parsed.searchParams.has("page")) parsed.searchParams.set("page", "1");
  parsed.searchParams.sort();
  parsed.hash = "";
  return parsed.href;
}

function withContinuationToken<TPage>(page: TPage, token: string | InvalidTokenError | undefined): ContinuablePage<TPage> {
  if (typeof page === "object" && page !== null) {
    // A job that checkpoints `page.continuationToken` must not read a refused link as "last page".
    const property: PropertyDescriptor = token instanceof InvalidTokenError ? { get: () => refused(token) } : { value: token, writable: true };
    Object.defineProperty(page, "continuationToken", { ...property, enumerable: false, configurable: true });
  }
  return page as ContinuablePage<TPage>;
}

function refused(error: InvalidTokenError): never {
  throw error;
}

/** The page's `links.pages.next`: `undefined` when there is none (the last page); anything but a string is for `resolve` to refuse. */
function nextLinkOf(page: unknown): unknown {
  const links = (page as { links?: { pages?: { next?: unknown } } } | undefined)?.links;
  const next = links?.pages?.next;
  return next === undefined || next === null || next === "" ? undefined : next;
}

/**
 * A page link (a continuation token, or a server's `links.pages.next`) as the URL to fetch: the
 * list's own URL with the link's query. The link must be a path, or an http(s) URL of exactly the
 * list's origin, naming exactly the list's path (each segment compared decoded, so an encoded dot
 * segment or slash is another path). Anything else is an `InvalidTokenError`: sending a forged
 * link would send the token with it. `listUrl` is the call's first page; `basePath` the base URL's
 * path, which a path-only link may leave out (it is relative to the API, as a gateway forwards it).
 */
export function resolvePageLink(link: unknown, from: PageLinkOrigin, listUrl: string, basePath: string): string {
  const refuse = (problem: string): never => {
    throw new InvalidTokenError(`${from === "continuationToken" ? "byPage: the continuationToken" : "The server's links.pages.next"} ${problem}; it was not followed`, "continuation");
  };
  if (typeof link !== "string") return refuse("is not a string");
  if (link.length > MAX_CONTINUATION_TOKEN_LENGTH) return refuse(`is longer than ${MAX_CONTINUATION_TOKEN_LENGTH} characters`);
  // WHATWG URL parsing drops tabs and newlines and reads a backslash as a slash: none is in a real link.
  if (/[^\x21-\x7e]|\\/.test(link)) return refuse("has whitespace, a control character, a backslash or a non-ASCII character");
  if (link.includes("#")) return refuse("has a fragment");
  const list = new URL(listUrl);
  const queryStart = link.indexOf("?");
  const path = queryStart === -1 ? link : link.slice(0, queryStart);
  const query = queryStart === -1 ? "" : link.slice(queryStart + 1);
  let linkPath: string;
  if (path.startsWith("/") && !path.startsWith("//")) {
    linkPath = path;
    if (!samePath(linkPath, list.pathname) && !samePath(basePath + linkPath, list.pathname)) return refuse("is not a page of this list");
  } else {
    // Only `scheme://host[:port]`: no userinfo, no percent-encoded or other odd host characters.
    const absolute = /^(https?:\/\/[A-Za-z0-9.:[\]-]+)(\/.*)?$/i.exec(path);
    if (absolute === null) return refuse("is neither a path nor an http(s) URL with a plain host");
    let origin: string;
    try {
      origin = new URL(absolute[1] as string).origin;
    } catch {
      return refuse("is not a valid URL");
    }
    if (origin !== list.origin) return refuse("is on another origin than the client's endpoint for this list");
    linkPath = absolute[2] ?? "";
    if (!samePath(linkPath, list.pathname)) return refuse("is not a page of this list");
  }
  return list.origin + list.pathname + (query === "" ? "" : `?${query}`);
}

/** Whether two URL paths name the same segments, each compared percent-decoded. */
function samePath(path: string, expected: string): boolean {
  const segments = path.split("/");
  const wanted = expected.split("/");
  return segments.length === wanted.length && segments.every((segment, index) => {
    const decoded = decodedSegment(segment);
    return decoded !== undefined && decoded === decodedSegment(wanted[index] as string);
  });
}

function decodedSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
