// The escape hatch: any request through the client's pipeline (auth, retries, timeouts, logging),
// for an endpoint tsdo does not cover yet, or to read the raw response of a covered one.
import { createPipelineRequest, type DigitalOceanClient } from "../src/index.js";
import { runSample } from "./run.js";

export async function rawAccount(client: DigitalOceanClient): Promise<{ status: number; requestId: string | undefined; body: unknown }> {
  const response = await client.sendRequest(createPipelineRequest({ url: "/v2/account", method: "GET" }));
  return { status: response.status, requestId: response.headers.get("x-request-id"), body: JSON.parse(response.bodyAsText ?? "null") };
}

/** The same call through the typed method, with the raw response observed on the way. */
export async function accountWithHeaders(client: DigitalOceanClient): Promise<string | undefined> {
  let remaining: string | undefined;
  await client.account.get({ onResponse: (raw) => (remaining = raw.headers.get("ratelimit-remaining")) });
  return remaining;
}

runSample(module, async ({ client, log }) => {
  const raw = await rawAccount(client);
  log(`GET /v2/account → ${raw.status} (request ${raw.requestId})`);
  log(`ratelimit-remaining after a typed call: ${await accountWithHeaders(client)}`);
});
