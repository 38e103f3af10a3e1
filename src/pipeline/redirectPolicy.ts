import type { PipelinePolicy, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { discardBody } from "../core/discardBody.js";
import { pathOf, RedirectError } from "../core/errors.js";

/** Name of the redirect policy, for `pipeline.removePolicy({ name })`. */
export const redirectPolicyName = "tsdo-redirect";

/** How tsdo follows redirects. */
export interface RedirectOptions {
  /**
   * Hops one attempt follows; default 5. One more redirect rejects with `RedirectError` (with 0,
   * every redirect does). To handle 3xx answers yourself, remove the policy (`redirectPolicyName`).
   */
  maxRedirects?: number | undefined;
  /**
   * Follows a 307/308 that would re-send a request body to another origin. Off by default: such a
   * redirect rejects with `RedirectError`, since the body (a droplet's `user_data`, say) would leave
   * for a host the caller never named.
   */
  allowCrossOriginBody?: boolean | undefined;
}

const DEFAULT_MAX_REDIRECTS = 5;
/** Longest path or origin a message shows: messages stay short whatever the URL. */
const MAX_SHOWN = 80;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** The only headers a request keeps when it is redirected to another origin (the CORS safelist, and the user agent). */
const CROSS_ORIGIN_HEADERS: ReadonlySet<string> = new Set(["accept", "accept-language", "content-language", "content-type", "user-agent"]);

/**
 * Follows 301, 302, 303, 307 and 308 (core's policy skips 308), moving the request to each new
 * location so that a retry resends there. 303, and 301/302 after a POST, continue as a GET without
 * the body; 307 and 308 keep method and body. On a hop to another origin, every header outside a
 * small safelist is dropped (the auth policy signs each hop for its own origin), and a body is only
 * carried along when `allowCrossOriginBody` says so. Each hop is sent with the agent the caller set
 * (usually none), so the proxy policy chooses anew for each URL: `NO_PROXY` is checked per hop and an
 * https hop gets a CONNECT tunnel even after an http one.
 */
export function redirectPolicy(options: RedirectOptions = {}): PipelinePolicy {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) {
    throw new RangeError(`redirectOptions.maxRedirects must be a non-negative integer (got ${maxRedirects})`);
  }
  const allowCrossOriginBody = options.allowCrossOriginBody === true;
  return {
    name: redirectPolicyName,
    async sendRequest(request, next) {
      const callerAgent = request.agent;
      try {
        const [firstMethod, firstUrl] = [request.method, request.url];
        let response = await next(request);
        for (let hops = 0; ; hops++) {
          const location = response.headers.get("location");
          if (!REDIRECT_STATUSES.has(response.status) || location === undefined) return response;
          discardBody(response);
          // A 3xx handed back as the answer would read as a failed call (or a success to sendRequest), not as the loop it is.
          if (hops === maxRedirects) {
            throw new RedirectError(`Stopped following the redirects of ${firstMethod} ${shortPath(firstUrl)}: more than ${maxRedirects} redirects (redirectOptions.maxRedirects); the last answer was ${response.status}.`, response);
          }
          moveTo(request, response, location, allowCrossOriginBody);
          request.agent = callerAgent;
          response = await next(request);
        }
      } finally {
        request.agent = callerAgent;
      }
    },
  };
}

function moveTo(request: PipelineRequest, response: PipelineResponse, location: string, allowCrossOriginBody: boolean): void {
  const from = new URL(request.url);
  const status = response.status;
  // The Location is not shown: its query may carry a signature or a token.
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    throw new RedirectError(`Refusing to follow a ${status} redirect of ${request.method} ${shortPath(request.url)}: its Location is not a valid URL.`, response);
  }
  if (to.protocol !== "https:" && to.protocol !== "http:") {
    throw new RedirectError(`Refusing to follow a ${status} redirect of ${request.method} ${shortPath(request.url)}: its Location is not an http or https URL.`, response);
  }
  if (status === 303 ? request.method !== "HEAD" : (status === 301 || status === 302) && request.method === "POST") {
    request.method = "GET";
    request.body = undefined;
    request.headers.delete("content-length");
    request.headers.delete("content-type");
  }
  if (to.origin !== from.origin) {
    if (hasBody(request) && !allowCrossOriginBody) {
      throw new RedirectError(
        `Refusing to follow a ${status} redirect of ${request.method} ${shortPath(request.url)} to ${short(to.origin)}: it would send the request body to another origin (set redirectOptions.allowCrossOriginBody to allow it).`,
        response,
      );
    }
    for (const [name] of request.headers) {
      if (!CROSS_ORIGIN_HEADERS.has(name.toLowerCase())) request.headers.delete(name);
    }
  }
  request.url = to.href;
}

function hasBody(request: PipelineRequest): boolean {
  return (request.body !== undefined && request.body !== null) || request.multipartBody !== undefined || request.formData !== undefined;
}

/** The path of a URL for a message, cut short: after a hop it is the server's choice, of any length. */
function shortPath(url: string): string {
  return short(pathOf(url));
}

function short(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}
