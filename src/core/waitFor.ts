import type { AbortSignalLike } from "@azure/abort-controller";
import { acceptors, deletedAcceptor, judge, valueAt, type AcceptorName, type AcceptorRow, type WaiterReads } from "./acceptors.js";
import type { OperationTable } from "./operationSpec.js";
import type { OperationOptions } from "./requestOptions.js";
import { kindOf, waitUntilDone, type PollTarget, type Verdict, type WaitContext, type WaitOptions } from "./waiter.js";
import type { OperationGroups } from "../operations/index.js";

// Waiters are typed from the operation signatures (the envelope value of the group's `get`), so
// they follow the generated models without naming any.

/** What a method `F` resolves with, under the envelope key `K`. */
export type EnvelopeOf<F, K extends string> = F extends (...args: never[]) => Promise<infer R> ? (R extends { readonly [P in K]?: infer V } ? NonNullable<V> : never) : never;
/** The leading required elements of a tuple (a method's path values, before its optional params and options). */
export type RequiredPrefix<T extends readonly unknown[]> = T extends readonly [infer Head, ...infer Rest] ? [Head, ...RequiredPrefix<Rest>] : [];
/** The id arguments of a `get` method: its path values. */
export type IdsOf<F> = F extends (...args: infer A) => unknown ? RequiredPrefix<A> : never;
/** The `get` method behind a resource waiter. */
export type GetterOf<N extends AcceptorName> = WaiterReads[N]["get"] extends readonly [infer G extends keyof OperationGroups, infer M extends string]
  ? M extends keyof OperationGroups[G]
    ? OperationGroups[G][M]
    : never
  : never;
/** The resource a waiter resolves with: the envelope value of its `get`. */
export type WaitedResource<N extends AcceptorName> = EnvelopeOf<GetterOf<N>, WaiterReads[N]["envelope"]>;

/** Options of `client.waitFor.*`. */
export interface ResourceWaitOptions<TResource> extends WaitOptions<TResource> {
  /** Reclassifies states of the resource's status, e.g. `{ degraded: "success" }` for a kubernetes cluster. */
  states?: Readonly<Record<string, Verdict>> | undefined;
}

/** What a waiter resolves with: the resource once ready, or nothing once a deletion wait saw it gone. */
export type WaiterResult<N extends AcceptorName> = WaiterReads[N]["notFound"] extends "success" ? void : WaitedResource<N>;

/** One resource waiter: the `get` method's ids, then options; resolves with the resource once ready (a deletion wait, with nothing). */
export type ResourceWaiter<N extends AcceptorName> = (...args: [...IdsOf<GetterOf<N>>, options?: ResourceWaitOptions<WaitedResource<N>>]) => Promise<WaiterResult<N>>;

/**
 * `client.waitFor`: one waiter per row of the acceptor table, and `deleted` for anything with a `get`.
 * Each resolves with the resource once ready, or throws `WaitFailedError` (a failure state, or a
 * 404 after the grace period) or `WaitTimeoutError`, both carrying the resource as last seen.
 */
export type ResourceWaiters = { readonly [N in AcceptorName]: ResourceWaiter<N> } & {
  /**
   * Waits until `read` (any `get`, given the poll's options) answers 404: e.g.
   * `client.waitFor.deleted((options) => client.kubernetes.getCluster(id, options))`.
   */
  readonly deleted: (read: (options: OperationOptions) => Promise<unknown>, options?: WaitOptions<unknown>) => Promise<void>;
};

/** What waiters need from the client. */
export interface WaiterHost {
  /** The client's operation groups (`client.kubernetes`, …). */
  group(name: string): Readonly<Record<string, (...args: unknown[]) => Promise<unknown>>>;
  /** The operation tables, for each `get`'s number of ids. */
  readonly tables: Readonly<Record<string, OperationTable>>;
  readonly context: Omit<WaitContext, "defaultTimeoutInMs" | "createdAt">;
}

/**
 * The per-call options of every poll: the one place where the rate limiter is told that waiter
 * polls are background work, which may wait behind the caller's own calls.
 */
export function pollCallOptions(abortSignal: AbortSignalLike): OperationOptions {
  return { abortSignal, priority: "background" };
}

/** The poll target for row `name` and the ids of its `get`. */
export function targetFor(host: WaiterHost, name: AcceptorName, ids: readonly unknown[], states?: Readonly<Record<string, Verdict>>): PollTarget<unknown> {
  const row: AcceptorRow = acceptors[name];
  const [groupName, method] = row.get;
  const spec = host.tables[groupName]?.[method];
  const expected = spec?.pathParams?.length ?? 0;
  // A get with query or header parameters takes them before the options: none for a poll.
  const params = spec?.query || spec?.headers ? [undefined] : [];
  if (ids.length !== expected || ids.some((id) => (typeof id !== "string" || id === "") && typeof id !== "number")) {
    throw new TypeError(`waitFor.${name}: expected ${expected} id argument(s), strings or numbers, before the options (got ${ids.length}: ${ids.slice(0, expected + 1).map(kindOf).join(", ")})`);
  }
  return {
    label: `${row.label} ${ids.join("/")}`,
    read: async (abortSignal) => valueAt(await host.group(groupName)[method]!(...ids, ...params, pollCallOptions(abortSignal)), row.envelope),
    judge: (resource) => judge(row, resource, states),
    onNotFound: row.notFound,
    firstIntervalInMs: row.firstIntervalInMs,
    maxIntervalInMs: row.maxIntervalInMs,
  };
}

/** Builds `client.waitFor` from the acceptor table. */
export function createWaiters(host: WaiterHost): ResourceWaiters {
  const waiters: Record<string, unknown> = {};
  for (const name of Object.keys(acceptors) as AcceptorName[]) {
    const row: AcceptorRow = acceptors[name];
    const count = host.tables[row.get[0]]?.[row.get[1]]?.pathParams?.length ?? 0;
    waiters[name] = async (...args: unknown[]) => {
      const options = (args[count] ?? {}) as ResourceWaitOptions<unknown>;
      const target = targetFor(host, name, args.slice(0, count), options.states);
      const [resource] = await waitUntilDone([target], options, { ...host.context, defaultTimeoutInMs: row.timeoutInMs });
      // A deletion wait ends with the resource gone (or `until` met): its type promises nothing back.
      return row.notFound === "success" ? undefined : resource;
    };
  }
  waiters.deleted = async (read: (options: OperationOptions) => Promise<unknown>, options: WaitOptions<unknown> = {}) => {
    if (typeof read !== "function") throw new TypeError("waitFor.deleted: pass a function that reads the resource, e.g. (options) => client.droplets.get(id, options)");
    const target: PollTarget<unknown> = {
      label: deletedAcceptor.label,
      read: (abortSignal) => read(pollCallOptions(abortSignal)),
      judge: (resource) => judge(deletedAcceptor, resource),
      onNotFound: "success",
      firstIntervalInMs: deletedAcceptor.firstIntervalInMs,
      maxIntervalInMs: deletedAcceptor.maxIntervalInMs,
    };
    await waitUntilDone([target], options, { ...host.context, defaultTimeoutInMs: deletedAcceptor.timeoutInMs });
  };
  return waiters as ResourceWaiters;
}
