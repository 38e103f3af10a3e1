import { isTokenCredential, type KeyCredential, type TokenCredential } from "@azure/core-auth";
import { type HttpClient, type Pipeline, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { actionIdsOf, waitForActions, type ActionReference, type WaitForActionOptions } from "./core/actions.js";
import { createOperationGroup, type OperationHost } from "./core/operation.js";
import type { OperationServer } from "./core/operationSpec.js";
import { parseRateLimit, type RateLimitStatus } from "./core/rateLimit.js";
import type { Action } from "./models/index.js";
import { operationGroups, type OperationGroups } from "./operations/index.js";
import { createTsdoPipeline, type TsdoPipelineOptions } from "./pipeline/createPipeline.js";
import { NodeHttpClient } from "./pipeline/nodeHttpClient.js";
import { rateLimitPolicyName, type RateLimitPolicy } from "./pipeline/rateLimitPolicy.js";
import type { OriginCredential } from "./pipeline/bearerAuthPolicy.js";
import { toCredential } from "./credential.js";

/** An action as `waitForAction` resolves with it: one that has completed. */
export type CompletedAction = Action & { status: "completed" };

/** DigitalOcean's API host. */
export const DEFAULT_ENDPOINT = "https://api.digitalocean.com";
/** DigitalOcean's serverless inference host, where the `inference` operations are sent. */
export const DEFAULT_INFERENCE_ENDPOINT = "https://inference.do-ai.run";

/** Options of `GeneratedClient` and `DigitalOceanClient`. */
export interface GeneratedClientOptions extends Omit<TsdoPipelineOptions, "credential" | "endpoint" | "originCredentials"> {
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
}

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
  #rateLimitHeaders: PipelineResponse["headers"] | undefined;
  /** What the operation groups send through. */
  readonly #host: OperationHost;

  constructor(credential: TokenCredential | KeyCredential, options: GeneratedClientOptions = {}) {
    if (!isTokenCredential(credential) && typeof (credential as KeyCredential | undefined)?.key !== "string") {
      throw new TypeError("GeneratedClient: the credential must be a TokenCredential or a KeyCredential (DigitalOceanClient also takes a token string)");
    }
    this.endpoint = normalizeBaseUrl(options.endpoint ?? DEFAULT_ENDPOINT, "endpoint");
    this.#inferenceEndpoint = normalizeBaseUrl(options.inferenceEndpoint ?? DEFAULT_INFERENCE_ENDPOINT, "inferenceEndpoint");
    this.#agentEndpoint = options.agentEndpoint === undefined ? undefined : normalizeBaseUrl(options.agentEndpoint, "agentEndpoint");
    this.#httpClient = options.httpClient ?? new NodeHttpClient();
    const originCredentials: OriginCredential[] = [];
    if (options.inferenceKey !== undefined) originCredentials.push({ endpoint: this.#inferenceEndpoint, credential: toCredential(options.inferenceKey, "inferenceKey") });
    if (options.agentKey !== undefined) {
      if (this.#agentEndpoint === undefined) throw new TypeError('The client option "agentKey" needs "agentEndpoint", the agent\'s URL it is sent to');
      originCredentials.push({ endpoint: this.#agentEndpoint, credential: toCredential(options.agentKey, "agentKey") });
    }
    this.pipeline = createTsdoPipeline({ ...options, credential, endpoint: this.endpoint, originCredentials });
    this.#host = {
      sendRequest: (request) => this.sendRequest(request),
      baseUrlFor: (server, operationId) => this.#baseUrlFor(server, operationId),
    };
  }

  /**
   * Rate-limit headroom from the latest response that carried DigitalOcean's `ratelimit-*` headers,
   * with the rate limiter's local view (calls queued, next free slot); `undefined` before then.
   */
  get rateLimit(): RateLimitStatus | undefined {
    // Parsed on demand: the hot path only keeps a reference to the headers.
    const reading = this.#rateLimitHeaders && parseRateLimit({ headers: this.#rateLimitHeaders });
    if (reading === undefined) return undefined;
    const limiter = this.pipeline.getOrderedPolicies().find((policy) => policy.name === rateLimitPolicyName) as RateLimitPolicy | undefined;
    return { ...reading, ...(limiter?.view() ?? { queued: 0, nextFreeSlotAt: new Date() }) };
  }

  /**
   * Sends any request through the client's pipeline (auth, retries, timeouts, logging) and returns
   * the raw response, whatever its status. A URL starting with `/` is resolved against `endpoint`.
   */
  async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    if (request.url.startsWith("/")) request.url = this.endpoint + request.url;
    let response: PipelineResponse;
    try {
      response = await this.pipeline.sendRequest(this.#httpClient, request);
    } catch (error) {
      // A 429 that asks for too long a wait is thrown by the retry policy; its headers still count.
      this.#noteRateLimit((error as { response?: PipelineResponse }).response);
      throw error;
    }
    this.#noteRateLimit(response);
    return response;
  }

  #noteRateLimit(response: PipelineResponse | undefined): void {
    if (response?.headers.has("ratelimit-limit")) this.#rateLimitHeaders = response.headers;
  }

  /**
   * Polls `GET /v2/actions/{id}` until the action is `completed` (resolving with it) or `errored`
   * (throwing `ActionFailedError`). Accepts an action, its id, or the `links.actions` array that
   * create calls return (then resolves with every action, in order).
   */
  waitForAction(action: number | { readonly id?: number }, options?: WaitForActionOptions<Action>): Promise<CompletedAction>;
  waitForAction(actions: ReadonlyArray<{ readonly id?: number }>, options?: WaitForActionOptions<Action>): Promise<CompletedAction[]>;
  async waitForAction(reference: ActionReference, options?: WaitForActionOptions<Action>): Promise<CompletedAction | CompletedAction[]> {
    const ids = actionIdsOf(reference);
    const read = async (id: number, abortSignal: WaitForActionOptions["abortSignal"]): Promise<Action> =>
      (await this.actions.get(id, { abortSignal, priority: "background" })).action as Action;
    // waitForActions resolves only once every action is `completed`.
    const actions = (await waitForActions<Action>(read, ids, options)) as CompletedAction[];
    return Array.isArray(reference) ? actions : (actions[0] as CompletedAction);
  }

  // One getter per operation group on the prototype: a group's methods are built on its first
  // access and cached on the instance, so constructing a client builds none.
  static {
    for (const [name, table] of Object.entries(operationGroups)) {
      Object.defineProperty(this.prototype, name, {
        configurable: true,
        enumerable: false,
        get(this: GeneratedClient) {
          const group = createOperationGroup(this.#host, table);
          Object.defineProperty(this, name, { value: group, enumerable: false });
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

// Declaration merging gives the class one typed property per operation group; the static block
// in the class defines their getters.
export interface GeneratedClient extends OperationGroups {}

function normalizeBaseUrl(value: string, option: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`The client option "${option}" is not a valid URL: ${JSON.stringify(value)}`);
  }
  if (url.search !== "" || url.hash !== "") throw new TypeError(`The client option "${option}" may not have a query or fragment`);
  return url.href.replace(/\/+$/, "");
}
