import type { KeyCredential, TokenCredential } from "@azure/core-auth";
import type { HttpClient, Pipeline, PipelinePolicy, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import type { Readable } from "node:stream";
import { actionIdsOf, waitForActions, type ActionReference, type WaitForActionOptions } from "./core/actions.js";
import { systemClock, type Clock } from "./core/clock.js";
import { delay } from "./core/delay.js";
import { closableClock, Lifetime, scheduleOf } from "./core/lifetime.js";
import { createOperationGroup, type OperationHost } from "./core/operation.js";
import { checkHeaders } from "./core/requestOptions.js";
import type { RecoverableCreateOptions } from "./core/recoverable.js";
import { decodeToken, pollerRows, TsdoPoller, type PollerName, type PollerResource, type ResourcePoller, type ResourcePollers } from "./core/poller.js";
import { PollSchedule } from "./core/pollSchedule.js";
import { createWaiters, pollCallOptions, type ResourceWaiters, type WaiterHost } from "./core/waitFor.js";
import type { AbortSignalLike } from "@azure/abort-controller";
import type { OperationServer } from "./core/operationSpec.js";
import { parseRateLimit, type RateLimitStatus } from "./core/rateLimit.js";
import type { Action } from "./models/index.js";
import type { OperationGroups } from "./operations/index.js";
import { operationGroups } from "./operations/tables.js";
import { ClientClosedError } from "./core/errors.js";
import { createTsdoPipeline, retryBudgetOf, type TsdoPipelineOptions } from "./pipeline/createPipeline.js";
import type { RetryBudget, RetryBudgetOptions } from "./pipeline/retryBudget.js";
import { NodeHttpClient } from "./pipeline/nodeHttpClient.js";
import { checkUserAgentPrefix } from "./pipeline/userAgentPolicy.js";
import { DeferredPipeline } from "./pipeline/deferredPipeline.js";
import { rateLimitPolicyName, type RateLimitPolicy } from "./pipeline/rateLimitPolicy.js";
import { bearerAuthPolicyName, type OriginCredential } from "./pipeline/bearerAuthPolicy.js";
import { isTokenCredential, toCredential } from "./credential.js";
import { brandClasses } from "./core/brand.js";

/** An action as `waitForAction` resolves with it: one that has completed. */
export type CompletedAction = Action & {
  /** Always `completed`: failures throw `ActionFailedError`. */
  status: "completed";
};

/** DigitalOcean's API host. */
export const DEFAULT_ENDPOINT = "https://api.digitalocean.com";
/** DigitalOcean's serverless inference host, where the `inference` operations are sent. */
export const DEFAULT_INFERENCE_ENDPOINT = "https://inference.do-ai.run";

/** Options of `GeneratedClient` and `DigitalOceanClient`. */
export interface GeneratedClientOptions extends Omit<TsdoPipelineOptions, "credential" | "endpoint" | "originCredentials" | "retryBudget"> {
  /** The API's base URL; default `https://api.digitalocean.com`. A path prefix (a proxy's) is kept. */
  endpoint?: string | undefined;
  /** Base URL of the serverless inference operations; default `https://inference.do-ai.run`. */
  inferenceEndpoint?: string | undefined;
  /** Model access key for the `inference` operations; sent only to `inferenceEndpoint`. */
  inferenceKey?: string | KeyCredential | TokenCredential | undefined;
  /** Base URL of your provisioned agent (`https://<agent-id>.agents.do-ai.run`), for `agentInference` operations. */
  agentEndpoint?: string | undefined;
  /** Your agent's access key; sent only to `agentEndpoint`. */
  agentKey?: string | KeyCredential | TokenCredential | undefined;
  /** The HTTP client to send with; by default tsdo's own keep-alive `NodeHttpClient`, one per tsdo client. */
  httpClient?: HttpClient | undefined;
  /**
   * How many polls a minute all of this client's waiters (`waitFor`, pollers, `waitForAction`) may
   * send together; default 120, about half of DigitalOcean's burst limit, the rest left for your calls.
   */
  waiterPollsPerMinute?: number | undefined;
  /**
   * The clock waiters and the rate limiter read and sleep on, and every request is tracked on;
   * default real time. `tsdo/testing`'s `fake.clock` plugs in here.
   */
  clock?: Clock | undefined;
  /** Headers sent with every request (a call's own `headers` win over these). */
  headers?: Record<string, string> | undefined;
  /** The client-wide retry quota (see `RetryBudget`); `false` turns it off. Default: 500 tokens, 5 per retry, 10 per retry after a timeout, 1 back per success. */
  retryBudget?: RetryBudgetOptions | false | undefined;
  /** Largest JSON or text body read, in bytes (default 64 MiB); more rejects with `ResponseTooLargeError`. Applies to the default `httpClient`. */
  maxResponseBytes?: number | undefined;
  /**
   * Makes every create that takes `tags` recoverable by default (a call's `recoverable` option
   * overrides it): see the README's "Exactly-once creates". Default false.
   */
  recoverableCreates?: boolean | RecoverableCreateOptions | undefined;
}

/**
 * What `withOptions` may change. `retryOptions` and `headers` are merged over the parent's, field
 * by field; `additionalPolicies` are added after the parent's.
 */
export type ClientOptionOverrides = Pick<GeneratedClientOptions, "timeoutInMs" | "retryOptions" | "userAgentPrefix" | "headers" | "additionalPolicies">;

/** What a client made by `withOptions` shares with its parent. */
interface Lineage {
  readonly root: GeneratedClient;
  readonly options: GeneratedClientOptions;
  readonly httpClient: HttpClient;
  readonly retryBudget: RetryBudget | undefined;
  /** The parent's bearer-auth policy (and so its token cache), unless the parent's pipeline no longer has it. */
  readonly authPolicy: PipelinePolicy | undefined;
}

/** Set only while `withOptions` constructs a child, which reads and clears it. */
let inheriting: Lineage | undefined;

/**
 * The client the generated operations hang off, as in pydo: a credential, an endpoint, a pipeline
 * of policies, `sendRequest` for anything tsdo does not cover, and one property per operation group
 * (`client.droplets`, `client.kubernetes`, …), each built on first access.
 */
export class GeneratedClient {
  /** The API base URL calls are resolved against (no trailing slash). */
  readonly endpoint: string;
  /** The policy pipeline every request goes through; remove or replace policies by their exported names. */
  readonly pipeline: Pipeline;
  readonly #httpClient: HttpClient;
  readonly #inferenceEndpoint: string;
  readonly #agentEndpoint: string | undefined;
  /** The client whose rate-limit reading and lifetime this one shares: itself, or its `withOptions` ancestor. */
  readonly #root: GeneratedClient;
  /** The options this client was made with, for `withOptions`. */
  readonly #options: GeneratedClientOptions;
  readonly #credential: TokenCredential | KeyCredential;
  readonly #headers: ReadonlyArray<readonly [string, string]>;
  /** The HTTP client tsdo made for this client (`close()` closes it), unless the caller passed one or it is inherited. */
  readonly #ownHttpClient: NodeHttpClient | undefined;
  readonly #retryBudget: RetryBudget | undefined;
  /** Ended by `close()` (this client's or its root's): every request and wait of the client listens to it. */
  readonly #lifetime: Lifetime;
  readonly #groups = new Map<string, ReturnType<typeof createOperationGroup>>();
  readonly #endpointOrigin: string;
  #rateLimitHeaders: PipelineResponse["headers"] | undefined;
  /** What the operation groups send through. */
  readonly #host: OperationHost;
  /** What waiters and pollers poll through: one schedule for all of them. */
  readonly #waiterHost: WaiterHost;
  /** Waiters sleep on it; every request is tracked on it, so a virtual clock waits for the answer. */
  readonly #clock: Clock;
  #waitFor: ResourceWaiters | undefined;
  #pollers: ResourcePollers | undefined;

  constructor(credential: TokenCredential | KeyCredential, options: GeneratedClientOptions = {}) {
    const lineage = inheriting;
    inheriting = undefined;
    if (!isTokenCredential(credential) && typeof (credential as KeyCredential | undefined)?.key !== "string") {
      throw new TypeError("GeneratedClient: the credential must be a TokenCredential or a KeyCredential (DigitalOceanClient also takes a token string)");
    }
    this.endpoint = normalizeBaseUrl(options.endpoint ?? DEFAULT_ENDPOINT, "endpoint");
    this.#endpointOrigin = new URL(this.endpoint).origin;
    this.#inferenceEndpoint = normalizeBaseUrl(options.inferenceEndpoint ?? DEFAULT_INFERENCE_ENDPOINT, "inferenceEndpoint");
    this.#agentEndpoint = options.agentEndpoint === undefined ? undefined : normalizeBaseUrl(options.agentEndpoint, "agentEndpoint");
    this.#root = lineage?.root ?? this;
    this.#lifetime = lineage ? new Lifetime(lineage.root.#lifetime) : new Lifetime();
    this.#options = options;
    this.#credential = credential;
    this.#headers = options.headers === undefined ? [] : checkHeaders(options.headers, 'The client option "headers"');
    checkUserAgentPrefix(options.userAgentPrefix);
    this.#ownHttpClient = lineage === undefined && options.httpClient === undefined ? new NodeHttpClient({ maxResponseBytes: options.maxResponseBytes }) : undefined;
    this.#httpClient = lineage?.httpClient ?? options.httpClient ?? (this.#ownHttpClient as NodeHttpClient);
    this.#retryBudget = lineage ? lineage.retryBudget : retryBudgetOf(options.retryBudget);
    const originCredentials: OriginCredential[] = [];
    if (options.inferenceKey !== undefined) originCredentials.push({ endpoint: this.#inferenceEndpoint, credential: toCredential(options.inferenceKey, "inferenceKey") });
    if (options.agentKey !== undefined) {
      if (this.#agentEndpoint === undefined) throw new TypeError('The client option "agentKey" needs "agentEndpoint", the agent\'s URL it is sent to');
      originCredentials.push({ endpoint: this.#agentEndpoint, credential: toCredential(options.agentKey, "agentKey") });
    }
    this.pipeline = createTsdoPipeline({
      ...options,
      credential,
      endpoint: this.endpoint,
      originCredentials,
      retryBudget: this.#retryBudget ?? false,
      authPolicy: lineage?.authPolicy,
    });
    this.#host = {
      sendRequest: (request) => this.sendRequest(request),
      baseUrlFor: (server, operationId) => this.#baseUrlFor(server, operationId),
      recoverableCreates: options.recoverableCreates,
      deleteTag: (name, callOptions) => this.tags.delete(name, callOptions),
      // Lookups are spaced in real time (they are requests, not polls), but close() ends the wait.
      sleep: (ms, signal) => this.#lifetime.guard(signal, (linked) => delay(ms, linked)),
    };
    // Waiters sleep on a clock whose sleeps close() ends. A withOptions child polls on its root's
    // schedule (one rate budget for the whole family), with waits that end when either is closed.
    const clock = (this.#clock = closableClock(options.clock ?? systemClock, this.#lifetime));
    this.#waiterHost = {
      group: (name) => (this as unknown as Record<string, WaiterHostGroup>)[name]!,
      tables: operationGroups,
      context: {
        schedule: lineage ? scheduleOf(lineage.root.#waiterHost.context.schedule, clock, this.#lifetime) : new PollSchedule(clock, options.waiterPollsPerMinute),
      },
    };
  }

  /**
   * Waiters for what DigitalOcean builds: `await client.waitFor.kubernetesCluster(id)` resolves with
   * the cluster once it is `running`, or throws `WaitFailedError` / `WaitTimeoutError`.
   */
  get waitFor(): ResourceWaiters {
    return (this.#waitFor ??= createWaiters(this.#waiterHost));
  }

  /**
   * Pollers for creates that start long work, in core-lro's `PollerLike` manner:
   * `const poller = client.pollers.kubernetesCluster(client.kubernetes.createCluster(body))`.
   */
  get pollers(): ResourcePollers {
    return (this.#pollers ??= Object.fromEntries(
      (Object.keys(pollerRows) as PollerName[]).map((name) => [
        name,
        (create: unknown, ...parentIds: unknown[]) => new TsdoPoller(this.#waiterHost, { name, create, parentIds, endpoint: this.endpoint }),
      ]),
    ) as unknown as ResourcePollers);
  }

  /**
   * Continues a poller from its `serialize()` token, e.g. in another process after a restart, on a
   * client with the same `endpoint`. Name the poller the token came from
   * (`client.resumePoller(token, "droplet")`) and it resolves with that resource, typed; a token of
   * another poller is refused. A token that is damaged, forged, made on another endpoint or by
   * another poller than the one named throws `InvalidTokenError` before anything is sent.
   */
  resumePoller<N extends PollerName>(token: string, name: N): ResourcePoller<undefined, PollerResource<N>>;
  resumePoller<TResource = unknown>(token: string): ResourcePoller<undefined, TResource>;
  resumePoller(token: string, name?: PollerName): ResourcePoller<undefined, unknown> {
    return new TsdoPoller(this.#waiterHost, { token: decodeToken(token, this.endpoint, name) });
  }

  /**
   * Rate-limit headroom from the latest response that carried DigitalOcean's `ratelimit-*` headers
   * (shared with `withOptions` clients), with the rate limiter's local view (calls queued, next free
   * slot); `undefined` before then.
   */
  get rateLimit(): RateLimitStatus | undefined {
    // Parsed on demand: the hot path only keeps a reference to the headers.
    const headers = this.#root.#rateLimitHeaders;
    const reading = headers && parseRateLimit({ headers });
    if (reading === undefined) return undefined;
    const limiter = this.pipeline.getOrderedPolicies().find((policy) => policy.name === rateLimitPolicyName) as RateLimitPolicy | undefined;
    return { ...reading, ...(limiter?.view() ?? { queued: 0, nextFreeSlotAt: new Date() }) };
  }

  /** The client-wide retry quota, shared with `withOptions` clients: `available` tokens, `capacity`, `refusedRetries`. `undefined` when off. */
  get retryBudget(): RetryBudget | undefined {
    return this.#retryBudget;
  }

  /**
   * A client with some options changed — timeouts, retries, user agent prefix, extra headers,
   * additional policies — that shares this one's credential, HTTP client (so its connection pool),
   * retry budget and rate-limit reading. This client is unchanged. Cheap enough to call per request.
   * Closing the child stops only the child; closing this client stops its children too.
   */
  withOptions(overrides: ClientOptionOverrides): this {
    if (typeof overrides !== "object" || overrides === null) throw new TypeError("withOptions: options must be an object");
    for (const key of Object.keys(overrides)) {
      if (!OVERRIDABLE.has(key)) throw new TypeError(`withOptions: "${key}" cannot be changed (expected one of: ${[...OVERRIDABLE].join(", ")})`);
    }
    const parent = this.#options;
    const options: GeneratedClientOptions = {
      ...parent,
      ...overrides,
      retryOptions: { ...parent.retryOptions, ...overrides.retryOptions },
      headers: { ...parent.headers, ...overrides.headers },
      additionalPolicies: [...(parent.additionalPolicies ?? []), ...(overrides.additionalPolicies ?? [])],
    };
    const authPolicy = policyNamed(this.pipeline, bearerAuthPolicyName);
    inheriting = { root: this.#root, options, httpClient: this.#httpClient, retryBudget: this.#retryBudget, authPolicy };
    try {
      return new (this.constructor as new (credential: TokenCredential | KeyCredential, options: GeneratedClientOptions) => this)(this.#credential, options);
    } finally {
      inheriting = undefined;
    }
  }

  /**
   * Stops the client (pydo's `close()`) at once: everything it is waiting on rejects with
   * `ClientClosedError` — calls on the wire, retry waits (a 503's `Retry-After`, backoff), calls
   * queued in the rate limiter, waiters' and pollers' sleeps — and so does every later call, without
   * a request. The sockets of the HTTP client tsdo made for it are closed (an `httpClient` you passed
   * is yours to close; its calls are aborted through their signals). Closing a `withOptions` child
   * stops only the child's calls and waits; closing this client stops its children's too.
   * Also runs at the end of an `await using` block.
   */
  async close(): Promise<void> {
    this.#lifetime.close();
    this.#ownHttpClient?.close();
  }

  /** `await using client = new DigitalOceanClient(…)` closes the client when the block ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Sends any request through the client's pipeline (auth, retries, timeouts, logging) and returns
   * the raw response, whatever its status. A URL starting with `/` is resolved against `endpoint`.
   */
  sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    // Retries and their waits included: a virtual clock does not move while a call is under way.
    return this.#clock.track(this.#send(request));
  }

  async #send(request: PipelineRequest): Promise<PipelineResponse> {
    const lifetime = this.#lifetime;
    if (lifetime.closed) throw new ClientClosedError();
    if (request.url.startsWith("/")) request.url = this.endpoint + request.url;
    for (const [name, value] of this.#headers) if (!request.headers.has(name)) request.headers.set(name, value);
    // The request is lent a signal that close() fires too, so that the retry policy's waits, the
    // rate limiter's queue and the transport end with the client; the caller's is restored after.
    const callerSignal = request.abortSignal;
    const link = lifetime.link(callerSignal);
    request.abortSignal = link.signal;
    let response: PipelineResponse;
    try {
      response = await this.pipeline.sendRequest(this.#httpClient, request);
    } catch (error) {
      link.release();
      // A 429 that asks for too long a wait is thrown by the retry policy; its headers still count.
      this.#noteRateLimit((error as { response?: PipelineResponse }).response);
      // Whatever a close() cut short failed with (an AbortError, a destroyed socket), the cause is the close.
      throw lifetime.closed ? new ClientClosedError() : error;
    } finally {
      request.abortSignal = callerSignal;
    }
    // A streamed body stays guarded by the caller's signal and by close() until it is done.
    const body = response.readableStreamBody as Readable | undefined;
    if (body === undefined || body.destroyed) link.release();
    else body.once("close", link.release);
    this.#noteRateLimit(response);
    return response;
  }

  #noteRateLimit(response: PipelineResponse | undefined): void {
    // Only the API's own count: the inference host and redirect targets have limits of their own.
    if (response?.headers.has("ratelimit-limit") && isUnder(response.request.url, this.#endpointOrigin)) this.#root.#rateLimitHeaders = response.headers;
  }

  /**
   * Polls `GET /v2/actions/{id}` until the action is `completed` (resolving with it) or `errored`
   * (throwing `ActionFailedError`). Accepts an action, its id, or the `links.actions` array that
   * create calls return (then resolves with every action, in order).
   */
  waitForAction(action: number | { readonly id?: number | undefined }, options?: WaitForActionOptions<Action>): Promise<CompletedAction>;
  waitForAction(actions: ReadonlyArray<{ readonly id?: number | undefined }>, options?: WaitForActionOptions<Action>): Promise<CompletedAction[]>;
  async waitForAction(reference: ActionReference, options?: WaitForActionOptions<Action>): Promise<CompletedAction | CompletedAction[]> {
    const ids = actionIdsOf(reference);
    const read = async (id: number, abortSignal: AbortSignalLike): Promise<Action> => (await this.actions.get(id, pollCallOptions(abortSignal))).action as Action;
    // waitForActions resolves only once every action is `completed`.
    const actions = (await waitForActions<Action>(read, ids, options, this.#waiterHost.context)) as CompletedAction[];
    return Array.isArray(reference) ? actions : (actions[0] as CompletedAction);
  }

  // One getter per operation group on the prototype: a group's methods are built on its first
  // access and kept in a map, so constructing a client builds none. (A map, not a property defined
  // on the instance: that costs V8 a shape change per client, ~20 µs, which per-request
  // `withOptions` clients would pay for every group they use.)
  static {
    for (const name of Object.keys(operationGroups) as (keyof typeof operationGroups)[]) {
      Object.defineProperty(this.prototype, name, {
        configurable: true,
        enumerable: false,
        get(this: GeneratedClient) {
          let group = this.#groups.get(name);
          if (group === undefined) this.#groups.set(name, (group = createOperationGroup(this.#host, operationGroups[name])));
          return group;
        },
      });
    }
  }

  #baseUrlFor(server: OperationServer | undefined, operationId: string): string {
    if (server === undefined) return this.endpoint;
    if (server === "inference") return this.#inferenceEndpoint;
    if (server === "agent") {
      if (this.#agentEndpoint === undefined) {
        throw new TypeError(`${operationId}: set the client option "agentEndpoint" to your agent's URL (https://<agent-id>.agents.do-ai.run)`);
      }
      return this.#agentEndpoint;
    }
    throw new TypeError(`${operationId}: the "${server}" server takes its URL from the call`);
  }
}
// `instanceof` holds for instances made by the other build (ESM or CommonJS) too: src/core/brand.ts.
brandClasses({ GeneratedClient });

type WaiterHostGroup = ReturnType<WaiterHost["group"]>;

// Declaration merging gives the class one typed property per operation group; the static block
// in the class defines their getters.
export interface GeneratedClient extends OperationGroups {}

const OVERRIDABLE: ReadonlySet<string> = new Set<keyof ClientOptionOverrides>(["timeoutInMs", "retryOptions", "userAgentPrefix", "headers", "additionalPolicies"]);

/** True when `url` is on `origin`: the origin followed by a path, or nothing. */
function isUnder(url: string, origin: string): boolean {
  return url.startsWith(origin) && (url.length === origin.length || url[origin.length] === "/");
}

function normalizeBaseUrl(value: string, option: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value is not echoed: it may hold a password.
    throw new TypeError(`The client option "${option}" is not a valid URL`);
  }
  // A password in the URL would be shown by client.endpoint and in errors, and sent as Basic auth.
  if (url.username !== "" || url.password !== "") throw new TypeError(`The client option "${option}" may not contain a user name or password`);
  if (url.search !== "" || url.hash !== "") throw new TypeError(`The client option "${option}" may not have a query or fragment`);
  return url.href.replace(/\/+$/, "");
}

/** A pipeline's policy by name; tsdo's own pipeline answers before its first request loads core. */
function policyNamed(pipeline: Pipeline, name: string): PipelinePolicy | undefined {
  if (pipeline instanceof DeferredPipeline) return pipeline.findPolicy(name);
  return pipeline.getOrderedPolicies().find((policy) => policy.name === name);
}
