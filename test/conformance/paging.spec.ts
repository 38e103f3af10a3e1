/**
 * Paging: for every group with paged operations, one test walks two pages with the SDK's
 * `PagedResult`. Through Prism when one of the group's operations has an example whose
 * `links.pages.next` names the list's own path; otherwise through nock, serving two pages. The SDK
 * follows links on its endpoint's origin only, and the spec's examples name api.digitalocean.com,
 * so Prism is put behind what a gateway must be: one that hands out links to itself
 * (`gatewayLinks`). The second request then reaches Prism and is validated too.
 */
import type { PipelinePolicy, PipelineResponse } from "@azure/core-rest-pipeline";
import { strict as assert } from "node:assert";
import { PagedResult } from "../../src/index";
import type { OperationCase } from "./harness";
import { argumentsFor, operationMethod, type CallTarget } from "./invoke";
import { conformanceClient, conformanceContext } from "./setup";
import { describeViolations, parseViolations, requestViolations } from "./violations";

type Nock = typeof import("nock");

const { cases, client, prismUrl } = conformanceContext();

const API_ORIGIN = "https://api.digitalocean.com";

/** Rewrites the API's absolute URLs in an answer to Prism's origin, as a gateway in front of the API must. */
const gatewayLinks: PipelinePolicy = {
  name: "conformance-gateway-links",
  async sendRequest(request, next) {
    const response = await next(request);
    if (response.bodyAsText?.includes(API_ORIGIN)) response.bodyAsText = response.bodyAsText.split(API_ORIGIN).join(prismUrl);
    return response;
  },
};
const gateway = client.withOptions({ additionalPolicies: [{ policy: gatewayLinks, position: "perCall" }] });

/** Paged, callable operations by group, in spec order. */
function pagedCases(): Map<string, OperationCase[]> {
  const byGroup = new Map<string, OperationCase[]>();
  for (const c of cases) {
    if (c.table?.paged === undefined || c.problem !== undefined || c.variants.length === 0) continue;
    byGroup.set(c.group, [...(byGroup.get(c.group) ?? []), c]);
  }
  return byGroup;
}

function targetOf(c: OperationCase): CallTarget {
  if (c.method === undefined || c.table === undefined) throw new Error(`${c.id} is not callable`);
  return { group: c.group, method: c.method, table: c.table };
}

/** Starts a paged call, recording every raw response (one per page). */
function startPagedCall(sdk: typeof client, c: OperationCase): { result: PagedResult<unknown, unknown>; responses: PipelineResponse[] } {
  const responses: PipelineResponse[] = [];
  const target = targetOf(c);
  const args = argumentsFor(target, c.variants[0]!, { onResponse: (response) => responses.push(response) });
  const result = operationMethod(sdk, target.group, target.method)(...args);
  assert.ok(result instanceof PagedResult, `${c.id} did not return a PagedResult`);
  return { result, responses };
}

/**
 * The first page's next link, when it is a URL. Some examples hold placeholder text there
 * (`"example string"`): such a link cannot be walked, and the group falls back to nock.
 */
function nextLinkOf(page: unknown): string | undefined {
  const next = (page as { links?: { pages?: { next?: unknown } } } | undefined)?.links?.pages?.next;
  if (typeof next !== "string") return undefined;
  try {
    return /^https?:$/.test(new URL(next).protocol) ? next : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Walks two pages through Prism, or returns false when the operation's first page has no next
 * link (or cannot be fetched: the per-operation test reports that) so another must be used.
 */
async function walkThroughPrism(c: OperationCase): Promise<boolean> {
  const { result, responses } = startPagedCall(gateway, c);
  let first: unknown;
  try {
    first = await result;
  } catch {
    return false;
  }
  const next = nextLinkOf(first);
  // A link to another list (some examples are sloppy) is refused, not followed: nock serves that group.
  if (next === undefined || new URL(next).origin !== new URL(prismUrl).origin || new URL(next).pathname !== new URL(responses[0]!.request.url).pathname) return false;

  const pages: unknown[] = [];
  for await (const page of result.byPage()) {
    pages.push(page);
    // Prism serves the same example for every page, next link included: stop after two.
    if (pages.length === 2) break;
  }
  assert.equal(pages.length, 2, `${c.id}: expected two pages`);
  assert.equal(responses.length, 2, `${c.id}: expected two requests`);
  const second = new URL(responses[1]!.request.url);
  const link = new URL(next);
  assert.equal(second.origin, new URL(prismUrl).origin, `${c.id}: the next link must be followed on the client's endpoint, not ${link.origin}`);
  assert.equal(second.pathname + second.search, link.pathname + link.search, `${c.id}: the second request must follow links.pages.next`);
  for (const response of responses) {
    const violations = requestViolations(parseViolations(response.headers.get("sl-violations")));
    assert.deepEqual(violations, [], `${c.id}: ${describeViolations(violations)}`);
  }
  return true;
}

/** Fills a path template with the case's path values, encoded as the SDK encodes them. */
function pathOf(c: OperationCase): string {
  let path = c.table!.path;
  c.table!.pathParams?.forEach((name, i) => {
    path = path.replace(`{${name}}`, encodeURIComponent(String(c.variants[0]!.pathValues[i])));
  });
  return path;
}

/** Walks two pages served by nock; every item of both pages must come out of the iteration. */
async function walkThroughNock(nock: Nock, c: OperationCase): Promise<void> {
  // Loopback with a port nothing listens on: should nock not intercept, the call is refused
  // instead of leaving the machine.
  const origin = "http://127.0.0.1:9";
  const path = pathOf(c);
  const key = c.table!.paged!;
  const nextLink = `${origin}${path}?page=2&per_page=2`;
  const scope = nock(origin)
    .get(path)
    .query((q) => q.page !== "2")
    .reply(200, { [key]: [{ n: 1 }, { n: 2 }], links: { pages: { next: nextLink, last: nextLink } }, meta: { total: 3 } })
    .get(path)
    .query((q) => q.page === "2" && q.per_page === "2")
    .reply(200, { [key]: [{ n: 3 }], links: { pages: { prev: nextLink.replace("page=2", "page=1") } }, meta: { total: 3 } });
  const { result, responses } = startPagedCall(conformanceClient(origin), c);
  const items: unknown[] = [];
  for await (const item of result) items.push(item);
  assert.deepEqual(items, [{ n: 1 }, { n: 2 }, { n: 3 }], `${c.id}: items of both pages, in order`);
  assert.equal(responses.length, 2, `${c.id}: expected two requests`);
  assert.ok(scope.isDone(), `${c.id}: pending nock interceptors: ${scope.pendingMocks().join(", ")}`);
}

describe("paging: two pages per paged group", function () {
  let nock: Nock | undefined;

  // nock intercepts all HTTP once loaded, so it is loaded only when a group needs it.
  async function loadNock(): Promise<Nock> {
    nock ??= (await import("nock")).default;
    if (!nock.isActive()) nock.activate();
    return nock;
  }

  after(function () {
    nock?.cleanAll();
    nock?.restore();
  });

  for (const [group, list] of pagedCases()) {
    it(`${group} (${list.length} paged operation${list.length === 1 ? "" : "s"})`, async function () {
      for (const c of list) {
        if (await walkThroughPrism(c)) {
          this.test!.title += `: ${c.id} through Prism`;
          return;
        }
      }
      // No example of this group links a next page: serve the pages with nock instead.
      const n = await loadNock();
      try {
        await walkThroughNock(n, list[0]!);
        this.test!.title += `: ${list[0]!.id} through nock`;
      } finally {
        n.cleanAll();
        n.restore();
      }
    });
  }
});
