import type { OperationOptions } from "./requestOptions.js";

/** Fetches one page: the first from the caller's arguments, later ones from a `links.pages.next` URL. */
export type PageFetcher<TPage> = (nextLink: string | undefined, options: OperationOptions | undefined) => Promise<TPage>;

/**
 * The result of a list operation. `await` it for the first page exactly as the API returns it;
 * `for await (const item of result)` for every item across pages; `byPage()` for page after page.
 *
 * Nothing is sent until the result is awaited or iterated, so a list call that is never consumed
 * cannot become an unhandled rejection. The first page is fetched once and shared: awaiting it and
 * then iterating does not send the first request again.
 */
export class PagedResult<TItem, TPage> implements PromiseLike<TPage>, AsyncIterable<TItem> {
  #firstPage: Promise<TPage> | undefined;
  readonly #fetchPage: PageFetcher<TPage>;
  readonly #itemsKey: string;
  readonly #options: OperationOptions | undefined;

  constructor(fetchPage: PageFetcher<TPage>, itemsKey: string, options?: OperationOptions) {
    this.#fetchPage = fetchPage;
    this.#itemsKey = itemsKey;
    this.#options = options;
  }

  then<A = TPage, B = never>(
    onfulfilled?: ((value: TPage) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#first().then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<TPage | B> {
    return this.#first().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<TPage> {
    return this.#first().finally(onfinally);
  }

  /** Every item of every page, in one array (Node 20 has no `Array.fromAsync`). */
  async toArray(): Promise<TItem[]> {
    const items: TItem[] = [];
    for await (const item of this) items.push(item);
    return items;
  }

  /** Every page in turn, starting with the caller's `page`/`per_page`, following `links.pages.next` until there is none. */
  async *byPage(): AsyncIterableIterator<TPage> {
    // The first page is cached only once `then` asked for it: a walk alone holds just its current page.
    let page = await (this.#firstPage ?? this.#fetchPage(undefined, this.#options));
    // A server that links a page to one already read would otherwise be followed forever.
    const followed = new Set<string>();
    for (;;) {
      yield page;
      const next = nextLinkOf(page);
      if (next === undefined || followed.has(next)) return;
      followed.add(next);
      page = await this.#fetchPage(next, this.#options);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<TItem> {
    for await (const page of this.byPage()) {
      const items = (page as Record<string, unknown> | undefined)?.[this.#itemsKey];
      if (Array.isArray(items)) yield* items as TItem[];
    }
  }

  #first(): Promise<TPage> {
    this.#firstPage ??= this.#fetchPage(undefined, this.#options);
    return this.#firstPage;
  }
}

function nextLinkOf(page: unknown): string | undefined {
  const links = (page as { links?: { pages?: { next?: unknown } } } | undefined)?.links;
  const next = links?.pages?.next;
  return typeof next === "string" && next !== "" ? next : undefined;
}
