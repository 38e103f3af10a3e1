import type { PipelineRequest } from "@azure/core-rest-pipeline";
import type { RetryOptions } from "./requestOptions.js";

/**
 * Per-call settings that policies read from a request, beyond what `PipelineRequest` has fields for.
 * Add a field here for each new per-call option a policy needs.
 */
export interface RequestSettings {
  /** The call's own retry settings; the retry policy merges them over the client's. */
  readonly retryOptions?: RetryOptions | undefined;
}

// Keyed by the request object, as attempt numbers are: nothing is sent to the server or shows up
// on an object the caller owns, and the entry dies with the request.
const settingsByRequest = new WeakMap<PipelineRequest, RequestSettings>();

/** Attaches a call's settings to its request. */
export function setRequestSettings(request: PipelineRequest, settings: RequestSettings): void {
  settingsByRequest.set(request, settings);
}

/** The settings attached to `request`, if any. */
export function requestSettingsOf(request: PipelineRequest): RequestSettings | undefined {
  return settingsByRequest.get(request);
}
