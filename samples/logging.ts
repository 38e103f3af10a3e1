// Logging: tsdo logs through @azure/logger as `azure:tsdo`. `AZURE_LOG_LEVEL=info` turns it on from
// the environment; here it is turned on in code and its lines are collected instead of printed.
import { format } from "node:util";
import { AzureLogger, getLogLevel, setLogLevel } from "@azure/logger";
import type { DigitalOceanClient } from "../src/index.js";
import { runSample } from "./run.js";

/** Runs two calls with logging at `info` and returns the log lines they produced. */
export async function loggedCalls(client: DigitalOceanClient): Promise<string[]> {
  const lines: string[] = [];
  const [previousLog, previousLevel] = [AzureLogger.log, getLogLevel()];
  AzureLogger.log = (...args: unknown[]) => lines.push(format(...args));
  setLogLevel("info"); // "verbose" adds headers (those outside an allow-list as REDACTED)
  try {
    await client.account.get();
    await client.droplets.get(424242).catch(() => undefined); // a 404 is logged as well
  } finally {
    AzureLogger.log = previousLog;
    setLogLevel(previousLevel);
  }
  return lines.filter((line) => line.startsWith("azure:tsdo"));
}

runSample(module, async ({ client, log }) => {
  for (const line of await loggedCalls(client)) log(line);
});
