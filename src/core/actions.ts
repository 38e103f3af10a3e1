import type { AbortSignalLike } from "@azure/abort-controller";
import { ActionFailedError } from "./errors.js";
import { kindOf, waitUntilDone, type WaitContext, type WaitOptions } from "./waiter.js";

/** Options for `client.waitForAction`; `TAction` is the action as the API returns it. */
export interface WaitForActionOptions<TAction = ActionState> {
  /**
   * A fixed delay between polls; by default polls start at 1 s and back off to 5 s (DigitalOcean's
   * own tooling polls at a similar pace). Every wait of a client shares one schedule, so many
   * actions together poll no faster than the client's `waiterPollsPerMinute`.
   */
  pollIntervalInMs?: number | undefined;
  /** Give up (with a `WaitTimeoutError`, a `TimeoutError`) after this long, a poll in flight included; default 10 minutes. */
  timeoutInMs?: number | undefined;
  /** Stops waiting, rejecting with an `AbortError`. */
  abortSignal?: AbortSignalLike | undefined;
  /** Called after each poll with the action as read, e.g. to show progress. */
  onPoll?: ((action: TAction) => void) | undefined;
}

/** The fields of an action that waiting depends on. */
export interface ActionState {
  /** The action's id (`GET /v2/actions/{id}`). */
  id?: number | undefined;
  /** `in-progress`, `completed` or `errored`. */
  status?: string | undefined;
  /** What the action does, e.g. `create`, `power_cycle`. */
  type?: string | undefined;
}

/**
 * What `waitForAction` accepts: an action, its id, or the `links.actions` array that create calls
 * return. The spec marks every action field optional, so `id` is typed optional and checked at run time.
 */
export type ActionReference =
  | number
  | {
      /** The action's id. */
      readonly id?: number | undefined;
    }
  | ReadonlyArray<{
      /** The action's id. */
      readonly id?: number | undefined;
    }>;

/** Reads one action by id: the client passes `GET /v2/actions/{action_id}`. */
export type ActionReader<TAction extends ActionState> = (id: number, abortSignal: AbortSignalLike) => Promise<TAction>;

/**
 * Polls each action until it is `completed` (resolving with it) or `errored` (throwing
 * `ActionFailedError`), with the waiter engine: on the client's shared schedule, backing off from
 * 1 s to 5 s, the timeout bounding a poll in flight. An array of actions is waited for together;
 * the result keeps its order.
 */
export async function waitForActions<TAction extends ActionState>(
  read: ActionReader<TAction>,
  ids: readonly number[],
  options: WaitForActionOptions<TAction> = {},
  context: Omit<WaitContext, "defaultTimeoutInMs">,
): Promise<TAction[]> {
  const targets = ids.map((id) => ({
    label: `Action ${id}`,
    read: (abortSignal: AbortSignalLike) => read(id, abortSignal),
    judge: (action: TAction) => ({
      verdict: action.status === "completed" ? ("success" as const) : action.status === "errored" ? ("failure" as const) : ("retry" as const),
      state: action.status,
    }),
    failed: (action: TAction) => new ActionFailedError(action),
    // An action exists as soon as the call that started it answered: a 404 is a wrong id.
    onNotFound: "failure" as const,
    firstIntervalInMs: 1000,
    maxIntervalInMs: 5000,
  }));
  const waitOptions: WaitOptions<TAction> = { ...options, notFoundGraceInMs: 0 };
  return (await waitUntilDone(targets, waitOptions, { ...context, defaultTimeoutInMs: 600_000 })) as TAction[];
}

/** Normalizes every accepted form of action reference to a list of ids. */
export function actionIdsOf(reference: ActionReference): number[] {
  const list: ReadonlyArray<unknown> = typeof reference === "number" || !Array.isArray(reference) ? [reference] : reference;
  // An empty list (say, `links.actions ?? []`) would make the wait a silent no-op.
  if (list.length === 0) throw new TypeError("waitForAction: no action to wait for (the links.actions array is empty)");
  return list.map((entry) => {
    const id = typeof entry === "number" ? entry : (entry as { id?: unknown } | null)?.id;
    if (typeof id !== "number" || !Number.isInteger(id) || id <= 0) {
      const got = typeof entry === "object" && entry !== null && !Array.isArray(entry) ? `an object whose id is ${kindOf(id)}` : kindOf(entry);
      throw new TypeError(`waitForAction: expected an action, an action id or a links.actions array (got ${got})`);
    }
    return id;
  });
}
