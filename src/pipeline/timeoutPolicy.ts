import type { AbortSignalLike } from "@azure/abort-controller";
import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "@azure/core-rest-pipeline";
import { pipeline as pipeStreams, Transform, type Readable, type TransformCallback } from "node:stream";
import { onAbort, PlainAbortSignal } from "../core/abortListener.js";
import { AbortError, pathOf, TimeoutError } from "../core/errors.js";

/** Name of the per-attempt timeout policy, for `pipeline.removePolicy({ name })`. */
export const timeoutPolicyName = "tsdo-timeout";

/** Default per-attempt timeout: one minute. */
export const DEFAULT_TIMEOUT_IN_MS = 60_000;

/** setTimeout fires at once for delays above 2^31 - 1 ms; longer timeouts are treated as "none". */
const MAX_TIMER_DELAY_IN_MS = 2_147_483_647;

/** Options of `timeoutPolicy`. */
export interface TimeoutPolicyOptions {
  /**
   * How long one attempt may take, body included, in milliseconds; a request's own `timeout` (> 0)
   * overrides it. For streamed bodies it is an idle timeout: each chunk restarts it. 0 disables it.
   */
  timeoutInMs?: number | undefined;
}

/**
 * Bounds each attempt (each hop of a redirect), token fetch and body included.
 *
 * Core's node client clears its own `request.timeout` timer once headers arrive, so a server that
 * stalls mid-body would hang the call forever (Azure/azure-sdk-for-js#39519). This policy therefore
 * sets `timeout` to 0 for the transport and aborts the attempt itself, through a signal linked to
 * the caller's. It sits inside the redirect policy and outside the auth policy, so that it measures
 * one exchange including the token fetch, and the fetch is cancelled with the attempt.
 *
 * Timer expiry rejects with `TimeoutError`, the caller's signal with `AbortError`; transport failures
 * pass through as the transport-error policy made them.
 */
export function timeoutPolicy(options: TimeoutPolicyOptions = {}): PipelinePolicy {
  const defaultTimeoutInMs = options.timeoutInMs ?? DEFAULT_TIMEOUT_IN_MS;
  if (!Number.isFinite(defaultTimeoutInMs) || defaultTimeoutInMs < 0) {
    throw new RangeError(`timeoutInMs must be a non-negative number of milliseconds, 0 for none (got ${defaultTimeoutInMs})`);
  }
  return {
    name: timeoutPolicyName,
    sendRequest(request, next) {
      return sendWithDeadline(request, next, request.timeout > 0 ? request.timeout : defaultTimeoutInMs);
    },
  };
}

async function sendWithDeadline(request: PipelineRequest, next: SendRequest, timeoutInMs: number): Promise<PipelineResponse> {
  const callerSignal = request.abortSignal;
  if (callerSignal?.aborted) throw new AbortError();
  const deadline = new AttemptDeadline(request, callerSignal, timeoutInMs);
  const callerTimeout = request.timeout;
  // The request object is lent to the transport with our signal and restored afterwards, rather than
  // copied: core's redirect policy re-sends `response.request`, which must stay the caller's object
  // (with the caller's signal) for the next hop to be cancellable.
  request.abortSignal = deadline.signal;
  request.timeout = 0;
  let response: PipelineResponse;
  try {
    response = await next(request);
  } catch (error) {
    deadline.dispose();
    throw deadline.failure ?? error;
  } finally {
    request.abortSignal = callerSignal;
    request.timeout = callerTimeout;
  }

  const stream = response.readableStreamBody as Readable | undefined;
  if (deadline.failure !== undefined) {
    // The timer or the caller fired between the transport resolving and this line.
    stream?.destroy();
    throw deadline.failure;
  }
  if (stream === undefined) {
    // Core read the whole body before resolving: the attempt is over.
    deadline.dispose();
    return response;
  }
  response.readableStreamBody = guardBody(stream, deadline);
  return response;
}

/**
 * Keeps watching a streamed body: the body is handed to the caller through a pass-through stream
 * that restarts the timer on each chunk. The timer stops once the server has sent everything (the
 * pass-through's writable side finishes) or the stream is torn down. Chunks only pass through while
 * there is buffer room, so a consumer that stops reading long enough to fill the buffers also trips
 * the timer — which at least releases the socket of an abandoned stream.
 */
function guardBody(source: Readable, deadline: AttemptDeadline): Readable {
  const body = new IdleTimeoutBody(deadline);
  deadline.body = body;
  // Registered before pipeline()'s own listener: after the timer fired, the consumer sees the TimeoutError.
  source.once("error", (error: Error) => body.destroy(deadline.failure ?? error));
  pipeStreams(source, body, () => deadline.dispose());
  return body;
}

class IdleTimeoutBody extends Transform {
  readonly #deadline: AttemptDeadline;
  constructor(deadline: AttemptDeadline) {
    super();
    this.#deadline = deadline;
  }
  override _transform(chunk: unknown, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#deadline.restart();
    callback(null, chunk);
  }
}

/**
 * One attempt's timer and abort link. The timer calls a module-level function with the deadline as
 * its argument rather than a fresh closure.
 */
class AttemptDeadline {
  readonly signal = new PlainAbortSignal();
  /** Set once, by whichever of the timer and the caller's signal fires first. */
  failure: TimeoutError | AbortError | undefined;
  /** The streamed body being guarded, once the transport has resolved. */
  body: Readable | undefined;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(
    readonly request: PipelineRequest,
    callerSignal: AbortSignalLike | undefined,
    readonly timeoutInMs: number,
  ) {
    if (timeoutInMs > 0 && timeoutInMs <= MAX_TIMER_DELAY_IN_MS) this.#timer = setTimeout(expire, timeoutInMs, this);
    if (callerSignal) this.#unsubscribe = onAbort(callerSignal, () => this.fire(new AbortError()));
  }

  restart(): void {
    this.#timer?.refresh();
  }

  fire(failure: TimeoutError | AbortError): void {
    if (this.failure !== undefined) return;
    this.failure = failure;
    this.dispose();
    this.body?.destroy(failure);
    this.signal.abort(failure);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}

function expire(deadline: AttemptDeadline): void {
  const { request, timeoutInMs } = deadline;
  const what = deadline.body === undefined ? `timed out after ${timeoutInMs} ms` : `received no body data for ${timeoutInMs} ms`;
  deadline.fire(new TimeoutError(`${request.method} ${pathOf(request.url)} ${what}`, timeoutInMs, { request }));
}
