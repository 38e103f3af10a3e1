// A custom pipeline policy, typed by tsdo's own exports (no direct dependency on core).
import { DigitalOceanClient, type PipelinePolicy, type PipelineRequest, type PipelineResponse, type SendRequest } from "tsdo";

export function tracingPolicy(seen: string[]): PipelinePolicy {
  return {
    name: "tracing",
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      request.headers.set("x-trace-id", "trace-1");
      const response = await next(request);
      seen.push(`${request.method} ${new URL(request.url).pathname} ${response.status}`);
      return response;
    },
  };
}

export async function run(client: DigitalOceanClient, endpoint: string, token: string): Promise<string[]> {
  const seen: string[] = [];
  const traced = new DigitalOceanClient(token, {
    endpoint,
    allowInsecureConnection: true,
    additionalPolicies: [{ policy: tracingPolicy(seen), position: "perCall" }],
  });
  const { account } = await traced.account.get();
  seen.push(account.email);
  await client.account.get();
  return seen;
}
