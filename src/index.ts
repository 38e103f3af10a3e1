// tsdo's public surface: everything a user imports comes from here (api-extractor reports it).
export { DigitalOceanClient, type DigitalOceanClientOptions } from "./client.js";
export { DEFAULT_ENDPOINT, DEFAULT_INFERENCE_ENDPOINT, GeneratedClient, type CompletedAction, type GeneratedClientOptions } from "./generatedClient.js";
export {
  AbortError,
  ActionFailedError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  DigitalOceanError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseParseError,
  TimeoutError,
  UnprocessableEntityError,
  type ErrorContext,
} from "./core/errors.js";
export { parseRateLimit, type HeaderSource, type RateLimit, type RateLimitStatus } from "./core/rateLimit.js";
export { PagedResult, type PageFetcher } from "./core/paging.js";
export type { EventStream, ServerSentEvent } from "./core/events.js";
export type { OperationOptions } from "./core/requestOptions.js";
export type { ActionReference, ActionState, WaitForActionOptions } from "./core/actions.js";
export * from "./pipeline/index.js";
export * from "./rateLimiter/index.js";
// What sendRequest users build requests with, so they need no direct dependency on core.
export { createHttpHeaders, createPipelineRequest, isRestError, RestError, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
export type * from "./operations/index.js";
export type * from "./models/index.js";
