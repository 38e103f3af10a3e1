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
  InvalidTokenError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RedirectError,
  ResponseParseError,
  ResponseTooLargeError,
  TimeoutError,
  TsdoError,
  UnprocessableEntityError,
  WaitFailedError,
  WaitTimeoutError,
  type ErrorContext,
  type TsdoErrorOptions,
} from "./core/errors.js";
export { parseRateLimit, type HeaderSource, type RateLimit, type RateLimitStatus } from "./core/rateLimit.js";
export { ItemIterator, PagedResult, PageIterator, type ContinuablePage, type PageLinkOrigin, type PageSettings, type PageSource } from "./core/paging.js";
export { APIPromise, type Exchange, type WithResponse } from "./core/apiPromise.js";
export type { EventStream, ServerSentEvent } from "./core/events.js";
export type { OperationOptions, RetryOptions } from "./core/requestOptions.js";
export type { RecoverableCreateOptions } from "./core/recoverable.js";
export type { ActionReference, ActionState, WaitForActionOptions } from "./core/actions.js";
export { acceptors, type AcceptorCheck, type AcceptorName, type AcceptorRow, type AcceptorTable, type Reads, type WaiterReads } from "./core/acceptors.js";
export type { Clock } from "./core/clock.js";
export { DEFAULT_WAITER_POLLS_PER_MINUTE } from "./core/pollSchedule.js";
export { DEFAULT_NOT_FOUND_GRACE_IN_MS, type Verdict, type WaitOptions } from "./core/waiter.js";
export type { EnvelopeOf, GetterOf, IdsOf, RequiredPrefix, ResourceWaiter, ResourceWaiters, ResourceWaitOptions, WaitedResource, WaiterResult } from "./core/waitFor.js";
export {
  type DropLast,
  type ParentIdsOf,
  type PollerResource,
  type ResourcePoller,
  type PollerFactory,
  type PollerName,
  type PollerWaiters,
  type PollUntilDoneOptions,
  type ResourcePollers,
  type ResourcePollerState,
} from "./core/poller.js";
export * from "./pipeline/index.js";
export * from "./rateLimiter/index.js";
// What sendRequest users build requests with, and the types the documented options take
// (`additionalPolicies`, `httpClient`, `abortSignal`), so they need no direct dependency on core.
// The values are tsdo's own, with core's semantics, so that importing tsdo does not load core
// (src/core/azureCore.ts).
export { createHttpHeaders, createPipelineRequest, type PipelineRequestOptions } from "./core/pipelineRequest.js";
export { isRestError, RestError } from "./core/restError.js";
export type { HttpClient, PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "@azure/core-rest-pipeline";
export type { AbortSignalLike } from "@azure/abort-controller";
export type * from "./operations/index.js";
export type * from "./models/index.js";
