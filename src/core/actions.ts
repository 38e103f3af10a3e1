import { onAbort } from "./abortListener.js";
import { delay } from "./delay.js";
import { AbortError, ActionFailedError, TimeoutError } from "./errors.js";
import type { AbortSignalLike } from "@azure/abort-controller";

/** Options for `client.waitForAction`; `TAction` is the action as the API returns it. */
export interface WaitForActionOptions<TAction = ActionState> {
  /** Delay between polls; default 2000 ms, DigitalOcean's own tooling polls at a similar pace. */
  pollIntervalInMs?: number | undefined;
  /** Give up (with a `TimeoutError`) after this long; default 10 minutes. */
  timeoutInMs?: number | undefined;
  /** Stops waiting, rejecting with an `AbortError`. */
  abortSignal?: AbortSignalLike | undefined;
  /** Called after each poll with the action as read, e.g. to show progress. */
  onPoll?: ((action: TAction) => void) | undefined;
}

/** The fields of an action that waiting depends on. */
export interface ActionState {
  /** The action's id (`GET /v2/actions/{id}`). */
  id?: number;
  /** `in-progress`, `completed` or `errored`. */
  status?: string;
  /** What the action does, e.g. `create`, `power_cycle`. */
  type?: string;
}

/**
 * What `waitForAction` accepts: an action, its id, or the `links.actions` array that create calls
 * return. The spec marks every action field optional, so `id` is typed optional and checked at run time.
 */
export type ActionReference =
  | number
  | {
      /** The action's id. */
      readonly id?: number;
    }
  | ReadonlyArray<{
      /** The action's id. */
      readonly id?: number;
    }>;

/** Reads one action by id: the client passes `GET /v2/actions/{action_id}`. */
export type ActionReader<TAction extends ActionState> = (id: number, abortSignal: AbortSignalLike | undefined) => Promise<TAction>;

/**
 * Polls each action until it is `completed` (resolving with it) or `errored` (throwing
 * `ActionFailedError`). An array of actions is waited for together; the result keeps its order.
 */
export async function waitForActions<TAction extends ActionState>(
  read: ActionReader<TAction>,
  ids: readonly number[],
  options: WaitForActionOptions<TAction> = {},
): Promise<TAction[]> {
  const pollIntervalInMs = options.pollIntervalInMs ?? 2000;
  const timeoutInMs = options.timeoutInMs ?? 600_000;
  const deadline = Date.now() + timeoutInMs;
  // Once one action fails, the others stop polling too: no requests or timers outlive the call.
  const stop = new AbortController();
  const unsubscribe = options.abortSignal ? onAbort(options.abortSignal, () => stop.abort()) : undefined;
  const poll = async (id: number): Promise<TAction> => {
    for (;;) {
      throwIfAborted(options.abortSignal);
      if (stop.signal.aborted) throw new AbortError("Stopped waiting: another action failed.");
      const action = await read(id, stop.signal);
      options.onPoll?.(action);
      if (action.status === "completed") return action;
      if (action.status === "errored") throw new ActionFailedError(action);
      const wait = Math.min(pollIntervalInMs, deadline - Date.now());
      if (wait <= 0) throw new TimeoutError(`Action ${id} did not complete within ${timeoutInMs} ms (last status: ${action.status})`, timeoutInMs);
      await delay(wait, stop.signal);
    }
  };
  try {
    return await Promise.all(ids.map(poll));
  } catch (error) {
    stop.abort();
    // A caller's abort surfaces as the AbortError it expects, whichever poll noticed it first.
    throw options.abortSignal?.aborted ? new AbortError("Waiting for the action was aborted.") : error;
  } finally {
    unsubscribe?.();
  }
}

/** Normalizes every accepted form of action reference to a list of ids. */
export function actionIdsOf(reference: ActionReference): number[] {
  const list: ReadonlyArray<unknown> = typeof reference === "number" || !Array.isArray(reference) ? [reference] : reference;
  // An empty list (say, `links.actions ?? []`) would make the wait a silent no-op.
  if (list.length === 0) throw new TypeError("waitForAction: no action to wait for (the links.actions array is empty)");
  return list.map((entry) => {
    const id = typeof entry === "number" ? entry : (entry as { id?: unknown } | null)?.id;
    if (typeof id !== "number" || !Number.isInteger(id) || id <= 0) {
      throw new TypeError(`waitForAction: expected an action, an action id or a links.actions array (got ${JSON.stringify(entry)})`);
    }
    return id;
  });
}

function throwIfAborted(signal: AbortSignalLike | undefined): void {
  if (signal?.aborted) throw new AbortError("Waiting for the action was aborted.");
}
