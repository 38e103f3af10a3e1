import { randomBytes } from "node:crypto";
import { ActionScheduler } from "./actions.js";
import { fallbackRoutes, mergeFallback, refuseStatefulOverrides, type FallbackOverrides } from "./fallback.js";
import { FaultInjector, type FaultControls } from "./faults.js";
import { fallbackResponses } from "./generated/fallbackResponses.js";
import type { RateLimitRules } from "../rateLimiter/rules.js";
import { RateLimiter, type RateLimitOptions } from "./rateLimit.js";
import { statefulRoutes } from "./resources/index.js";
import { Router } from "./router.js";
import { applySeed, type FakeSeed, type SeededResources } from "./seed.js";
import { FakeServer } from "./server.js";
import { FakeState } from "./state.js";
import { Lifecycles, type LifecycleControls } from "./lifecycle.js";
import { RealClock, VirtualClock, type FakeClock } from "./virtualClock.js";

/** Path prefixes under which the fake plays the inference host and an agent's host. */
const INFERENCE_PREFIX = "/inference";
const AGENT_PREFIX = "/agent";

export interface FakeDigitalOceanOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string | undefined;
  /** Port to listen on. Default 0: any free port (read the chosen one from `url`). */
  port?: number | undefined;
  /** The one API token the fake accepts. Default: a fresh random token per fake. */
  token?: string | undefined;
  /** The model access key the inference operations accept under `inferenceUrl`. Default: a fresh random key. */
  inferenceKey?: string | undefined;
  /** The agent access key the agent operations accept under `agentUrl`. Default: a fresh random key. */
  agentKey?: string | undefined;
  /** The rate limits: DigitalOcean's by default (hour, minute and per-route windows); shrink them for tests. */
  rateLimit?: RateLimitOptions | undefined;
  /** How long actions stay `in-progress` before they complete. Default 200 ms. */
  actionDelayInMs?: number | undefined;
  /** Resources present from the start, and again after every `reset()`. */
  seed?: FakeSeed | undefined;
  /**
   * Canned answers for operations without stateful behaviour, merged into the default table
   * (`defaultFallbackTable`, the generated answers for the whole spec): name an operationId and
   * give what changes (`{ cdn_list_endpoints: { body: { endpoints: [], links: {}, meta: { total: 0 } } } }`);
   * method and path come from the default. An operation the fake answers from its state
   * (`droplets_get`, `apps_update`, …) is refused: change `state` or `seed` instead.
   */
  fallback?: FallbackOverrides | undefined;
  /**
   * `"virtual"`: the fake's builds and actions, and the waiters and rate limiter of clients made
   * with `createTestClient`, run on `fake.clock`, which moves only with `advance(ms)` /
   * `runUntilIdle()`. `"auto"`: the same virtual clock, moving by itself to the next timer
   * whenever no request is in flight (`fake.clock.autoAdvance()`), so tests make no clock calls.
   * Default `"real"`.
   */
  clock?: "real" | "virtual" | "auto" | undefined;
  /**
   * Multiplies how long builds take (a kubernetes cluster 7 minutes, a database 5, a deployment 3,
   * a load balancer 1.5, a certificate 0.5). Default 1 on the virtual clock, 0.001 on real time.
   */
  timeScale?: number | undefined;
  /** Called each time an operation really runs (see `executionCount`), e.g. to log or to count by other keys. */
  onExecute?: ((operationId: string) => void) | undefined;
}

/** A running fake of DigitalOcean's API. */
export interface FakeDigitalOcean {
  /** Base URL to give a client as its endpoint, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  /** The token the fake accepts (as `Authorization: Bearer <token>`). */
  readonly token: string;
  /**
   * Where the inference operations are served with their own key (`inferenceKey`), as the real
   * inference host does: a client's `inferenceEndpoint`. (At `url` they are answered too, with the API token.)
   */
  readonly inferenceUrl: string;
  /** The model access key the fake's inference host accepts (the API token is refused there). */
  readonly inferenceKey: string;
  /** Where the agent operations are served with their own key (`agentKey`): a client's `agentEndpoint`. */
  readonly agentUrl: string;
  /** The agent access key the fake's agent host accepts. */
  readonly agentKey: string;
  /** Everything the fake holds, as the API returns it; tests may read and change it. */
  readonly state: FakeState;
  /** The rate limits the fake enforces (`createTestClient` paces the client to them). */
  readonly rateLimits: RateLimitRules;
  /** Knobs to inject latency, failures, resets, stalls and bad bodies. */
  readonly faults: FaultControls;
  /** Makes builds fail (a cluster in `error`, a deployment in `ERROR`) and tells how long they take. */
  readonly lifecycles: LifecycleControls;
  /** The time the fake runs on; with `clock: "virtual"`, tests move it with `advance` / `runUntilIdle`. */
  readonly clock: FakeClock;
  /** Adds resources as plain objects (see `FakeSeed`); returns them as created. */
  seed(seed: FakeSeed): SeededResources;
  /**
   * Back to how the fake started: state (with the `seed` option re-applied), pending actions,
   * faults, execution counts and the rate-limit window.
   */
  reset(): void;
  /** How many times the operation's handler really ran (requests answered by a "before" fault don't count). */
  executionCount(operationId: string): number;
  /** Every operation that ran, with its count. */
  executionCounts(): Record<string, number>;
  /** Stops the server, drops its connections and cancels its timers, so the process can exit. */
  close(): Promise<void>;
}

/**
 * Starts an in-process fake of DigitalOcean's public API on `127.0.0.1`: stateful for the core
 * resources (droplets, actions, volumes, SSH keys, tags, domains, projects, VPCs, firewalls,
 * reserved IPs…), spec-valid canned answers for every other operation. Start one per test file
 * (in a `before` hook) and `close()` it after; fakes are independent, so many can run at once.
 */
export async function startFakeDigitalOcean(options: FakeDigitalOceanOptions = {}): Promise<FakeDigitalOcean> {
  const state = new FakeState();
  const virtual = options.clock === "virtual" || options.clock === "auto";
  if (options.clock !== undefined && !virtual && options.clock !== "real") throw new TypeError(`startFakeDigitalOcean: clock must be "real", "virtual" or "auto" (got ${String(options.clock).slice(0, 40)})`);
  const timeScale = options.timeScale ?? (virtual ? 1 : 0.001);
  if (typeof timeScale !== "number" || !Number.isFinite(timeScale) || timeScale < 0) throw new TypeError(`startFakeDigitalOcean: timeScale must be a finite number, 0 or more`);
  const clock = virtual ? new VirtualClock() : new RealClock();
  const actions = new ActionScheduler(state, options.actionDelayInMs ?? 200, clock);
  const lifecycles = new Lifecycles(clock, timeScale);
  const faults = new FaultInjector();
  const rateLimiter = new RateLimiter(options.rateLimit);
  const executions = new Map<string, number>();
  const token = options.token ?? `dop_v1_${randomBytes(32).toString("hex")}`;
  const inferenceKey = options.inferenceKey ?? `sk-do-${randomBytes(24).toString("hex")}`;
  const agentKey = options.agentKey ?? `agent-${randomBytes(24).toString("hex")}`;
  const statefulIds = new Set(statefulRoutes.map((route) => route.operationId));
  refuseStatefulOverrides(options.fallback ?? {}, statefulIds);
  const router = new Router([...statefulRoutes, ...fallbackRoutes(mergeFallback(fallbackResponses, options.fallback ?? {}), statefulIds)]);

  const server = new FakeServer({
    router,
    world: { state, actions, lifecycles },
    clock,
    faults,
    rateLimiter,
    credentials: [
      { prefix: INFERENCE_PREFIX, token: inferenceKey, operationPrefix: "inference_" },
      { prefix: AGENT_PREFIX, token: agentKey, operationPrefix: "agentInference_" },
      { prefix: "", token },
    ],
    onExecute: (operationId) => {
      executions.set(operationId, (executions.get(operationId) ?? 0) + 1);
      options.onExecute?.(operationId);
    },
  });
  if (options.seed) applySeed(state, options.seed);
  const url = await server.listen(options.host ?? "127.0.0.1", options.port ?? 0);
  if (options.clock === "auto") clock.autoAdvance();

  return {
    url,
    token,
    inferenceUrl: url + INFERENCE_PREFIX,
    inferenceKey,
    agentUrl: url + AGENT_PREFIX,
    agentKey,
    state,
    rateLimits: rateLimiter.limits,
    faults,
    lifecycles,
    clock,
    seed: (seed) => applySeed(state, seed),
    reset() {
      actions.cancelAll();
      lifecycles.clear();
      state.clear();
      faults.clear();
      rateLimiter.reset();
      executions.clear();
      if (options.seed) applySeed(state, options.seed);
    },
    executionCount: (operationId) => executions.get(operationId) ?? 0,
    executionCounts: () => Object.fromEntries(executions),
    async close() {
      actions.cancelAll();
      lifecycles.clear();
      if (clock instanceof VirtualClock) {
        clock.stop();
        clock.cancelAll();
      }
      await server.close();
    },
  };
}
