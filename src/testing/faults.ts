/** Which requests a fault applies to. */
export interface FaultTarget {
  /** Only requests for this operation (the spec's operationId, e.g. `droplets_create`); all requests when absent. */
  operationId?: string;
  /** How many matching requests it affects before it is used up; each knob documents its default. */
  times?: number;
}

/**
 * Knobs that make the fake misbehave, for testing a client's resilience. Each affects requests in
 * the order they arrive; when several match one request, the first one set wins (latency adds up).
 * "Before" faults answer without running the operation; "after" faults run it (the state changes
 * and the execution count goes up) and then spoil the answer, which is what makes retries unsafe.
 */
export interface FaultControls {
  /** Delays matching requests by `ms` before anything else happens. Default: every request until cleared. */
  latency(ms: number, target?: FaultTarget): FaultControls;
  /** Answers the next `count` matching requests with `status` and DigitalOcean's error body, without running them. */
  failNext(count: number, status: number, target?: Omit<FaultTarget, "times">): FaultControls;
  /** Answers the next `count` matching requests 429 `too_many_requests` with `retry-after: retryAfterSeconds`. */
  rateLimitNext(count: number, retryAfterSeconds: number, target?: Omit<FaultTarget, "times">): FaultControls;
  /**
   * Resets the TCP connection (RST) of matching requests, `before` running the operation or `after`
   * it ran and before answering. Default: once.
   */
  resetConnection(when: "before" | "after", target?: FaultTarget): FaultControls;
  /**
   * Sends the status, headers and half of the body of matching answers, then stalls: for `forMs`
   * before sending the rest, or until the client gives up (or the fake closes). Answers without a
   * body (204) are sent whole. Default: once.
   */
  stallBody(target?: FaultTarget & { forMs?: number }): FaultControls;
  /** Answers matching requests with a truncated, unparsable JSON body (status and headers intact). Default: once. */
  malformedJson(target?: FaultTarget): FaultControls;
  /** Removes every fault. */
  clear(): void;
}

/** A fault that answers in place of the operation. */
export type BeforeFault =
  | { readonly kind: "fail"; readonly status: number }
  | { readonly kind: "rateLimit"; readonly retryAfterSeconds: number }
  | { readonly kind: "reset" };

/** A fault that spoils the answer of an operation that ran. */
export type AfterFault =
  | { readonly kind: "reset" }
  | { readonly kind: "stall"; readonly forMs: number | undefined }
  | { readonly kind: "malformed" };

interface Rule<TFault> {
  readonly fault: TFault;
  readonly operationId: string | undefined;
  remaining: number;
}

/** The server's side of the knobs: which faults the next request meets. */
export class FaultInjector implements FaultControls {
  private latencies: Rule<number>[] = [];
  private befores: Rule<BeforeFault>[] = [];
  private afters: Rule<AfterFault>[] = [];

  latency(ms: number, target: FaultTarget = {}): FaultControls {
    this.latencies.push(rule(ms, target, Infinity));
    return this;
  }

  failNext(count: number, status: number, target: Omit<FaultTarget, "times"> = {}): FaultControls {
    this.befores.push(rule({ kind: "fail", status }, { operationId: target.operationId }, count));
    return this;
  }

  rateLimitNext(count: number, retryAfterSeconds: number, target: Omit<FaultTarget, "times"> = {}): FaultControls {
    this.befores.push(rule({ kind: "rateLimit", retryAfterSeconds }, { operationId: target.operationId }, count));
    return this;
  }

  resetConnection(when: "before" | "after", target: FaultTarget = {}): FaultControls {
    if (when === "before") this.befores.push(rule({ kind: "reset" }, target, 1));
    else this.afters.push(rule({ kind: "reset" }, target, 1));
    return this;
  }

  stallBody(target: FaultTarget & { forMs?: number } = {}): FaultControls {
    this.afters.push(rule({ kind: "stall", forMs: target.forMs }, target, 1));
    return this;
  }

  malformedJson(target: FaultTarget = {}): FaultControls {
    this.afters.push(rule({ kind: "malformed" }, target, 1));
    return this;
  }

  clear(): void {
    this.latencies = [];
    this.befores = [];
    this.afters = [];
  }

  /** The total delay for this request; every matching latency rule counts it. */
  takeLatency(operationId: string | undefined): number {
    let total = 0;
    for (const latency of this.latencies) {
      if (applies(latency, operationId)) {
        latency.remaining -= 1;
        total += latency.fault;
      }
    }
    this.latencies = this.latencies.filter((latency) => latency.remaining > 0);
    return total;
  }

  takeBefore(operationId: string | undefined): BeforeFault | undefined {
    return take(this.befores, operationId);
  }

  takeAfter(operationId: string | undefined): AfterFault | undefined {
    return take(this.afters, operationId);
  }
}

function rule<TFault>(fault: TFault, target: FaultTarget, defaultTimes: number): Rule<TFault> {
  return { fault, operationId: target.operationId, remaining: target.times ?? defaultTimes };
}

function applies(rule: Rule<unknown>, operationId: string | undefined): boolean {
  return rule.remaining > 0 && (rule.operationId === undefined || rule.operationId === operationId);
}

/** Uses up one application of the first matching rule, dropping rules that are spent. */
function take<TFault>(rules: Rule<TFault>[], operationId: string | undefined): TFault | undefined {
  const index = rules.findIndex((candidate) => applies(candidate, operationId));
  if (index < 0) return undefined;
  const found = rules[index]!;
  found.remaining -= 1;
  if (found.remaining <= 0) rules.splice(index, 1);
  return found.fault;
}
