import { createClientLogger } from "@azure/logger";

/**
 * tsdo's logger, namespace `azure:tsdo`. Enable it with `AZURE_LOG_LEVEL=info` (or `verbose`) or
 * `setLogLevel("info")` from `@azure/logger`; redirect output by assigning `AzureLogger.log`.
 */
export const logger = createClientLogger("tsdo");
