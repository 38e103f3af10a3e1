import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { checkHeaderValue } from "../core/requestOptions.js";

/** Name of the user-agent policy, for `pipeline.removePolicy({ name })`. */
export const userAgentPolicyName = "tsdo-user-agent";

/**
 * tsdo's version, as sent in `User-Agent`. A constant rather than a read of package.json at load
 * time (costly, and the file's location differs between builds); a unit test keeps the two equal.
 */
export const SDK_VERSION = "0.1.0";

/** Options of `userAgentPolicy`. */
export interface UserAgentPolicyOptions {
  /** Put in front of tsdo's own product token, e.g. `"my-app/1.2"`. */
  userAgentPrefix?: string | undefined;
}

/** The `User-Agent` value: `[<prefix> ]tsdo/<version> Node/<version> (<platform>)`. */
export function userAgentValue(userAgentPrefix?: string): string {
  checkUserAgentPrefix(userAgentPrefix);
  const own = `tsdo/${SDK_VERSION} Node/${process.version.replace(/^v/, "")} (${process.platform})`;
  const prefix = userAgentPrefix?.trim();
  return prefix ? `${prefix} ${own}` : own;
}

/** Refuses a prefix that is not a string or holds what no header value may (CR, LF, NUL…); the value is not shown. */
export function checkUserAgentPrefix(userAgentPrefix: unknown): void {
  if (userAgentPrefix === undefined) return;
  if (typeof userAgentPrefix !== "string") throw new TypeError(`userAgentPrefix must be a string (got ${typeof userAgentPrefix})`);
  checkHeaderValue(userAgentPrefix, "userAgentPrefix");
}

/**
 * Sets `User-Agent` on every request (computed once per pipeline). A `User-Agent` the caller set on
 * the request itself is kept. Unlike core's pipeline, tsdo sends no `x-ms-client-request-id`.
 */
export function userAgentPolicy(options: UserAgentPolicyOptions = {}): PipelinePolicy {
  const value = userAgentValue(options.userAgentPrefix);
  return {
    name: userAgentPolicyName,
    sendRequest(request, next) {
      if (!request.headers.has("User-Agent")) request.headers.set("User-Agent", value);
      return next(request);
    },
  };
}
