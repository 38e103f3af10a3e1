// tsdo's public surface: everything a user imports comes from here (api-extractor reports it).
export { DigitalOceanClient, type DigitalOceanClientOptions } from "./client.js";
export { DEFAULT_ENDPOINT, DEFAULT_INFERENCE_ENDPOINT, GeneratedClient, type ClientOptionOverrides, type CompletedAction, type GeneratedClientOptions } from "./generatedClient.js";
export {
  AbortError,
  ActionFailedError,
  AuthenticationError,
  BadRequestError,
  ClientClosedError,
  ConflictError,
  ConnectionError,
  DigitalOceanError,
  InsecureConnectionError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RedirectError,
  ResponseParseError,
  ResponseTooLargeError,
  TimeoutError,
  TsdoError,
  UnprocessableEntityError,
  type ErrorContext,
  type TsdoErrorOptions,
} from "./core/errors.js";
export { parseRateLimit, type HeaderSource, type RateLimit } from "./core/rateLimit.js";
export { ItemIterator, PagedResult, PageIterator, type ContinuablePage, type PageSettings, type PageSource } from "./core/paging.js";
export { APIPromise, type Exchange, type WithResponse } from "./core/apiPromise.js";
export type { EventStream, ServerSentEvent } from "./core/events.js";
export type { OperationOptions, RetryOptions } from "./core/requestOptions.js";
export type { ActionReference, ActionState, WaitForActionOptions } from "./core/actions.js";
export * from "./pipeline/index.js";
// What sendRequest users build requests with, so they need no direct dependency on core; tsdo's
// own, with core's semantics, so that importing tsdo does not load core (src/core/azureCore.ts).
export { createHttpHeaders, createPipelineRequest } from "./core/pipelineRequest.js";
export { isRestError, RestError } from "./core/restError.js";
export type { PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
export type * from "./operations/index.js";
export type * from "./models/index.js";
