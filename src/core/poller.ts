import type { AbortSignalLike } from "@azure/abort-controller";
import type { CancelOnProgress, OperationState, PollerLike } from "@azure/core-lro";
import { acceptors, valueAt } from "./acceptors.js";
import { onAbort } from "./abortListener.js";
import { AbortError, InvalidTokenError, NotFoundError } from "./errors.js";
import { DEFAULT_NOT_FOUND_GRACE_IN_MS, waitUntilDone, type PollTarget, type WaitOptions } from "./waiter.js";
import { targetFor, type GetterOf, type IdsOf, type WaitedResource, type WaiterHost } from "./waitFor.js";

/**
 * The creates that get a poller: which waiter finishes them, and where the `get`'s ids are (`$0`
 * is the first parent id passed to the factory, the rest are paths in the create's answer).
 */
export const pollerRows: { readonly [N in keyof PollerWaiters]: { readonly waiter: PollerWaiters[N]; readonly ids: readonly string[] } } = {
  droplet: { waiter: "droplet", ids: ["droplet.id"] },
  volume: { waiter: "volume", ids: ["volume.id"] },
  databaseCluster: { waiter: "databaseCluster", ids: ["database.id"] },
  databaseReplica: { waiter: "databaseReplica", ids: ["$0", "replica.name"] },
  kubernetesCluster: { waiter: "kubernetesCluster", ids: ["kubernetes_cluster.id"] },
  nodePool: { waiter: "nodePool", ids: ["$0", "node_pool.id"] },
  app: { waiter: "app", ids: ["app.id"] },
  appDeployment: { waiter: "appDeployment", ids: ["$0", "deployment.id"] },
  loadBalancer: { waiter: "loadBalancer", ids: ["load_balancer.id"] },
  certificate: { waiter: "certificate", ids: ["certificate.id"] },
  vpcPeering: { waiter: "vpcPeering", ids: ["vpc_peering.id"] },
};

/** Which waiter finishes each poller's create. */
export interface PollerWaiters {
  /** `client.pollers.droplet(client.droplets.create(…))` */
  droplet: "droplet";
  /** `client.pollers.volume(client.volumes.create(…))` */
  volume: "volume";
  /** `client.pollers.databaseCluster(client.databases.createCluster(…))` */
  databaseCluster: "databaseCluster";
  /** `client.pollers.databaseReplica(client.databases.createReplica(clusterId, …), clusterId)` */
  databaseReplica: "databaseReplica";
  /** `client.pollers.kubernetesCluster(client.kubernetes.createCluster(…))` */
  kubernetesCluster: "kubernetesCluster";
  /** `client.pollers.nodePool(client.kubernetes.addNodePool(clusterId, …), clusterId)` */
  nodePool: "nodePool";
  /** `client.pollers.app(client.apps.create(…))` */
  app: "app";
  /** `client.pollers.appDeployment(client.apps.createDeployment(appId, …), appId)` */
  appDeployment: "appDeployment";
  /** `client.pollers.loadBalancer(client.loadBalancers.create(…))` */
  loadBalancer: "loadBalancer";
  /** `client.pollers.certificate(client.certificates.create(…))` */
  certificate: "certificate";
  /** `client.pollers.vpcPeering(client.vpcPeerings.create(…))` */
  vpcPeering: "vpcPeering";
}

/** The name of a poller factory on `client.pollers`. */
export type PollerName = keyof PollerWaiters;

/** A poller's state as core-lro defines it, plus the resource as last read. */
export interface ResourcePollerState<TResource> extends OperationState<TResource> {
  /** The resource at the latest poll, ready or not. */
  resource?: TResource | undefined;
}

/** Options of `pollUntilDone`: core-lro's `abortSignal` and the waiter's options. */
export type PollUntilDoneOptions<TResource> = Omit<WaitOptions<TResource>, "onPoll" | "notFoundGraceInMs">;

/** A tuple without its last element. */
export type DropLast<T extends readonly unknown[]> = T extends readonly [...infer Rest, unknown] ? Rest : [];
/** The resource a poller resolves with: its waiter's resource. */
export type PollerResource<N extends PollerName> = WaitedResource<PollerWaiters[N]>;
/** The parent ids a poller factory takes after the create (a node pool's cluster id). */
export type ParentIdsOf<N extends PollerName> = DropLast<IdsOf<GetterOf<PollerWaiters[N]>>>;

/** `client.pollers.<name>(create, …parentIds)`: a poller for a create that starts long work. */
export type PollerFactory<N extends PollerName> = <TInitial>(create: TInitial | PromiseLike<TInitial>, ...parentIds: ParentIdsOf<N>) => ResourcePoller<TInitial, PollerResource<N>>;

/** `client.pollers`: one factory per create that starts long work. */
export type ResourcePollers = { readonly [N in PollerName]: PollerFactory<N> };

const TOKEN_PREFIX = "tsdo.poller.v2.";
/** Tokens of tsdo 0.1.0 name no endpoint, so nothing tells which API their ids belong to. */
const UNBOUND_TOKEN_PREFIX = "tsdo.poller.v1.";
/** Longest poller token read: a real one is a few hundred characters, a forged one may be megabytes. */
export const MAX_POLLER_TOKEN_LENGTH = 4096;
/** What a token's string id may be: a UUID, a name; dots only between other characters, so never a dot segment. */
const PLAIN_ID = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;
const MAX_ID_LENGTH = 255;

/** What a token holds: the poller's name, the `get`'s ids, when the create answered and the client endpoint it was made on. No secrets. */
export interface TokenData {
  readonly name: PollerName;
  readonly ids: readonly (string | number)[];
  readonly createdAt: number;
  readonly endpoint: string;
}

/**
 * A long-running create as core-lro's `PollerLike`: awaitable (it is `pollUntilDone()`),
 * `onProgress`, `serialize()` / `toString()` to a small token that `client.resumePoller(token)`
 * continues in another process. The create's own answer stays in `initialResponse` (a database's
 * password is only there); tokens never carry it. Stopping a poller (an abort) never cancels the
 * resource's work.
 */
export interface ResourcePoller<TInitial, TResource> extends PollerLike<ResourcePollerState<TResource>, TResource> {
  /** The create call's answer (`undefined` for a resumed poller: tokens do not carry it). */
  readonly initialResponse: TInitial | undefined;
  /** Polls until the resource is ready (resolving with it) or fails; an abort stops polling, not the resource. */
  pollUntilDone(options?: PollUntilDoneOptions<TResource>): Promise<TResource>;
  /** The token, synchronously; throws before the create answered (`await poller.submitted()` first). */
  toString(): string;
}

/** The one implementation of `ResourcePoller`, made by `client.pollers.*` and `client.resumePoller`. */
export class TsdoPoller<TInitial, TResource> implements ResourcePoller<TInitial, TResource> {
  readonly #host: WaiterHost;
  readonly #submitted: Promise<TokenData>;
  #token: TokenData | undefined;
  #initialResponse: TInitial | undefined;
  #state: ResourcePollerState<TResource> | undefined;
  #done: Promise<TResource> | undefined;
  readonly #progress = new Set<(state: ResourcePollerState<TResource>) => void>();

  constructor(host: WaiterHost, source: { name: PollerName; create: TInitial | PromiseLike<TInitial>; parentIds: readonly unknown[]; endpoint: string } | { token: TokenData }) {
    this.#host = host;
    const clock = host.context.schedule.clock;
    if ("token" in source) {
      // A creation time ahead of this client's clock (a clock set wrong, a forged token) would
      // stretch the 404 grace; from here it is at most DEFAULT_NOT_FOUND_GRACE_IN_MS.
      const token = { ...source.token, createdAt: Math.min(source.token.createdAt, clock.now()) };
      this.#token = token;
      this.#submitted = Promise.resolve(token);
    } else {
      this.#submitted = Promise.resolve(source.create).then((initial) => {
        this.#initialResponse = initial;
        this.#token = tokenFrom(source.name, initial, source.parentIds, clock.now(), source.endpoint);
        return this.#token;
      });
      this.#submitted.catch(() => undefined); // surfaced by submitted() and pollUntilDone()
    }
  }

  /** The create call's answer (`undefined` for a resumed poller: tokens do not carry it). */
  get initialResponse(): TInitial | undefined {
    return this.#initialResponse;
  }

  /** @inheritdoc */
  get isDone(): boolean {
    return this.#state?.status === "succeeded" || this.#state?.status === "failed";
  }

  /** @inheritdoc */
  get operationState(): ResourcePollerState<TResource> | undefined {
    return this.#state;
  }

  /** @inheritdoc */
  get result(): TResource | undefined {
    return this.#state?.result;
  }

  /** Resolves once the create answered (rejects with its error). */
  async submitted(): Promise<void> {
    await this.#submitted;
  }

  /** Reads the resource once and updates `operationState`. */
  async poll(options: { abortSignal?: AbortSignalLike | undefined } = {}): Promise<ResourcePollerState<TResource>> {
    const token = await this.#submitted;
    const target = this.#target(token);
    if (options.abortSignal?.aborted) throw new AbortError();
    const controller = new AbortController();
    // One listener per signal, however many polls share it (src/core/abortListener.ts).
    const unsubscribe = options.abortSignal ? onAbort(options.abortSignal, () => controller.abort()) : undefined;
    try {
      const resource = (await target.read(controller.signal)) as TResource;
      const { verdict } = target.judge(resource);
      this.#update({ status: verdict === "success" ? "succeeded" : verdict === "failure" ? "failed" : "running", resource, ...(verdict === "success" ? { result: resource } : {}) });
    } catch (error) {
      const inGrace = this.#host.context.schedule.clock.now() < token.createdAt + DEFAULT_NOT_FOUND_GRACE_IN_MS;
      if (!(error instanceof NotFoundError) || !inGrace) throw error;
      this.#update({ status: "running" });
    } finally {
      unsubscribe?.();
    }
    return this.#state!;
  }

  /** Polls until the resource is ready (resolving with it) or fails; an abort stops polling, not the resource. */
  async pollUntilDone(options: PollUntilDoneOptions<TResource> = {}): Promise<TResource> {
    const token = await this.#submitted;
    if (this.#state?.status === "succeeded") return this.#state.result as TResource;
    const row = acceptors[pollerRows[token.name].waiter];
    try {
      const [resource] = await waitUntilDone([this.#target(token)], { ...options, onPoll: (value) => this.#update({ status: "running", resource: value as TResource }) }, {
        ...this.#host.context,
        defaultTimeoutInMs: row.timeoutInMs,
        createdAt: token.createdAt,
      });
      this.#update({ status: "succeeded", resource: resource as TResource, result: resource as TResource });
      return resource as TResource;
    } catch (error) {
      if (error instanceof Error && error.name === "WaitFailedError") this.#update({ ...this.#state, status: "failed", error });
      throw error;
    }
  }

  /** @inheritdoc */
  onProgress(callback: (state: ResourcePollerState<TResource>) => void): CancelOnProgress {
    this.#progress.add(callback);
    return () => this.#progress.delete(callback);
  }

  /** The token for `client.resumePoller`, once the create answered. */
  async serialize(): Promise<string> {
    return encodeToken(await this.#submitted);
  }

  /** The token, synchronously; throws before the create answered (`await poller.submitted()` first). */
  toString(): string {
    if (this.#token === undefined) throw new Error("The create has not answered yet: await poller.submitted() before toString()");
    return encodeToken(this.#token);
  }

  // Awaiting the poller awaits pollUntilDone(), once.
  /** @inheritdoc */
  then<TResult1 = TResource, TResult2 = never>(
    onfulfilled?: ((value: TResource) => TResult1 | PromiseLike<TResult1>) | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    this.#done ??= this.pollUntilDone();
    return this.#done.then(onfulfilled, onrejected);
  }

  /** @inheritdoc */
  catch<TResult = never>(onrejected?: ((reason: unknown) => TResult | PromiseLike<TResult>) | null): Promise<TResource | TResult> {
    return this.then(undefined, onrejected);
  }

  /** @inheritdoc */
  finally(onfinally?: (() => void) | null): Promise<TResource> {
    return this.then().finally(onfinally);
  }

  /** @inheritdoc */
  readonly [Symbol.toStringTag] = "ResourcePoller";

  #target(token: TokenData): PollTarget<TResource> {
    return targetFor(this.#host, pollerRows[token.name].waiter, token.ids) as PollTarget<TResource>;
  }

  #update(state: ResourcePollerState<TResource>): void {
    this.#state = state;
    for (const callback of this.#progress) callback(state);
  }
}

function tokenFrom(name: PollerName, initial: unknown, parentIds: readonly unknown[], createdAt: number, endpoint: string): TokenData {
  const ids = pollerRows[name].ids.map((path) => (path.startsWith("$") ? parentIds[Number(path.slice(1))] : valueAt(initial, path)));
  if (ids.some((id) => (typeof id !== "string" || id === "") && typeof id !== "number")) {
    throw new TypeError(`pollers.${name}: the create's answer (or the parent ids given) lack ${pollerRows[name].ids.join(", ")}`);
  }
  // The poller never makes a token that resumePoller would refuse.
  if (!ids.every(isPlainId)) throw new TypeError(`pollers.${name}: the create's answer (or the parent ids given) hold an id that is not a positive integer or a plain id`);
  return { name, ids: ids as (string | number)[], createdAt, endpoint };
}

function encodeToken(token: TokenData): string {
  return TOKEN_PREFIX + Buffer.from(JSON.stringify({ n: token.name, i: token.ids, c: token.createdAt, e: token.endpoint })).toString("base64url");
}

/** A positive safe integer, or a short string of letters, digits, `-`, `_` and inner dots: nothing that changes a URL path. */
function isPlainId(id: unknown): boolean {
  if (typeof id === "number") return Number.isSafeInteger(id) && id > 0;
  return typeof id === "string" && id.length <= MAX_ID_LENGTH && PLAIN_ID.test(id);
}

/**
 * Reads a token from `serialize()`, checked whole before anything is sent: its size, its poller
 * (`expected`'s, when the caller names one), the number and form of its ids, its creation time,
 * and that it was made on `endpoint` (this client's). Anything else is an `InvalidTokenError` that
 * names what is wrong, never the token's text.
 */
export function decodeToken(token: unknown, endpoint: string, expected?: PollerName): TokenData {
  const refuse = (problem: string): never => {
    throw new InvalidTokenError(`resumePoller: ${problem}`, "poller");
  };
  if (expected !== undefined && (typeof expected !== "string" || !Object.hasOwn(pollerRows, expected))) {
    throw new TypeError(`resumePoller: the poller name must be one of ${Object.keys(pollerRows).join(", ")}`);
  }
  if (typeof token !== "string") return refuse("the token must be a string from poller.serialize()");
  if (token.length > MAX_POLLER_TOKEN_LENGTH) return refuse(`the token is longer than ${MAX_POLLER_TOKEN_LENGTH} characters; a poller token is a few hundred`);
  if (token.startsWith(UNBOUND_TOKEN_PREFIX)) return refuse(`the token is a ${UNBOUND_TOKEN_PREFIX} token, which names no endpoint; wait with client.waitFor and the resource's ids instead`);
  if (!token.startsWith(TOKEN_PREFIX)) return refuse(`not a tsdo poller token (they start with ${TOKEN_PREFIX})`);
  const payload = token.slice(TOKEN_PREFIX.length);
  let data: unknown;
  try {
    // Buffer skips characters that are not base64url: checked first, so a damaged token is not half-read.
    if (!/^[A-Za-z0-9_-]+$/.test(payload)) throw new SyntaxError("not base64url");
    data = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return refuse("the token is damaged (not base64url JSON)");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return refuse("the token is damaged (not an object)");
  const { n: name, i: ids, c: createdAt, e: madeOn, ...rest } = data as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return refuse("the token has fields a poller token does not have");
  if (typeof name !== "string" || !Object.hasOwn(pollerRows, name)) return refuse("the token names no known poller");
  // The caller's type says which resource comes back: a token of another poller would make it lie.
  if (expected !== undefined && name !== expected) return refuse(`the token is a ${name} poller's, not a ${expected} poller's`);
  const idCount = pollerRows[name as PollerName].ids.length;
  // The count first: a token with 100,000 ids is refused without reading them.
  if (!Array.isArray(ids) || ids.length !== idCount) return refuse(`a ${name} token holds ${idCount} id(s); this one holds ${Array.isArray(ids) ? ids.length : "none"}`);
  if (!ids.every(isPlainId)) return refuse(`the token's ids are damaged: each is a positive integer or a plain id (letters, digits, -, _, inner dots)`);
  if (typeof createdAt !== "number" || !Number.isFinite(createdAt) || createdAt < 0) return refuse("the token's creation time is damaged");
  if (madeOn !== endpoint) return refuse("the token was made on another endpoint than this client's (or names none)");
  return { name: name as PollerName, ids: ids as (string | number)[], createdAt, endpoint };
}
