import type { AbortSignalLike } from "@azure/abort-controller";
import { onAbort } from "./abortListener.js";
import { AbortError, NotFoundError, WaitFailedError, WaitTimeoutError } from "./errors.js";
import { backoffInterval, type PollSchedule } from "./pollSchedule.js";

/** What one poll's answer means for a wait. */
export type Verdict = "success" | "failure" | "retry";

/** How long a 404 right after a create is taken for eventual consistency, not for a deletion. */
export const DEFAULT_NOT_FOUND_GRACE_IN_MS = 30_000;

/** Options of every wait: `client.waitFor.*`, `waitForAction`, pollers. */
export interface WaitOptions<TResource> {
  /** Replaces the ready test: the wait succeeds once this returns true (failure states still fail before it does). */
  until?: ((resource: TResource) => boolean) | undefined;
  /** Give up with a `WaitTimeoutError` after this long, a poll in flight included; each waiter documents its default. */
  timeoutInMs?: number | undefined;
  /** Stops waiting (never the resource's work), rejecting with an `AbortError`. */
  abortSignal?: AbortSignalLike | undefined;
  /** A fixed delay between polls instead of the waiter's backoff (0 polls as fast as the client's shared schedule allows). */
  pollIntervalInMs?: number | undefined;
  /** Called after each poll that read the resource, e.g. to show progress. */
  onPoll?: ((resource: TResource) => void) | undefined;
  /** How long after the wait (or the create) began a 404 still means "not visible yet"; default 30 s. */
  notFoundGraceInMs?: number | undefined;
}

/** One thing a wait polls, and how to read its answers. */
export interface PollTarget<TResource> {
  /** Names it in error messages, e.g. `kubernetes cluster 6f1c…`. */
  readonly label: string;
  /** One GET; a 404 must reject with `NotFoundError`. */
  read(abortSignal: AbortSignalLike): Promise<TResource>;
  /** Success, failure or keep polling, and the status the verdict came from. */
  judge(resource: TResource): { verdict: Verdict; state: string | undefined };
  /** What a 404 means outside the grace period: `success` for deletion waits. */
  readonly onNotFound: "success" | "failure";
  /** The first pause between polls. */
  readonly firstIntervalInMs: number;
  /** The cap the backoff grows to. */
  readonly maxIntervalInMs: number;
  /** The error for a failure state; default `WaitFailedError`. */
  failed?(resource: TResource, state: string | undefined): Error;
}

/** Where a wait runs: the client's shared schedule (and its clock), and when the resource was created. */
export interface WaitContext {
  readonly schedule: Pick<PollSchedule, "clock" | "slot">;
  /** Default timeout when the options give none. */
  readonly defaultTimeoutInMs: number;
  /** When the create happened (epoch ms, for the 404 grace); default: when the wait starts. */
  readonly createdAt?: number | undefined;
}

/**
 * Polls every target until each is done, on the client's shared schedule. Resolves with each
 * target's last read (`undefined` for a 404 that counts as done); the first failure, timeout or
 * abort stops every target's polling and rejects.
 */
export async function waitUntilDone<TResource>(
  targets: readonly PollTarget<TResource>[],
  options: WaitOptions<TResource>,
  context: WaitContext,
): Promise<(TResource | undefined)[]> {
  checkWaitOptions(options);
  const clock = context.schedule.clock;
  const timeoutInMs = options.timeoutInMs ?? context.defaultTimeoutInMs;
  const startedAt = clock.now();
  const run: Run<TResource> = {
    options,
    context,
    timeoutInMs,
    deadline: startedAt + timeoutInMs,
    graceUntil: (context.createdAt ?? startedAt) + (options.notFoundGraceInMs ?? DEFAULT_NOT_FOUND_GRACE_IN_MS),
  };
  if (options.abortSignal?.aborted) throw new AbortError("Waiting was aborted.");
  // One controller per target, aborted directly: no shared internal signal collects a listener per
  // target (twenty actions would trip MaxListenersExceededWarning).
  const controllers = targets.map(() => new AbortController());
  let stopped = false;
  // Once: every target's rejection calls it, and a thousand targets each aborting a thousand
  // controllers (each abort() makes a DOMException, aborted or not) took seconds of CPU.
  const stopAll = (): void => {
    if (stopped) return;
    stopped = true;
    for (const controller of controllers) controller.abort();
  };
  // One subscription however many waits share the caller's signal.
  const unsubscribe = options.abortSignal ? onAbort(options.abortSignal, stopAll) : undefined;
  try {
    return await Promise.all(
      targets.map((target, index) =>
        pollUntilDone(run, target, controllers[index]!.signal).catch((error: unknown) => {
          stopAll();
          throw error;
        }),
      ),
    );
  } catch (error) {
    // A caller's abort surfaces as the AbortError it expects, whichever target noticed it first.
    throw options.abortSignal?.aborted ? new AbortError("Waiting was aborted.") : error;
  } finally {
    unsubscribe?.();
    stopAll(); // no timer of a finished wait is left behind
  }
}

interface Run<TResource> {
  readonly options: WaitOptions<TResource>;
  readonly context: WaitContext;
  readonly timeoutInMs: number;
  readonly deadline: number;
  readonly graceUntil: number;
}

async function pollUntilDone<TResource>(run: Run<TResource>, target: PollTarget<TResource>, signal: AbortSignal): Promise<TResource | undefined> {
  const { options, context } = run;
  const clock = context.schedule.clock;
  let last: { resource: TResource; state: string | undefined } | undefined;
  const timeout = (): WaitTimeoutError<TResource> =>
    new WaitTimeoutError(
      `${target.label} was not ready within ${run.timeoutInMs} ms${last ? ` (last state: ${last.state ?? "unknown"})` : " (no poll answered)"}`,
      run.timeoutInMs,
      last?.resource,
      last?.state,
    );
  for (let attempt = 0; ; attempt++) {
    const pause = attempt === 0 ? 0 : (options.pollIntervalInMs ?? backoffInterval(attempt - 1, target.firstIntervalInMs, target.maxIntervalInMs));
    if (!(await context.schedule.slot(clock.now() + pause, run.deadline, signal))) throw timeout();
    const answer = await readBefore(run, target, signal, timeout);
    if (answer.notFound) {
      if (target.onNotFound === "success") return undefined;
      if (clock.now() < run.graceUntil) continue;
      throw new WaitFailedError(`${target.label} was not found (404)`, last?.resource, "not_found", { cause: answer.notFound });
    }
    const resource = answer.resource;
    const judged = target.judge(resource);
    last = { resource, state: judged.state };
    options.onPoll?.(resource);
    if (options.until ? options.until(resource) : judged.verdict === "success") return resource;
    if (judged.verdict === "failure") {
      throw target.failed?.(resource, judged.state) ?? new WaitFailedError(`${target.label} is ${judged.state ?? "in a failure state"}`, resource, judged.state);
    }
  }
}

/** One read, bounded by the wait's deadline even while in flight; a 404 is an answer, not an error. */
async function readBefore<TResource>(
  run: Run<TResource>,
  target: PollTarget<TResource>,
  signal: AbortSignal,
  timeout: () => Error,
): Promise<{ resource: TResource; notFound?: undefined } | { notFound: NotFoundError }> {
  const clock = run.context.schedule.clock;
  const poll = new AbortController();
  const stopPoll = (): void => poll.abort();
  signal.addEventListener("abort", stopPoll, { once: true });
  const timer = new AbortController();
  let timedOut = false;
  clock.sleep(Math.max(0, run.deadline - clock.now()), timer.signal).then(
    () => {
      timedOut = true;
      poll.abort();
    },
    () => undefined, // the read finished first
  );
  try {
    // The read's request is tracked on the clock by the client's sendRequest.
    return { resource: await target.read(poll.signal) };
  } catch (error) {
    if (timedOut) throw timeout();
    if (error instanceof NotFoundError) return { notFound: error };
    throw error;
  } finally {
    timer.abort();
    signal.removeEventListener("abort", stopPoll);
  }
}

/** The longest timer Node keeps: setTimeout fires at once (after a warning) for anything longer. */
const MAX_TIMER_IN_MS = 2_147_483_647;

/** Refuses option values that would make a wait misbehave (NaN never times out, a string polls at once). */
export function checkWaitOptions(options: WaitOptions<never> | object | undefined): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null) throw new TypeError("The wait options must be an object");
  const record = options as Record<string, unknown>;
  for (const name of ["timeoutInMs", "pollIntervalInMs", "notFoundGraceInMs"]) {
    const value = record[name];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new TypeError(`The wait option "${name}" must be a finite number of milliseconds, 0 or more (got ${kindOf(value)})`);
    }
    // The grace is only compared with the clock; the others are slept, and a 30-day timeout timed out at once.
    if (name !== "notFoundGraceInMs" && value > MAX_TIMER_IN_MS) {
      throw new TypeError(`The wait option "${name}" must be at most ${MAX_TIMER_IN_MS} ms, about 24.8 days (got ${value})`);
    }
  }
  for (const name of ["until", "onPoll"]) {
    if (record[name] !== undefined && typeof record[name] !== "function") throw new TypeError(`The wait option "${name}" must be a function`);
  }
}

/**
 * What a wrong argument is, for an error message: a number as written, anything else by its kind
 * only. A caller who passes a resource instead of its id must not see its secrets echoed (or megabytes of it).
 */
export function kindOf(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  if (value === "") return "an empty string";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
