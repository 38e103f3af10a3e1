import assert from "node:assert/strict";
import { Agent } from "undici";
import { UndiciHttpClient } from "../../src/undici/index.js";
import { describeTransport, get } from "./transportContract.js";

// The policy suites (timeout, retry) run over this client too; these are its transport-level cases.
describeTransport("UndiciHttpClient", () => new UndiciHttpClient(), "../../src/undici/index.js", "UndiciHttpClient", ({ client, server }) => {
  it("keeps connections alive: ten calls in a row share at most two sockets", async () => {
    // undici frees a connection just after the body resolves, so a call made at once may take a
    // second pooled socket; what matters is that none is opened per call.
    const ports = new Set();
    for (let i = 0; i < 10; i++) ports.add(JSON.parse((await client.sendRequest(get(`${server().url}/k${i}`))).bodyAsText ?? "").port);
    assert.ok(ports.size <= 2, `ports: ${[...ports].join(", ")}`);
  });

  it("sends through the dispatcher it is given", async () => {
    const dispatcher = new Agent();
    let dispatched = 0;
    const counting = dispatcher.compose((dispatch) => (options, handler) => (dispatched++, dispatch(options, handler)));
    const response = await new UndiciHttpClient({ dispatcher: counting }).sendRequest(get(`${server().url}/d`));
    assert.equal(response.status, 200);
    assert.equal(dispatched, 1);
    await dispatcher.close();
  });
});
