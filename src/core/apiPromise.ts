import type { PipelineResponse } from "@azure/core-rest-pipeline";
import { parseRateLimit, type RateLimit } from "./rateLimit.js";
import { brandClasses } from "./brand.js";

/** A call's result together with the HTTP response it was read from. */
export interface WithResponse<T> {
  /** The parsed result, exactly what awaiting the call gives. */
  data: T;
  /** The raw response (the same object `onResponse` sees). */
  response: PipelineResponse;
  /** DigitalOcean's `x-request-id`: quote it to DigitalOcean support. */
  requestId: string | undefined;
  /** Rate-limit headroom from this response's `ratelimit-*` headers, when present. */
  rateLimit: RateLimit | undefined;
}

/** The two halves of one call: sending it (to a 2xx response) and reading that response's body. */
export interface Exchange<T> {
  /** Sends the request (at most once: the promise is kept) and resolves with the 2xx response. */
  readonly send: () => Promise<PipelineResponse>;
  /** Reads the response body into the call's result. */
  readonly read: (response: PipelineResponse) => Promise<T>;
}

/**
 * What every typed call returns: a `Promise` of the parsed result that also gives the raw response
 * on demand, from the same single request.
 *
 * - `await call` → the parsed result.
 * - `await call.withResponse()` → `{ data, response, requestId, rateLimit }`.
 * - `await call.asResponse()` → the `PipelineResponse`, its body not parsed (a binary or event
 *   stream stays unread for you to consume).
 *
 * The body is read only when the parsed result is asked for, and then once: `asResponse()` alone
 * leaves it alone, and `withResponse()` after `await` reuses the parsed result.
 */
export class APIPromise<T> extends Promise<T> {
  /**
   * Promises derived from this one are plain promises, not another call: built-in methods that make
   * new promises from a subclass instance use `constructor[Symbol.species]`.
   */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  readonly #exchange: Exchange<T>;
  #response: Promise<PipelineResponse> | undefined;
  #data: Promise<T> | undefined;

  /** Starts nothing by itself: the request is sent on the first `then`, `withResponse` or `asResponse`, unless `exchange.send` already sent it. */
  constructor(exchange: Exchange<T>) {
    // The base promise is never settled differently and never awaited: every method is overridden.
    super((resolve) => resolve(undefined as T));
    this.#exchange = exchange;
  }

  /** The raw 2xx response, its body not parsed; rejects as the call would (non-2xx, transport errors). */
  asResponse(): Promise<PipelineResponse> {
    this.#response ??= this.#exchange.send();
    return this.#response;
  }

  /** The parsed result and the response it came from, with its request id and rate-limit headroom. */
  async withResponse(): Promise<WithResponse<T>> {
    const response = await this.asResponse();
    return { data: await this.#parsed(), response, requestId: response.headers.get("x-request-id"), rateLimit: parseRateLimit(response) };
  }

  /** Resolves with the parsed result (as any promise's `then`). */
  override then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#parsed().then(onfulfilled, onrejected);
  }

  /** Handles the call's rejection (as any promise's `catch`). */
  override catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.#parsed().catch(onrejected);
  }

  /** Runs `onfinally` once the call settles (as any promise's `finally`). */
  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#parsed().finally(onfinally);
  }

  #parsed(): Promise<T> {
    this.#data ??= this.asResponse().then(this.#exchange.read);
    return this.#data;
  }
}
// `instanceof` holds for instances made by the other build (ESM or CommonJS) too: src/core/brand.ts.
brandClasses({ APIPromise });
