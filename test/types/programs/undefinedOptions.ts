// Options read from a config file or an environment, where a setting that is not given is
// `undefined`: under exactOptionalPropertyTypes every optional option of the public surface takes it.
import {
  createPipelineRequest,
  type BearerAuthPolicyOptions,
  type BufferBodyPolicyOptions,
  type ClientOptionOverrides,
  type DigitalOceanClient,
  type DigitalOceanClientOptions,
  type DropletsListParams,
  type ErrorContext,
  type GeneratedClientOptions,
  type LogPolicyOptions,
  type NodeHttpClientOptions,
  type OperationOptions,
  type PageSettings,
  type PipelineRequestOptions,
  type PollUntilDoneOptions,
  type ProxySettings,
  type RateLimiterOptions,
  type RateLimitPolicyOptions,
  type RecoverableCreateOptions,
  type RedirectOptions,
  type ResourceWaitOptions,
  type RetryBudgetOptions,
  type RetryOptions,
  type TimeoutPolicyOptions,
  type TsdoErrorOptions,
  type TsdoPipelineOptions,
  type UserAgentPolicyOptions,
  type VolumesListParams,
  type WaitForActionOptions,
  type WaitOptions,
} from "tsdo";
import type { RedisRateLimitStoreOptions } from "tsdo/redis";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOceanOptions, type FallbackResponse, type FaultTarget, type RandomFaultShares, type RateLimitOptions } from "tsdo/testing";

/** The optional members of `T` that refuse `undefined` (never, when all take it). */
type RefusingUndefined<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? ({ [P in K]: undefined } extends Pick<T, K> ? never : K) : never }[keyof T];
/** Compiles only when `T` is never: names the member that refuses `undefined` otherwise. */
type None<T extends never> = T;

/**
 * Every options and settings type of the public surface, checked member by member (tsdo/undici's
 * needs undici installed, which these programs do not: test/runtime/optionalUndefined.test.ts reads its report).
 */
export type EveryOptionTakesUndefined = [
  None<RefusingUndefined<PageSettings>>,
  None<RefusingUndefined<GeneratedClientOptions>>,
  None<RefusingUndefined<DigitalOceanClientOptions>>,
  None<RefusingUndefined<ClientOptionOverrides>>,
  None<RefusingUndefined<TsdoPipelineOptions>>,
  None<RefusingUndefined<OperationOptions>>,
  None<RefusingUndefined<RetryOptions>>,
  None<RefusingUndefined<RetryBudgetOptions>>,
  None<RefusingUndefined<RecoverableCreateOptions>>,
  None<RefusingUndefined<RateLimiterOptions>>,
  None<RefusingUndefined<RateLimitPolicyOptions>>,
  None<RefusingUndefined<NodeHttpClientOptions>>,
  None<RefusingUndefined<LogPolicyOptions>>,
  None<RefusingUndefined<RedirectOptions>>,
  None<RefusingUndefined<TimeoutPolicyOptions>>,
  None<RefusingUndefined<UserAgentPolicyOptions>>,
  None<RefusingUndefined<BufferBodyPolicyOptions>>,
  None<RefusingUndefined<BearerAuthPolicyOptions>>,
  None<RefusingUndefined<ProxySettings>>,
  None<RefusingUndefined<PipelineRequestOptions>>,
  None<RefusingUndefined<TsdoErrorOptions>>,
  None<RefusingUndefined<ErrorContext>>,
  None<RefusingUndefined<WaitOptions<unknown>>>,
  None<RefusingUndefined<ResourceWaitOptions<unknown>>>,
  None<RefusingUndefined<WaitForActionOptions>>,
  None<RefusingUndefined<PollUntilDoneOptions<unknown>>>,
  None<RefusingUndefined<DropletsListParams>>,
  None<RefusingUndefined<VolumesListParams>>,
  None<RefusingUndefined<FakeDigitalOceanOptions>>,
  None<RefusingUndefined<RateLimitOptions>>,
  None<RefusingUndefined<FaultTarget>>,
  None<RefusingUndefined<RandomFaultShares>>,
  None<RefusingUndefined<FallbackResponse>>,
  None<RefusingUndefined<RedisRateLimitStoreOptions>>,
];

/** A job's settings, as a config loader hands them over: anything may be missing. */
interface JobConfig {
  readonly pageSize?: number | undefined;
  readonly timeoutInMs?: number | undefined;
  readonly proxyUser?: string | undefined;
}

export async function run(client: DigitalOceanClient, config: JobConfig = {}): Promise<{ droplets: number; pages: number; requestUrl: string }> {
  const saved: { token: string } | undefined = undefined as { token: string } | undefined;
  // The example: a checkpoint that may not exist yet.
  let pages = 0;
  let droplets = 0;
  for await (const page of client.droplets.list({ per_page: config.pageSize, tag_name: undefined }).byPage({ continuationToken: saved?.token, maxPageSize: config.pageSize })) {
    pages++;
    droplets += page.droplets.length;
  }
  const callOptions: OperationOptions = { timeoutInMs: config.timeoutInMs, abortSignal: undefined, headers: undefined, retryOptions: { maxRetries: undefined } };
  await client.account.get(callOptions);

  // The fake and a client on it, built from the same kind of config.
  const fake = await startFakeDigitalOcean({ port: undefined, host: undefined, clock: undefined, seed: undefined, rateLimit: { limit: undefined }, timeScale: undefined });
  try {
    const local = createTestClient(fake, { timeoutInMs: config.timeoutInMs, userAgentPrefix: undefined, retryOptions: { maxRetries: undefined } });
    fake.faults.latency(1, { operationId: undefined, times: 1 });
    const { droplet } = await local.droplets.create({ name: "cfg-1", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" });
    await local.waitFor.droplet(droplet.id, { timeoutInMs: config.timeoutInMs, pollIntervalInMs: undefined, until: undefined, states: undefined });
  } finally {
    await fake.close();
  }
  const request = createPipelineRequest({ url: "/v2/account", timeout: config.timeoutInMs, abortSignal: undefined });
  const proxy: ProxySettings = { host: "http://proxy.internal", port: 3128, username: config.proxyUser, password: undefined };
  void proxy;
  return { droplets, pages, requestUrl: request.url };
}
