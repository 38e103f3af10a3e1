import type { HttpHeaders, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { createHttpHeaders, createPipelineRequest } from "./pipelineRequest.js";

/** Query parameters whose values are hidden (presigned URLs carry signatures and credentials; `pw`, `pass`, `pwd`: passwords). */
export const SENSITIVE_QUERY_NAME = /token|sig|key|secret|credential|pass|pwd|^pw$|auth/i;

/**
 * Header names that carry credentials: `Authorization` (the API token and the inference and agent
 * keys all travel in it), `Proxy-Authorization`, cookies, and anything named like a key or token
 * that a gateway or a caller's own policy may add.
 */
const SENSITIVE_HEADER_NAME = /auth|cookie|token|secret|passw|credential|signature|key|session/i;
/** Values that are credentials whatever the header is called. */
const SENSITIVE_HEADER_VALUE = /^\s*(bearer|basic|digest|negotiate)\s/i;

/**
 * The URL without userinfo and with credential-like query values replaced by `REDACTED`; an
 * unparsable URL is kept as its path only (it has no origin to leak a password from).
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.replace(/[?#].*$/s, "");
  }
  url.username = "";
  url.password = "";
  for (const name of new Set(url.searchParams.keys())) {
    if (SENSITIVE_QUERY_NAME.test(name)) url.searchParams.set(name, "REDACTED");
  }
  return url.href;
}

/** A copy of the headers without any credential. */
function redactHeaders(headers: HttpHeaders): HttpHeaders {
  const copy = createHttpHeaders();
  for (const [name, value] of headers) {
    if (!SENSITIVE_HEADER_NAME.test(name) && !SENSITIVE_HEADER_VALUE.test(value)) copy.set(name, value);
  }
  return copy;
}

/**
 * What an error keeps of the request it is about: a fresh `PipelineRequest` with the method, the
 * redacted URL and the headers minus credentials. Neither the body (it may hold `user_data`
 * secrets), the signal, the agent nor the proxy settings (which hold the proxy's password) are
 * kept, and nothing refers back to the live request, so walking the error finds no token.
 */
export function redactedRequest(request: PipelineRequest): PipelineRequest {
  return createPipelineRequest({
    url: redactUrl(request.url),
    method: request.method,
    headers: redactHeaders(request.headers),
    requestId: request.requestId,
  });
}

/**
 * What an error keeps of a response: status, headers minus credentials (`set-cookie`, anything
 * named or valued like a key or token), and the redacted request. The body text is kept for an
 * error answer (400 and up: DigitalOcean's error document) only: a success answer's body is the
 * resource, which may hold its secrets (a database's password, a kubeconfig). A streamed body is
 * dropped: its socket leads back to the raw request headers Node sent.
 */
export function redactedResponse(response: PipelineResponse, request: PipelineRequest): PipelineResponse {
  const copy: PipelineResponse = { status: response.status, headers: redactHeaders(response.headers), request };
  if (response.bodyAsText !== undefined && response.status >= 400) copy.bodyAsText = response.bodyAsText;
  return copy;
}

/** One piece of JSON text: a string literal (closed or cut off), or a run of anything but structure. */
const JSON_PIECE = /"(?:[^"\\]|\\[\s\S])*"?|[^\s{}[\]:,"]+/g;
/** The values a piece outside a string may show: they say nothing private. */
const JSON_LITERAL = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;
/** What follows a string literal that is an object key. */
const KEY_END = /\s*:/y;

/**
 * The shape of a JSON text without its values, for a parse error's excerpt: braces, brackets,
 * commas, keys, numbers, `true`/`false`/`null` stay; every string value becomes `"…"` and anything
 * else (a cut-off word, an HTML page, a bare token) `…`. Keys are shown, they are the API's field
 * names (`{"database":{"id":"…","connection":{"password":"…"`); the values of a success answer may
 * be its secrets.
 */
export function jsonShape(text: string): string {
  return text.replace(JSON_PIECE, (piece: string, offset: number) => {
    if (!piece.startsWith('"')) return JSON_LITERAL.test(piece) ? piece : "…";
    const closed = piece.length > 1 && piece.endsWith('"');
    KEY_END.lastIndex = offset + piece.length;
    if ((closed && KEY_END.test(text)) || piece === '""') return piece;
    return closed ? '"…"' : '"…';
  });
}

/** C0 and C1 controls (CR, LF, ESC…), DEL, line/paragraph separators and bidi overrides. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from elsewhere (a server's error message, a body excerpt) made safe for one log line: control
 * characters become spaces, so no CR/LF forges a log line and no ANSI escape reaches a terminal, and
 * it is cut to `maxLength` characters.
 */
export function neutralize(text: string, maxLength: number): string {
  // The cut never splits a surrogate pair.
  const end = maxLength > 0 && /[\ud800-\udbff]/.test(text[maxLength - 1] ?? "") ? maxLength - 1 : maxLength;
  const short = text.length > maxLength ? `${text.slice(0, end)}…` : text;
  return short.replace(UNSAFE_CHARACTERS, " ");
}
