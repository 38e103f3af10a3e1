/** Which requests a fault applies to. */
export interface FaultTarget {
  /** Only requests for this operation (the spec's operationId, e.g. `droplets_create`); all requests when absent. */
  operationId?: string | undefined;
  /** How many matching requests it affects before it is used up; each knob documents its default. */
  times?: number | undefined;
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
  stallBody(target?: FaultTarget & { forMs?: number | undefined }): FaultControls;
  /** Answers matching requests with a truncated, unparsable JSON body (status and headers intact). Default: once. */
  malformedJson(target?: FaultTarget): FaultControls;
  /**
   * Runs the next `count` matching requests, then answers `status` (default 503) with DigitalOcean's
   * error body instead of their answer: the client sees a failure although the operation took effect.
   */
  failAfter(count: number, status?: number, target?: Omit<FaultTarget, "times">): FaultControls;
  /**
   * Runs matching requests, then never answers (until the client gives up or the fake closes): a
   * client timeout after the operation took effect. Default: once.
   */
  hangAfter(target?: FaultTarget): FaultControls;
  /**
   * Spoils a seeded-random share of matching requests (reproducible for a given seed and arrival
   * order), until cleared. Each share is a fraction from 0 to 1; "before" shares add up to at most
   * 1, and so do "after" shares (drawn separately, for requests that ran).
   */
  randomly(shares: RandomFaultShares): FaultControls;
  /** How many times each kind of fault was applied since the fake started (or was reset). */
  injected(): Readonly<Record<InjectedFaultKind, number>>;
  /** Removes every fault. */
  clear(): void;
}

/** Shares of requests `randomly` spoils, and which. */
export interface RandomFaultShares {
  /** Seed of the generator; the same seed spoils the same positions in the arrival order. */
  seed: number;
  /** Only requests for this operation; all requests when absent. */
  operationId?: string | undefined;
  /** Status of the `failBefore` and `failAfter` answers; default 503. */
  status?: number | undefined;
  /** Answered `status` without running. */
  failBefore?: number | undefined;
  /** Connection reset without running. */
  resetBefore?: number | undefined;
  /** Run, then answered `status`. */
  failAfter?: number | undefined;
  /** Run, then the connection is reset. */
  resetAfter?: number | undefined;
  /** Run, then never answered. */
  hangAfter?: number | undefined;
}

/** The kinds of fault `injected()` counts. */
export type InjectedFaultKind = "failBefore" | "rateLimit" | "resetBefore" | "failAfter" | "resetAfter" | "hangAfter" | "stall" | "malformed";

/** A fault that answers in place of the operation. */
export type BeforeFault =
  | { readonly kind: "fail"; readonly status: number }
  | { readonly kind: "rateLimit"; readonly retryAfterSeconds: number }
  | { readonly kind: "reset" };

/** A fault that spoils the answer of an operation that ran. */
export type AfterFault =
  | { readonly kind: "reset" }
  | { readonly kind: "fail"; readonly status: number }
  | { readonly kind: "hang" }
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
  private randoms: RandomRule[] = [];
  private counts = emptyCounts();

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

  stallBody(target: FaultTarget & { forMs?: number | undefined } = {}): FaultControls {
    this.afters.push(rule({ kind: "stall", forMs: target.forMs }, target, 1));
    return this;
  }

  malformedJson(target: FaultTarget = {}): FaultControls {
    this.afters.push(rule({ kind: "malformed" }, target, 1));
    return this;
  }

  failAfter(count: number, status = 503, target: Omit<FaultTarget, "times"> = {}): FaultControls {
    this.afters.push(rule({ kind: "fail", status }, { operationId: target.operationId }, count));
    return this;
  }

  hangAfter(target: FaultTarget = {}): FaultControls {
    this.afters.push(rule({ kind: "hang" }, target, 1));
    return this;
  }

  randomly(shares: RandomFaultShares): FaultControls {
    const status = shares.status ?? 503;
    const before = cumulative<BeforeFault>([
      [shares.failBefore, { kind: "fail", status }],
      [shares.resetBefore, { kind: "reset" }],
    ]);
    const after = cumulative<AfterFault>([
      [shares.failAfter, { kind: "fail", status }],
      [shares.resetAfter, { kind: "reset" }],
      [shares.hangAfter, { kind: "hang" }],
    ]);
    this.randoms.push({ operationId: shares.operationId, random: seededRandom(shares.seed), before, after });
    return this;
  }

  injected(): Readonly<Record<InjectedFaultKind, number>> {
    return { ...this.counts };
  }

  clear(): void {
    this.latencies = [];
    this.befores = [];
    this.afters = [];
    this.randoms = [];
    this.counts = emptyCounts();
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
    const fault = take(this.befores, operationId) ?? this.draw(operationId, "before");
    if (fault !== undefined) this.counts[fault.kind === "reset" ? "resetBefore" : fault.kind === "fail" ? "failBefore" : "rateLimit"] += 1;
    return fault;
  }

  takeAfter(operationId: string | undefined): AfterFault | undefined {
    const fault = take(this.afters, operationId) ?? this.draw(operationId, "after");
    if (fault !== undefined) this.counts[AFTER_COUNTS[fault.kind]] += 1;
    return fault;
  }

  /** One draw per matching random rule; the first rule that picks a fault wins. */
  private draw<TPhase extends "before" | "after">(operationId: string | undefined, phase: TPhase): RandomRule[TPhase][number][1] | undefined {
    for (const random of this.randoms) {
      if (random.operationId !== undefined && random.operationId !== operationId) continue;
      const choices = random[phase];
      if (choices.length === 0) continue;
      const roll = random.random();
      const chosen = choices.find(([upTo]) => roll < upTo);
      if (chosen !== undefined) return chosen[1];
    }
    return undefined;
  }
}

const AFTER_COUNTS: Readonly<Record<AfterFault["kind"], InjectedFaultKind>> = {
  reset: "resetAfter",
  fail: "failAfter",
  hang: "hangAfter",
  stall: "stall",
  malformed: "malformed",
};

interface RandomRule {
  readonly operationId: string | undefined;
  readonly random: () => number;
  /** Faults with the upper end of their share of [0, 1), in order. */
  readonly before: ReadonlyArray<readonly [number, BeforeFault]>;
  readonly after: ReadonlyArray<readonly [number, AfterFault]>;
}

function emptyCounts(): Record<InjectedFaultKind, number> {
  return { failBefore: 0, rateLimit: 0, resetBefore: 0, failAfter: 0, resetAfter: 0, hangAfter: 0, stall: 0, malformed: 0 };
}

/** Shares as consecutive ranges of [0, 1): [0.1, a], [0.05, b] → a below 0.1, b below 0.15. */
function cumulative<TFault>(shares: ReadonlyArray<readonly [number | undefined, TFault]>): Array<readonly [number, TFault]> {
  let upTo = 0;
  const ranges: Array<readonly [number, TFault]> = [];
  for (const [share, fault] of shares) {
    if (share === undefined || share === 0) continue;
    if (!(share > 0 && share <= 1)) throw new RangeError(`randomly: shares must be between 0 and 1 (got ${share})`);
    upTo += share;
    ranges.push([upTo, fault]);
  }
  if (upTo > 1 + 1e-9) throw new RangeError(`randomly: shares of one phase add up to more than 1 (${upTo})`);
  return ranges;
}

/** mulberry32: small, fast and good enough to place faults reproducibly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
