import type { FakeTimers } from "./virtualClock.js";

/** The fake's resources that take time to build. */
export type LifecycleKind = "kubernetesCluster" | "nodePool" | "databaseCluster" | "databaseReplica" | "appDeployment" | "loadBalancer" | "certificate";

/** Kinds whose build can fail, and the state they then end in. */
export type FailableKind = "kubernetesCluster" | "appDeployment" | "loadBalancer" | "certificate";

/** How long each kind takes on DigitalOcean, roughly (before `timeScale`). */
export const DEFAULT_BUILD_TIMES_IN_MS: Readonly<Record<LifecycleKind, number>> = {
  kubernetesCluster: 7 * 60_000,
  nodePool: 4 * 60_000,
  databaseCluster: 5 * 60_000,
  databaseReplica: 5 * 60_000,
  appDeployment: 3 * 60_000,
  loadBalancer: 90_000,
  certificate: 30_000,
};

/** `fake.lifecycles`: failure injection for what the fake builds. */
export interface LifecycleControls {
  /**
   * The next `count` resources of `kind` created end in their failure state instead of ready: a
   * cluster in `error`, a deployment in `ERROR`, a load balancer `errored`, a certificate `error`.
   */
  failNext(kind: FailableKind, count?: number): LifecycleControls;
  /** How long `kind` takes to build on this fake, after `timeScale`. */
  buildTime(kind: LifecycleKind): number;
}

/** One step of a build: at this fraction of the build time, apply this change. */
export type BuildStep = readonly [fraction: number, apply: () => void];

/** Plays builds on the fake's timers: intermediate steps, then ready or (when injected) failed. */
export class Lifecycles implements LifecycleControls {
  private readonly cancels = new Set<() => void>();
  private failures = new Map<FailableKind, number>();

  constructor(
    private readonly timers: FakeTimers,
    private readonly timeScale: number,
  ) {}

  failNext(kind: FailableKind, count = 1): LifecycleControls {
    if (!Number.isInteger(count) || count < 1) throw new TypeError(`failNext: count must be a positive integer (got ${String(count)})`);
    this.failures.set(kind, (this.failures.get(kind) ?? 0) + count);
    return this;
  }

  buildTime(kind: LifecycleKind): number {
    return DEFAULT_BUILD_TIMES_IN_MS[kind] * this.timeScale;
  }

  /** Starts a build of `kind`: `steps` on the way, then `ready`, or `failed` when a failure was injected. */
  play(kind: LifecycleKind, steps: readonly BuildStep[], ready: () => void, failed?: () => void): void {
    const remaining = this.failures.get(kind as FailableKind) ?? 0;
    const fails = failed !== undefined && remaining > 0;
    if (fails) this.failures.set(kind as FailableKind, remaining - 1);
    const total = this.buildTime(kind);
    for (const [fraction, apply] of [...steps, [1, fails ? failed : ready] as const]) {
      const cancel = this.timers.schedule(total * fraction, () => {
        this.cancels.delete(cancel);
        apply();
      });
      this.cancels.add(cancel);
    }
  }

  /** Stops every build and forgets injected failures (reset, close). */
  clear(): void {
    for (const cancel of this.cancels) cancel();
    this.cancels.clear();
    this.failures = new Map();
  }
}
