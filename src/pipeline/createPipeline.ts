import type { KeyCredential, TokenCredential } from "@azure/core-auth";
import { createEmptyPipeline, proxyPolicy, redirectPolicy, type Pipeline, type PipelinePolicy, type ProxySettings } from "@azure/core-rest-pipeline";
import { bearerAuthPolicy, type OriginCredential } from "./bearerAuthPolicy.js";
import { logPolicy } from "./logPolicy.js";
import { rateLimitPolicy, type RateLimiterOptions } from "./rateLimitPolicy.js";
import { retryPolicy, type RetryPolicyOptions } from "./retryPolicy.js";
import { timeoutPolicy } from "./timeoutPolicy.js";
import { userAgentPolicy } from "./userAgentPolicy.js";

/** How many redirects one attempt follows. */
const MAX_REDIRECTS = 5;

/** A policy of your own: `perCall` runs once per call, `perRetry` once per attempt (after auth, before logging). */
export interface AdditionalPolicy {
  policy: PipelinePolicy;
  position: "perCall" | "perRetry";
}

export interface TsdoPipelineOptions {
  credential: TokenCredential | KeyCredential;
  /** The API base URL; the token is only ever sent to its origin (unless `allowCrossOriginAuth`). */
  endpoint: string;
  /** Per-attempt timeout in milliseconds, body included (idle timeout for streamed bodies); default 60 000. */
  timeoutInMs?: number | undefined;
  retryOptions?: RetryPolicyOptions | undefined;
  /** The client-side rate limiter (on by default); `{ enabled: false }` turns it off. */
  rateLimitOptions?: RateLimiterOptions | undefined;
  /** Goes in front of tsdo's `User-Agent`, e.g. `"my-app/1.2"`. */
  userAgentPrefix?: string | undefined;
  additionalPolicies?: readonly AdditionalPolicy[] | undefined;
  /** Allows plain http to loopback hosts (local mocks); any other http URL is refused. */
  allowInsecureConnection?: boolean | undefined;
  /** Sends the token to origins other than `endpoint`'s. */
  allowCrossOriginAuth?: boolean | undefined;
  /** Credentials for other origins (the inference and agent hosts), sent only there. */
  originCredentials?: ReadonlyArray<OriginCredential> | undefined;
  /** Sends through this HTTP(S) proxy. */
  proxyOptions?: ProxySettings | undefined;
}

/**
 * tsdo's pipeline. Policies, outermost first:
 *
 *   userAgent → [perCall] → retry → rateLimit → redirect → bearerAuth → [perRetry] → [proxy] → log → timeout → HTTP client
 *
 * The rate limiter sits just inside retry so that every attempt waits for its slot (the server
 * counts retries too) and a 429 blocks the other calls the moment it arrives. Retry wraps redirect, so each attempt may follow redirects (core's redirect policy moves the
 * request to the new location, so a retry resends there); redirect wraps auth,
 * so every hop is signed (or not) for its own origin; log sees each hop with its final headers; the
 * timeout is innermost so that it measures exactly one HTTP exchange. Core's tracing,
 * client-request-id, decompression, logging and default retry policies are deliberately absent.
 * Every policy has an exported name, so `pipeline.removePolicy({ name })` can drop or replace it.
 */
export function createTsdoPipeline(options: TsdoPipelineOptions): Pipeline {
  const pipeline = createEmptyPipeline();
  pipeline.addPolicy(userAgentPolicy({ userAgentPrefix: options.userAgentPrefix }));
  for (const { policy, position } of options.additionalPolicies ?? []) {
    if (position === "perCall") pipeline.addPolicy(policy);
  }
  pipeline.addPolicy(retryPolicy(options.retryOptions), { phase: "Retry" });
  if (options.rateLimitOptions?.enabled !== false) {
    pipeline.addPolicy(
      rateLimitPolicy({
        ...options.rateLimitOptions,
        maxQueueWaitInMs: options.rateLimitOptions?.maxQueueWaitInMs ?? options.retryOptions?.maxRetryDelayInMs,
        credential: options.credential,
        endpoint: options.endpoint,
      }),
      { afterPhase: "Retry" },
    );
  }
  // Cross-origin hops are followed because bearerAuthPolicy strips the token from them.
  pipeline.addPolicy(redirectPolicy({ maxRetries: MAX_REDIRECTS, allowCrossOriginRedirects: true }), { afterPhase: "Retry" });
  pipeline.addPolicy(
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
  if (options.proxyOptions) pipeline.addPolicy(proxyPolicy(options.proxyOptions), { afterPhase: "Sign" });
  pipeline.addPolicy(logPolicy(), { afterPhase: "Sign" });
  pipeline.addPolicy(timeoutPolicy({ timeoutInMs: options.timeoutInMs }), { afterPhase: "Sign" });
  return pipeline;
}
