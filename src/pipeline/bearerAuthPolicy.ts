import type { AbortSignalLike } from "@azure/abort-controller";
import type { AccessToken, KeyCredential, TokenCredential } from "@azure/core-auth";
import { isTokenCredential } from "../credential.js";
import type { PipelinePolicy, PipelineResponse } from "@azure/core-rest-pipeline";
import { raceAbort } from "../core/abortListener.js";
import { InsecureConnectionError, TsdoError } from "../core/errors.js";

/** Name of the authentication policy, for `pipeline.removePolicy({ name })`. */
export const bearerAuthPolicyName = "tsdo-bearer-auth";

/** Options of `bearerAuthPolicy`. */
export interface BearerAuthPolicyOptions {
  /** A static token (`KeyCredential`, e.g. `AzureKeyCredential`), or a `TokenCredential` for tokens that expire. */
  credential: TokenCredential | KeyCredential;
  /** The API base URL; the token is sent only to this origin (scheme, host and port). */
  endpoint: string;
  /** Allows plain `http://`, and only to a loopback host (localhost, 127.0.0.0/8, ::1): for local mocks. */
  allowInsecureConnection?: boolean | undefined;
  /** Sends the token to any origin. Only for a proxy or gateway that legitimately needs it. */
  allowCrossOriginAuth?: boolean | undefined;
  /**
   * Other origins with credentials of their own, e.g. the inference host with a model access key:
   * requests to such an origin carry its own credential, never the API token.
   */
  originCredentials?: ReadonlyArray<OriginCredential> | undefined;
}

/** A credential that is sent to one other origin only. */
export interface OriginCredential {
  /** Any URL of the origin (scheme, host and port count). */
  endpoint: string;
  /** The key or token sent to that origin only. */
  credential: TokenCredential | KeyCredential;
}

/** Tokens are refreshed this long before they expire, so that none expires in flight. */
const REFRESH_MARGIN_IN_MS = 2 * 60 * 1000;

/**
 * Signs requests with `Authorization: Bearer <token>`, only over https (loopback http when allowed)
 * and only to the endpoint's origin. A request to any other origin — an absolute URL given to
 * `sendRequest`, or the next hop of a cross-origin redirect, which core re-sends with the previous
 * hop's headers — goes out with any `Authorization` header removed.
 */
export function bearerAuthPolicy(options: BearerAuthPolicyOptions): PipelinePolicy {
  const endpoint = new URL(options.endpoint);
  const endpointOrigin = endpoint.origin;
  const endpointSecure = endpoint.protocol === "https:";
  const allowInsecure = options.allowInsecureConnection === true;
  const allowCrossOrigin = options.allowCrossOriginAuth === true;
  const apiToken = tokenSource(options.credential);
  // Each credential belongs to a base URL (origin and path prefix), the API token to the endpoint's;
  // the most specific base that a request's URL falls under decides.
  const endpointBase = baseOf(endpoint);
  const others = (options.originCredentials ?? []).map(({ endpoint: base, credential }) => ({ base: baseOf(new URL(base)), source: tokenSource(credential) }));
  const clash = others.find(({ base }, index) => base === endpointBase || others.findIndex((other) => other.base === base) !== index);
  if (clash) throw new TypeError(`Two credentials are configured for ${clash.base}: give each its own endpoint URL.`);
  const scopes = [{ base: endpointBase, source: apiToken }, ...others].sort((a, b) => b.base.length - a.base.length);
  // Requests to the endpoint's own origin skip URL parsing when that origin is already known to be
  // acceptable (https, or loopback http that is allowed) and no other credential lives on it.
  const endpointAcceptable = endpointSecure || (endpoint.protocol === "http:" && allowInsecure && isLoopback(endpoint.hostname));
  const fastPath = endpointAcceptable && !others.some(({ base }) => startsWithOrigin(base, endpointOrigin));

  return {
    name: bearerAuthPolicyName,
    async sendRequest(request, next) {
      let source: TokenSource | undefined;
      if (fastPath && startsWithOrigin(request.url, endpointOrigin)) {
        // Fast path, the common case: a request to the endpoint needs no URL parsing.
        if (!endpointSecure) request.allowInsecureConnection = true;
        source = apiToken;
      } else {
        const url = new URL(request.url);
        checkTransportSecurity(url, allowInsecure);
        // Core's node client refuses http unless the request says otherwise; the check above is ours.
        if (url.protocol === "http:") request.allowInsecureConnection = true;
        const target = baseOf(url);
        source =
          scopes.find(({ base }) => startsWithOrigin(target, base))?.source ??
          (url.origin === endpointOrigin || allowCrossOrigin ? apiToken : undefined);
      }
      if (!source) {
        request.headers.delete("Authorization");
        return next(request);
      }
      const pending = source(request.abortSignal);
      // A credential may ignore the signal: the request is cancellable (and timed) while it fetches all the same.
      const token = typeof pending === "string" ? pending : await raceAbort(pending, request.abortSignal);
      request.headers.set("Authorization", `Bearer ${token}`);
      return withoutEchoedToken(await next(request), token);
    },
  };
}

/** Tokens shorter than this are not looked for in answers: a test's one-letter key would rewrite every error. */
const MIN_HIDDEN_TOKEN_LENGTH = 8;

/**
 * A server can echo the token it was sent ("bad token Bearer dop_v1_…" in a 401's message, a
 * header): it is replaced by `REDACTED` here, where it is known, before the errors and retries
 * outside this policy read the answer. Every header value is checked (errors keep headers), and
 * the body of an answer outside 2xx (errors keep it, and its message). A success body is left as
 * it came: it is the caller's data, returned as is, and an error made from one (a parse error)
 * keeps no text of it, only its shape; so the common answer costs a few header reads, not a scan
 * of its body.
 */
function withoutEchoedToken(response: PipelineResponse, token: string): PipelineResponse {
  if (token.length < MIN_HIDDEN_TOKEN_LENGTH) return response;
  const echoed = [...response.headers].filter(([, value]) => value.includes(token));
  for (const [name, value] of echoed) response.headers.set(name, value.replaceAll(token, "REDACTED"));
  const text = response.bodyAsText;
  const success = response.status >= 200 && response.status < 300;
  if (!success && typeof text === "string" && text.includes(token)) response.bodyAsText = text.replaceAll(token, "REDACTED");
  return response;
}

/** Reads the current token of a credential; static keys are read anew each time, so a rotated key takes effect. */
type TokenSource = (abortSignal: AbortSignalLike | undefined) => string | Promise<string>;

function tokenSource(credential: TokenCredential | KeyCredential): TokenSource {
  if (isTokenCredential(credential)) {
    const cache = new TokenCache(credential);
    return (abortSignal) => cache.get(abortSignal);
  }
  return () => (credential as KeyCredential).key;
}

/** Origin and path, without a trailing slash or the query: what a credential's scope is matched on. */
function baseOf(url: URL): string {
  return (url.origin + url.pathname).replace(/\/+$/, "");
}

/**
 * True when `url` is `origin` (or a base URL) followed by a path, query, fragment or nothing: not
 * `origin.evil.com`, not `origin@…`, not `/base-other`.
 */
function startsWithOrigin(url: string, origin: string): boolean {
  if (!url.startsWith(origin)) return false;
  if (url.length === origin.length) return true;
  const next = url.charCodeAt(origin.length);
  return next === 0x2f /* / */ || next === 0x3f /* ? */ || next === 0x23 /* # */;
}

function checkTransportSecurity(url: URL, allowInsecure: boolean): void {
  // Only scheme and host go into the message: the path or query may hold something private.
  const target = `${url.protocol}//${url.host}`;
  // Node would send userinfo as Basic credentials, next to (or instead of) the token.
  if (url.username !== "" || url.password !== "") throw new InsecureConnectionError(`Refusing a URL with a user name or password (${target}).`);
  if (url.protocol === "https:") return;
  if (url.protocol !== "http:") throw new InsecureConnectionError(`Refusing to send a request to ${target}: only https is supported.`);
  if (!allowInsecure) {
    throw new InsecureConnectionError(
      `Refusing to send the API token over plain http to ${target}. Use https, or set allowInsecureConnection (loopback hosts only).`,
    );
  }
  if (!isLoopback(url.hostname)) {
    throw new InsecureConnectionError(`Refusing plain http to ${target}: allowInsecureConnection covers loopback hosts only.`);
  }
}

/** localhost, 127.0.0.0/8 and ::1. The WHATWG URL parser has already normalized the host (`127.1` → `127.0.0.1`). */
export function isLoopback(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "[::1]" || hostname === "::1") return true;
  if (!hostname.startsWith("127.")) return false;
  const parts = hostname.split(".");
  return parts.length === 4 && parts.every((part) => part !== "" && Number(part) >= 0 && Number(part) <= 255);
}

/**
 * Caches a `TokenCredential`'s token until 2 minutes before it expires (or its `refreshAfterTimestamp`).
 * DigitalOcean has no scopes, hence `getToken([])`. Concurrent requests share one fetch.
 */
class TokenCache {
  readonly #credential: TokenCredential;
  #token: AccessToken | undefined;
  #pending: Promise<AccessToken> | undefined;

  constructor(credential: TokenCredential) {
    this.#credential = credential;
  }

  async get(abortSignal: AbortSignalLike | undefined): Promise<string> {
    const cached = this.#token;
    if (cached !== undefined && Date.now() < refreshAt(cached)) return cached.token;
    const shared = this.#pending;
    if (shared === undefined) return (await this.#fetch(abortSignal)).token;
    try {
      return (await shared).token;
    } catch (error) {
      // The joined fetch carried another request's signal; if that request was cancelled, fetch for this one.
      if (error instanceof Error && error.name === "AbortError" && abortSignal?.aborted !== true) {
        return (await this.#fetch(abortSignal)).token;
      }
      throw error;
    }
  }

  #fetch(abortSignal: AbortSignalLike | undefined): Promise<AccessToken> {
    const pending = this.#credential.getToken([], { abortSignal }).then((token) => {
      if (token === null || typeof token.token !== "string" || token.token === "") {
        throw new TsdoError("The TokenCredential returned no token.");
      }
      this.#token = token;
      return token;
    });
    this.#pending = pending;
    const clear = (): void => {
      if (this.#pending === pending) this.#pending = undefined;
    };
    pending.then(clear, clear);
    return pending;
  }
}

function refreshAt(token: AccessToken): number {
  const beforeExpiry = token.expiresOnTimestamp - REFRESH_MARGIN_IN_MS;
  return token.refreshAfterTimestamp !== undefined ? Math.min(token.refreshAfterTimestamp, beforeExpiry) : beforeExpiry;
}
