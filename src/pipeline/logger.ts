import type { AzureLogger } from "@azure/logger";

// `@azure/logger` (and the runtime logger behind it) is a fifth of what importing tsdo used to
// cost, and nothing logs before a request is under way, so it is loaded by the first line that
// needs it; core loads it anyway once the first request is sent.
let logger: AzureLogger | undefined;
let loading: Promise<AzureLogger> | undefined;

/**
 * tsdo's logger, namespace `azure:tsdo` (enabled by `AZURE_LOG_LEVEL=info` or `setLogLevel("info")`
 * from `@azure/logger`), loading `@azure/logger` the first time.
 */
export function tsdoLogger(): Promise<AzureLogger> {
  loading ??= import("@azure/logger").then((module) => (logger = module.createClientLogger("tsdo")));
  return loading;
}

/** tsdo's logger if a previous `tsdoLogger()` loaded it, else `undefined`. */
export function loadedTsdoLogger(): AzureLogger | undefined {
  return logger;
}

/**
 * Writes one line at `level` (when that level is enabled), after loading the logger if nothing
 * has yet. For the lines written outside the log policy (retries, the limiter, recoverable
 * creates); by the time they happen the first request's log policy has usually loaded it.
 */
export function log(level: "info" | "warning", message: string): void {
  if (logger !== undefined) logger[level](message);
  else void tsdoLogger().then((loaded) => loaded[level](message));
}
