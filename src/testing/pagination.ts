import type { FakeRequest, FakeResponse } from "./route.js";

/** DigitalOcean's defaults: 20 items a page unless asked, never more than 200. */
export const defaultPerPage = 20;
export const maxPerPage = 200;

/**
 * Answers one page of `items` under `key`, with `links.pages` (first/prev/next/last, built from the
 * request's own URL so a client follows them back to this fake) and `meta.total`. Like
 * DigitalOcean, a single page has empty `links`, and a page past the end is empty, not an error.
 */
export function paginate<T>(
  request: FakeRequest,
  key: string,
  items: readonly T[],
  /** How the page's items are answered under `key`; by default as the array they are. */
  present: (pageItems: T[]) => unknown = (pageItems) => pageItems,
): FakeResponse {
  const perPage = Math.min(readPositiveInteger(request.query.get("per_page")) ?? defaultPerPage, maxPerPage);
  const page = readPositiveInteger(request.query.get("page")) ?? 1;
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const start = (page - 1) * perPage;

  const pages: Record<string, string> = {};
  if (page > 1) {
    pages.first = pageUrl(request.url, 1, perPage);
    pages.prev = pageUrl(request.url, Math.min(page - 1, lastPage), perPage);
  }
  if (page < lastPage) {
    pages.next = pageUrl(request.url, page + 1, perPage);
    pages.last = pageUrl(request.url, lastPage, perPage);
  }
  return {
    status: 200,
    body: {
      [key]: present(items.slice(start, start + perPage)),
      links: Object.keys(pages).length > 0 ? { pages } : {},
      meta: { total: items.length },
    },
  };
}

function pageUrl(requestUrl: URL, page: number, perPage: number): string {
  const url = new URL(requestUrl);
  url.searchParams.set("page", String(page));
  url.searchParams.set("per_page", String(perPage));
  return url.toString();
}

/** Malformed paging parameters fall back to the defaults, as DigitalOcean's do. */
function readPositiveInteger(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const parsed = Number(value);
  return parsed >= 1 ? parsed : undefined;
}
