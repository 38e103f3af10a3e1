// Custom pipeline policies: add one of your own, remove one of tsdo's by name, replace one.
// Every call of every operation goes through `client.pipeline`.
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { retryPolicyName, userAgentPolicyName, type DigitalOceanClient } from "../src/index.js";
import { runSample } from "./run.js";

/** Adds an `x-correlation-id` header to every request: one id per process run, for your own logs. */
export function correlationIdPolicy(id: string): PipelinePolicy {
  return {
    name: "correlation-id",
    sendRequest: (request, next) => {
      request.headers.set("x-correlation-id", id);
      return next(request);
    },
  };
}

/** Adds, removes and replaces policies on `client`; returns the headers one call then sent. */
export async function customizePipeline(client: DigitalOceanClient, correlationId: string): Promise<{ correlationId: string | undefined; userAgent: string | undefined }> {
  // Add: per call (once, outside retries). The client option `additionalPolicies` does the same at construction.
  client.pipeline.addPolicy(correlationIdPolicy(correlationId));
  // Remove: e.g. no retries at all, for a script that must fail fast.
  client.pipeline.removePolicy({ name: retryPolicyName });
  // Replace: remove by name, add yours under the same name.
  client.pipeline.removePolicy({ name: userAgentPolicyName });
  client.pipeline.addPolicy({
    name: userAgentPolicyName,
    sendRequest: (request, next) => {
      request.headers.set("user-agent", "inventory-bot/2.0");
      return next(request);
    },
  });
  let sent: { correlationId: string | undefined; userAgent: string | undefined } = { correlationId: undefined, userAgent: undefined };
  await client.account.get({
    onResponse: (raw) => (sent = { correlationId: raw.request.headers.get("x-correlation-id"), userAgent: raw.request.headers.get("user-agent") }),
  });
  return sent;
}

runSample(module, async ({ client, log }) => {
  const sent = await customizePipeline(client, `run-${process.pid}`);
  log(`sent x-correlation-id: ${sent.correlationId}, user-agent: ${sent.userAgent}`);
});
