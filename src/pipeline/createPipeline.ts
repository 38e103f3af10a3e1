import type { KeyCredential, TokenCredential } from "@azure/core-auth";
import type { Pipeline, PipelinePolicy } from "@azure/core-rest-pipeline";
import type { Clock } from "../core/clock.js";
import { bearerAuthPolicy, type OriginCredential } from "./bearerAuthPolicy.js";
import { corePolicy, DeferredPipeline } from "./deferredPipeline.js";
import { bufferBodyPolicy } from "./bufferBodyPolicy.js";
import { logPolicy } from "./logPolicy.js";
import { rateLimitPolicy, type RateLimiterOptions } from "./rateLimitPolicy.js";
import { redirectPolicy, type RedirectOptions } from "./redirectPolicy.js";
import { RetryBudget, type RetryBudgetOptions } from "./retryBudget.js";
import { retryPolicy, type RetryPolicyOptions } from "./retryPolicy.js";
import { timeoutPolicy } from "./timeoutPolicy.js";
import { transportErrorPolicy } from "./transportErrorPolicy.js";
import { userAgentPolicy } from "./userAgentPolicy.js";

/** Name of core's proxy policy (the name core gives it), for `pipeline.removePolicy({ name })`. */
export const proxyPolicyName = "proxyPolicy";

/**
 * The `proxyOptions` client option: core-rest-pipeline's `ProxySettings`, whose values it accepts,
 * with optional members that also take `undefined` (`username: process.env.PROXY_USER`).
 */
export interface ProxySettings {
  /** The proxy's URL without credentials, protocol included (`http://proxy.internal`). */
  host: string;
  /** The proxy's port. */
  port: number;
  /** The user name to authenticate with the proxy, if it asks for one. */
  username?: string | undefined;
  /** The password to authenticate with the proxy, if it asks for one. */
  password?: string | undefined;
}

/** A policy of your own: `perCall` runs once per call, `perRetry` once per attempt (after auth, before logging). */
export interface AdditionalPolicy {
  /** The policy; give it a `name` to remove or replace it later. */
  policy: PipelinePolicy;
  /** `perCall`: once per call, outside retries; `perRetry`: on every attempt. */
  position: "perCall" | "perRetry";
}

/** What `createTsdoPipeline` builds a pipeline from; `GeneratedClientOptions` passes these through. */
export interface TsdoPipelineOptions {
  /** The API token (`KeyCredential`) or a `TokenCredential` for tokens that expire. */
  credential: TokenCredential | KeyCredential;
  /** The API base URL; the token is only ever sent to its origin (unless `allowCrossOriginAuth`). */
  endpoint: string;
  /** Per-attempt timeout in milliseconds, body included (idle timeout for streamed bodies); default 60 000. */
  timeoutInMs?: number | undefined;
  /** How often and how long to retry; see README's Retries. */
  retryOptions?: RetryPolicyOptions | undefined;
  /** The client-side rate limiter (on by default); `{ enabled: false }` turns it off. */
  rateLimitOptions?: RateLimiterOptions | undefined;
  /** The clock the rate limiter counts and queues on, unless `rateLimitOptions.store` is given (a store keeps its own time); default real time. */
  clock?: Clock | undefined;
  /**
   * The quota retries are paid from (see `RetryBudget`): a `RetryBudget` to share one between
   * pipelines, settings for a new one (the default: AWS SDK v3 standard mode's 500 / 5 / 10 / 1),
   * or `false` for none (every retry allowed by `retryOptions` happens).
   */
  retryBudget?: RetryBudget | RetryBudgetOptions | false | undefined;
  /** Goes in front of tsdo's `User-Agent`, e.g. `"my-app/1.2"`. */
  userAgentPrefix?: string | undefined;
  /** Policies of your own, each at its position. */
  additionalPolicies?: readonly AdditionalPolicy[] | undefined;
  /** Allows plain http to loopback hosts (local mocks); any other http URL is refused. */
  allowInsecureConnection?: boolean | undefined;
  /** Sends the token to origins other than `endpoint`'s. */
  allowCrossOriginAuth?: boolean | undefined;
  /** Credentials for other origins (the inference and agent hosts), sent only there. */
  originCredentials?: ReadonlyArray<OriginCredential> | undefined;
  /** Sends through this HTTP(S) proxy; hosts in the `NO_PROXY` environment variable are reached directly. */
  proxyOptions?: ProxySettings | undefined;
  /**
   * A bearer-auth policy to sign with instead of building one from the options above: `withOptions`
   * children use their parent's, so they share its token cache rather than fetch tokens of their own.
   */
  authPolicy?: PipelinePolicy | undefined;
  /** How redirects are followed; by default up to 5 hops, and never a request body to another origin. */
  redirectOptions?: RedirectOptions | undefined;
  /** Largest binary body (a download) read, in bytes; default 1 GiB. */
  maxBinaryResponseBytes?: number | undefined;
}

/**
 * tsdo's pipeline. Policies, outermost first:
 *
 *   userAgent → [perCall] → retry → rateLimit → bufferBody → redirect → timeout → bearerAuth → [perRetry] → [proxy] → log → transportErrors → HTTP client
 *
 * The rate limiter sits just inside retry so that every attempt waits for its slot (the server
 * counts retries too) and a 429 blocks the other calls the moment it arrives. Retry wraps everything that can fail an attempt, a download's body included (bufferBody); it wraps
 * redirect, so each attempt may follow redirects (the redirect policy moves the request to the new
 * location, so a retry resends there); the timeout bounds each hop, token fetch included; redirect
 * wraps auth and proxy, so every hop is signed (or not) and proxied (or not) for its own URL; log sees
 * each hop with its final headers; transportErrors, next to the HTTP client, is the one place
 * transport failures become tsdo errors. Core's tracing, client-request-id, decompression, logging
 * and default retry policies are deliberately absent. Every policy has an exported name, so
 * `pipeline.removePolicy({ name })` can drop or replace it.
 */
export function createTsdoPipeline(options: TsdoPipelineOptions): Pipeline {
  // Core's pipeline, made when the first request loads core: see DeferredPipeline.
  const pipeline = new DeferredPipeline();
  pipeline.addPolicy(userAgentPolicy({ userAgentPrefix: options.userAgentPrefix }));
  for (const { policy, position } of options.additionalPolicies ?? []) {
    if (position === "perCall") pipeline.addPolicy(policy);
  }
  pipeline.addPolicy(retryPolicy(options.retryOptions, retryBudgetOf(options.retryBudget)), { phase: "Retry" });
  if (options.rateLimitOptions?.enabled !== false) {
    pipeline.addPolicy(
      rateLimitPolicy({
        ...options.rateLimitOptions,
        maxQueueWaitInMs: options.rateLimitOptions?.maxQueueWaitInMs ?? options.retryOptions?.maxRetryDelayInMs,
        credential: options.credential,
        endpoint: options.endpoint,
        timeoutInMs: options.timeoutInMs,
        clock: options.clock,
      }),
      { afterPhase: "Retry" },
    );
  }
  pipeline.addPolicy(bufferBodyPolicy({ maxBinaryResponseBytes: options.maxBinaryResponseBytes }), { afterPhase: "Retry" });
  // Cross-origin hops are followed because bearerAuthPolicy strips the token from them.
  pipeline.addPolicy(redirectPolicy(options.redirectOptions), { afterPhase: "Retry" });
  pipeline.addPolicy(timeoutPolicy({ timeoutInMs: options.timeoutInMs }), { afterPhase: "Retry" });
  pipeline.addPolicy(
    options.authPolicy ??
      bearerAuthPolicy({
        credential: options.credential,
        endpoint: options.endpoint,
        allowInsecureConnection: options.allowInsecureConnection,
        allowCrossOriginAuth: options.allowCrossOriginAuth,
        originCredentials: options.originCredentials,
      }),
    { phase: "Sign" },
  );
  // Policies with afterPhase "Sign" run in the order they are added, after the Sign phase.
  for (const { policy, position } of options.additionalPolicies ?? []) {
    if (position === "perRetry") pipeline.addPolicy(policy, { afterPhase: "Sign" });
  }
  // Per hop, after redirects: the proxy's bypass list is checked against the URL actually sent.
  // Core's proxy stack (the proxy agents, `debug`) loads only with the first request, and only
  // when a proxy is configured does it run.
  const proxyOptions = options.proxyOptions;
  if (proxyOptions) pipeline.addPolicy(corePolicy(proxyPolicyName, (core) => core.proxyPolicy(proxyOptions)), { afterPhase: "Sign" });
  pipeline.addPolicy(logPolicy(), { afterPhase: "Sign" });
  pipeline.addPolicy(transportErrorPolicy(), { afterPhase: "Sign" });
  return pipeline;
}

/** The budget a pipeline's retry policy pays from: the one given, a new one, or none. */
export function retryBudgetOf(option: RetryBudget | RetryBudgetOptions | false | undefined): RetryBudget | undefined {
  if (option === false) return undefined;
  return option instanceof RetryBudget ? option : new RetryBudget(option);
}
