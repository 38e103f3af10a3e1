// Raw requests through the client's pipeline, and a custom HttpClient type.
import { createPipelineRequest, type DigitalOceanClient, type HttpClient, type PipelineResponse } from "tsdo";

export function countingHttpClient(inner: HttpClient, counter: { count: number }): HttpClient {
  return {
    sendRequest(request) {
      counter.count++;
      return inner.sendRequest(request);
    },
  };
}

export async function run(client: DigitalOceanClient): Promise<{ status: number; body: string | undefined }> {
  const response: PipelineResponse = await client.sendRequest(createPipelineRequest({ url: "/v2/account", method: "GET" }));
  return { status: response.status, body: response.bodyAsText ?? undefined };
}
