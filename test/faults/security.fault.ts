import assert from "node:assert/strict";
import { inspect } from "node:util";
import { DigitalOceanClient, RedirectError } from "../../src/index.js";
import { scenario } from "./results.js";
import { httpServersClosedAfterEach, json } from "./servers.js";

const GROUP = "Security";
const TOKEN = "dop_v1_faultsuiteSECRETTOKEN0123456789abcdef0123456789abcdef01234567";

describe("fault suite: security under attack", () => {
  const serve = httpServersClosedAfterEach();
  const clientOf = (url: string, options = {}): DigitalOceanClient =>
    new DigitalOceanClient(TOKEN, { endpoint: url, allowInsecureConnection: true, timeoutInMs: 200, retryOptions: { maxRetries: 0 }, ...options });

  scenario(GROUP, "the token is not reachable from any error (404, reset, timeout, bad JSON), by any of 7 ways of walking it", async (row) => {
    const server = await serve((request, response) => {
      const path = request.url ?? "";
      if (path.includes("/1")) return json(response, 404, { id: "not_found", message: "nope" });
      if (path.includes("/2")) return response.socket?.destroy();
      if (path.includes("/3")) return; // never answers: TimeoutError
      response.writeHead(200, { "content-type": "application/json" }).end("{bad");
    });
    const client = clientOf(server.url);
    let ways = 0;
    for (const id of [1, 2, 3, 4]) {
      const error = (await client.droplets.get(id).then(() => assert.fail("resolved"), (e: unknown) => e)) as Record<string, any>;
      const views = [
        inspect(error, { depth: 8, showHidden: true }),
        JSON.stringify(error),
        String(error.stack),
        JSON.stringify(error.request ?? null),
        JSON.stringify(error.response ?? null),
        String(error.request?.headers?.get?.("authorization") ?? ""),
        String(error.cause?.request?.headers?.get?.("authorization") ?? ""),
      ];
      for (const view of views) {
        ways++;
        assert.ok(!view.includes("SECRETTOKEN"), `the token shows in view ${views.indexOf(view)} of ${error.name}`);
      }
    }
    row.requests = server.received();
    row.faults = "404, reset, timeout, malformed JSON";
    row.figure = `${ways} views of 4 errors, 0 with the token`;
  });

  scenario(GROUP, "a cross-origin redirect of a GET drops the token", async (row) => {
    const other = await serve((request, response) => json(response, 200, { droplet: { id: 1, auth: request.headers.authorization ?? null } }));
    const origin = await serve((_q, response) => response.writeHead(302, { location: `${other.url}/v2/droplets/1` }).end());
    const result = await clientOf(origin.url).droplets.get(1);
    assert.equal((result.droplet as unknown as { auth: unknown }).auth, null);
    row.requests = origin.received() + other.received();
    row.faults = "302 to another origin";
    row.figure = "followed; no Authorization at the other origin";
  });

  scenario(GROUP, "a cross-origin 307 of a POST is refused: the body (user_data) and custom headers never reach the other origin", async (row) => {
    const other = await serve((_q, response) => json(response, 202, { droplet: { id: 1 }, links: {} }));
    const origin = await serve((_q, response) => response.writeHead(307, { location: `${other.url}/v2/droplets` }).end());
    const body = { name: "d", size: "s", image: "i", region: "r", user_data: "#cloud-config\npassword: hunter2" };
    await assert.rejects(clientOf(origin.url).droplets.create(body, { headers: { "x-gateway-key": "gw-secret" } }), RedirectError);
    assert.equal(other.received(), 0);
    row.requests = origin.received() + other.received();
    row.faults = "307 to another origin";
    row.figure = "RedirectError; 0 requests at the other origin";
  });

  scenario(GROUP, "an error message from the server is capped and neutralized (5 MB, CR/LF/ANSI)", async (row) => {
    const message = `evil\r\nInjected-Header: 1\u001b[31mred${"x".repeat(5 * 2 ** 20)}`;
    const server = await serve((_q, response) => json(response, 422, { id: "unprocessable_entity", message }));
    const error = (await clientOf(server.url).droplets.get(1).then(() => assert.fail("resolved"), (e: unknown) => e)) as Error;
    // The server's part is capped at 300 characters; the status and the request line come on top.
    assert.ok(error.message.length < 400, `message of ${error.message.length} chars`);
    assert.ok(!/[\r\n\u001b]/.test(error.message), "no CR, LF or ESC in the message");
    row.requests = server.received();
    row.faults = "5 MB message with CR/LF/ANSI";
    row.figure = `message of ${error.message.length} chars`;
  });

  scenario(GROUP, "an endpoint with userinfo is refused, without showing the password", async (row) => {
    assert.throws(
      () => new DigitalOceanClient(TOKEN, { endpoint: "https://user:hunter2@127.0.0.1:1" }),
      // Option validation: a TypeError naming the option; InsecureConnectionError is for URLs met while sending.
      (error: Error) => error instanceof TypeError && !inspect(error).includes("hunter2"),
    );
    row.faults = "endpoint https://user:…@host";
    row.figure = "TypeError at construction";
  });

  scenario(GROUP, "client.rateLimit keeps the API's count when another origin answers with ratelimit-* headers", async (row) => {
    const limits = (remaining: number) => ({ "ratelimit-limit": "250", "ratelimit-remaining": String(remaining), "ratelimit-reset": "2000000000" });
    const api = await serve((_q, response) => json(response, 200, { droplet: { id: 1 } }, limits(200)));
    const inference = await serve((_q, response) => json(response, 200, { data: [] }, limits(3)));
    const client = clientOf(api.url, { inferenceEndpoint: inference.url, inferenceKey: "k" });
    await client.droplets.get(1);
    await client.inference.createEmbedding({ model: "m", input: "x" } as never);
    assert.equal(client.rateLimit?.remaining, 200);
    row.requests = api.received() + inference.received();
    row.faults = "ratelimit-* headers from the inference host";
    row.figure = "client.rateLimit unchanged";
  });
});
