import type { HttpHeaders, PipelineRequest, PipelineRequestOptions as CorePipelineRequestOptions, RawHttpHeaders, RawHttpHeadersInput } from "@azure/core-rest-pipeline";

// tsdo's own `createHttpHeaders` and `createPipelineRequest`, with core's semantics: they are all
// that building a request needs, and owning them keeps core's module graph off the import path.

/** Case-insensitive headers that remember the case each was set with. */
class Headers implements HttpHeaders {
  readonly #byName = new Map<string, readonly [name: string, value: string]>();

  constructor(raw?: RawHttpHeadersInput) {
    if (raw) for (const name of Object.keys(raw)) this.set(name, raw[name] as string | number | boolean);
  }

  get(name: string): string | undefined {
    return this.#byName.get(name.toLowerCase())?.[1];
  }

  has(name: string): boolean {
    return this.#byName.has(name.toLowerCase());
  }

  set(name: string, value: string | number | boolean): void {
    // As core does: no surrounding blanks, and no line breaks that could split a header.
    this.#byName.set(name.toLowerCase(), [name, String(value).trim().replace(/[\r\n]/g, "")]);
  }

  delete(name: string): void {
    this.#byName.delete(name.toLowerCase());
  }

  toJSON(options: { preserveCase?: boolean } = {}): RawHttpHeaders {
    const json: RawHttpHeaders = {};
    for (const [key, [name, value]] of this.#byName) json[options.preserveCase ? name : key] = value;
    return json;
  }

  toString(): string {
    return JSON.stringify(this.toJSON({ preserveCase: true }));
  }

  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const [name, value] of this.#byName.values()) yield [name, value];
  }
}

/** Creates `HttpHeaders` (core's `createHttpHeaders`). */
export function createHttpHeaders(rawHeaders?: RawHttpHeadersInput): HttpHeaders {
  return new Headers(rawHeaders);
}

/**
 * What `createPipelineRequest` takes: core's `PipelineRequestOptions`, whose optional members also
 * take `undefined` (core's default then applies), so `{ url, timeout: options.timeout }` compiles
 * under `exactOptionalPropertyTypes`.
 */
export type PipelineRequestOptions = {
  [K in keyof CorePipelineRequestOptions]: {} extends Pick<CorePipelineRequestOptions, K> ? CorePipelineRequestOptions[K] | undefined : CorePipelineRequestOptions[K];
};

/** Creates a `PipelineRequest` with core's defaults (core's `createPipelineRequest`). */
export function createPipelineRequest(options: PipelineRequestOptions): PipelineRequest {
  // Every field written out, as core's own does: Node 20's V8 takes microseconds per request for
  // a spread followed by more properties (and for properties added to a spread's copy).
  return {
    url: options.url,
    method: options.method ?? "GET",
    headers: options.headers ?? new Headers(),
    timeout: options.timeout ?? 0,
    withCredentials: options.withCredentials ?? false,
    requestId: options.requestId || crypto.randomUUID(),
    body: options.body,
    multipartBody: options.multipartBody,
    formData: options.formData,
    streamResponseStatusCodes: options.streamResponseStatusCodes,
    agent: options.agent,
    enableBrowserStreams: options.enableBrowserStreams ?? false,
    tlsSettings: options.tlsSettings,
    proxySettings: options.proxySettings,
    disableKeepAlive: options.disableKeepAlive ?? false,
    abortSignal: options.abortSignal,
    tracingOptions: options.tracingOptions,
    onUploadProgress: options.onUploadProgress,
    onDownloadProgress: options.onDownloadProgress,
    allowInsecureConnection: options.allowInsecureConnection ?? false,
    requestOverrides: options.requestOverrides,
  };
}
