// Run as a child process by redirect.test.ts, with NO_PROXY set as the scenario needs: core reads
// NO_PROXY once per process, when the first proxy policy is made.
import { AzureKeyCredential } from "@azure/core-auth";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTsdoPipeline } from "../../../src/pipeline/createPipeline.js";
import { NodeHttpClient } from "../../../src/pipeline/nodeHttpClient.js";

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

async function main(): Promise<void> {
  const [nextScheme, nextHost] = process.argv.slice(2) as [string, string];
  const seen: string[] = [];
  const target = createServer((req, res) => {
    seen.push(`direct ${req.method} ${req.url}`);
    res.end("{}");
  });
  const targetPort = await listen(target);
  const proxy = createServer((req, res) => {
    seen.push(`proxy ${req.method} ${req.url}`);
    // The proxy plays the first origin too: its answer is the redirect under test.
    res.writeHead(302, { location: `${nextScheme}://${nextHost}:${targetPort}/v2/next` });
    res.end();
  });
  proxy.on("connect", (req, socket) => {
    seen.push(`proxy CONNECT ${req.url}`);
    socket.destroy();
  });
  const proxyPort = await listen(proxy);
  const endpoint = "http://127.0.0.1:1";
  const pipeline = createTsdoPipeline({
    credential: new AzureKeyCredential("token"),
    endpoint,
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
    proxyOptions: { host: "http://127.0.0.1", port: proxyPort },
  });
  const request = createPipelineRequest({ url: `${endpoint}/v2/start`, method: "GET", headers: createHttpHeaders() });
  const outcome = await pipeline.sendRequest(new NodeHttpClient(), request).then(
    (response) => String(response.status),
    (error: Error) => error.name,
  );
  process.stdout.write(JSON.stringify({ seen, outcome, targetPort }));
  target.closeAllConnections();
  proxy.closeAllConnections();
  target.close();
  proxy.close();
}

void main();
