// The pipeline's public surface: the factory, its options, and every policy with its name.
export { createTsdoPipeline, type AdditionalPolicy, type TsdoPipelineOptions } from "./createPipeline.js";
export { bearerAuthPolicy, bearerAuthPolicyName, InsecureConnectionError, type BearerAuthPolicyOptions, type OriginCredential } from "./bearerAuthPolicy.js";
export { logPolicy, logPolicyName, DEFAULT_ALLOWED_HEADER_NAMES, type LogPolicyOptions } from "./logPolicy.js";
export { logger } from "./logger.js";
export { NodeHttpClient } from "./nodeHttpClient.js";
export { defaultRateLimitStore, rateLimitPolicy, rateLimitPolicyName, type RateLimiterOptions, type RateLimitPolicy, type RateLimitPolicyOptions } from "./rateLimitPolicy.js";
export { retryPolicy, retryPolicyName, type RetryPolicyOptions } from "./retryPolicy.js";
export { timeoutPolicy, timeoutPolicyName, DEFAULT_TIMEOUT_IN_MS, type TimeoutPolicyOptions } from "./timeoutPolicy.js";
export { SDK_VERSION, userAgentPolicy, userAgentPolicyName, type UserAgentPolicyOptions } from "./userAgentPolicy.js";
// Core's policies in tsdo's pipeline, by the names core gives them.
export { proxyPolicyName, redirectPolicyName } from "@azure/core-rest-pipeline";
