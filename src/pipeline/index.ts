// The pipeline's public surface: the factory, its options, and every policy with its name.
export { createTsdoPipeline, type AdditionalPolicy, type ProxySettings, type TsdoPipelineOptions } from "./createPipeline.js";
export { bearerAuthPolicy, bearerAuthPolicyName, type BearerAuthPolicyOptions, type OriginCredential } from "./bearerAuthPolicy.js";
export { bufferBodyPolicy, bufferBodyPolicyName, DEFAULT_MAX_BINARY_RESPONSE_BYTES, type BufferBodyPolicyOptions } from "./bufferBodyPolicy.js";
export { logPolicy, logPolicyName, DEFAULT_ALLOWED_HEADER_NAMES, type LogPolicyOptions } from "./logPolicy.js";
export { DEFAULT_MAX_RESPONSE_BYTES, NodeHttpClient, type NodeHttpClientOptions } from "./nodeHttpClient.js";
export { redirectPolicy, redirectPolicyName, type RedirectOptions } from "./redirectPolicy.js";
export { defaultRateLimitStore, rateLimitPolicy, rateLimitPolicyName, type RateLimiterOptions, type RateLimitPolicy, type RateLimitPolicyOptions } from "./rateLimitPolicy.js";
export { retryPolicy, retryPolicyName, type RetryPolicyOptions } from "./retryPolicy.js";
export { RetryBudget, type RetryBudgetOptions } from "./retryBudget.js";
export { timeoutPolicy, timeoutPolicyName, DEFAULT_TIMEOUT_IN_MS, type TimeoutPolicyOptions } from "./timeoutPolicy.js";
export { transportErrorPolicy, transportErrorPolicyName } from "./transportErrorPolicy.js";
export { SDK_VERSION, userAgentPolicy, userAgentPolicyName, type UserAgentPolicyOptions } from "./userAgentPolicy.js";
export { proxyPolicyName } from "./createPipeline.js";
