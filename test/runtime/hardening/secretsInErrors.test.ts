// Secrets in errors (issue 20 follow-up, red-team findings): a success answer that does not parse,
// an error answer that echoes the resource or the token, and a wait error's unbounded state.
import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { inspect } from "node:util";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import {
  AuthenticationError,
  DigitalOceanClient,
  InternalServerError,
  NotFoundError,
  ResponseParseError,
  WaitFailedError,
  WaitTimeoutError,
} from "../../../src/index.js";
import { redactUrl } from "../../../src/core/redact.js";
import { captureLogs, startServer, TOKEN, type TestServer } from "../policies/support.js";
import { assertSecretFree } from "./support.js";

const CLUSTER_ID = "9cc10173-e9ea-4176-9dbc-a4cee4c4ff30";
const RESOURCE_SECRETS = ["PWSECRET", "URISECRET", "PRIVSECRET", "USERPW", "KUBECFG", "USERDATA"];
const cluster = (status: string) => ({
  database: {
    id: CLUSTER_ID,
    name: "pg",
    status,
    user_data: "USERDATA",
    kubeconfig: "KUBECFG",
    connection: { uri: "postgres://doadmin:URISECRET@h:1/db", password: "PWSECRET" },
    private_connection: { password: "PRIVSECRET" },
    users: [{ name: "u", password: "USERPW" }],
  },
});

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** Fails if `error` shows any of `secrets` anywhere, `err.body`, `err.excerpt` and `err.response.headers` included. */
function assertNoneShown(error: Error, secrets: readonly string[]): void {
  assertSecretFree(error, secrets);
  const { body, excerpt, response } = error as { body?: unknown; excerpt?: string; response?: { headers: { toJSON(): unknown }; bodyAsText?: string } };
  const views = { body: JSON.stringify(body) ?? "", excerpt: excerpt ?? "", headers: JSON.stringify(response?.headers.toJSON()), bodyAsText: response?.bodyAsText ?? "" };
  for (const [view, text] of Object.entries(views)) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `${secret} appears in ${error.name}'s ${view}: ${text.slice(0, 300)}`);
  }
}

describe("hardening: secrets in errors", () => {
  let server: TestServer;
  let handle: (req: IncomingMessage, res: ServerResponse) => void;
  let client: DigitalOceanClient;
  beforeEach(async () => {
    server = await startServer((req, res) => handle(req, res));
    client = new DigitalOceanClient(TOKEN, { endpoint: server.url, allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
  });
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  describe("a success answer that does not parse (ResponseParseError)", () => {
    const truncated = JSON.stringify(cluster("creating")).slice(0, -1) + "}}garbage";

    it("defect: the excerpt keeps the body's shape and keys, never its values (it showed user_data, kubeconfig, uri, password)", async () => {
      handle = (_req, res) => send(res, 200, truncated);
      const error = await client.databases.getCluster(CLUSTER_ID).then(() => assert.fail("the call resolved"), (e: unknown) => e as ResponseParseError);
      assert.ok(error instanceof ResponseParseError);
      assert.ok(error.excerpt.startsWith('{"database":{"id":"…","name":"…","status":"…","user_data":"…","kubeconfig":"…","connection":{"uri":"…","password":"…"}'), error.excerpt);
      assert.ok(error.excerpt.length <= 200);
      assertNoneShown(error, RESOURCE_SECRETS);
    });

    it("defect: the error keeps no body text of a success answer (err.response.bodyAsText held the whole body)", async () => {
      handle = (_req, res) => send(res, 200, truncated);
      const error = (await client.databases.getCluster(CLUSTER_ID).catch((e: unknown) => e)) as ResponseParseError;
      assert.ok(error instanceof ResponseParseError);
      assert.equal(error.response?.status, 200);
      assert.equal(error.response?.bodyAsText, undefined);
    });

    it("defect: inside waitFor.databaseCluster the same error shows no secret", async () => {
      handle = (_req, res) => send(res, 200, truncated);
      const error = (await client.waitFor.databaseCluster(CLUSTER_ID, { timeoutInMs: 5_000 }).catch((e: unknown) => e)) as Error;
      assert.ok(error instanceof ResponseParseError, String(error));
      assertNoneShown(error, RESOURCE_SECRETS);
    });

    it("defect: the message does not quote V8's view of the body around the fault", async () => {
      // V8 says `Unexpected token 'x', ..."PWSECRET","b":x}"... is not valid JSON`.
      handle = (_req, res) => send(res, 200, '{"password":"PWSECRET","b":x}');
      const error = (await client.databases.getCluster(CLUSTER_ID).catch((e: unknown) => e)) as ResponseParseError;
      assert.ok(error instanceof ResponseParseError);
      assert.match(error.message, /^200 response to GET is not valid JSON: Unexpected token 'x'/);
      assert.equal(error.excerpt, '{"password":"…","b":…}');
      assertNoneShown(error, ["PWSECRET"]);
    });

    it("masks text that is not JSON, a string cut off, escapes; keeps numbers, true, false, null and empty strings", () => {
      const request = createPipelineRequest({ url: "https://api.example.com/v2/x", method: "GET" });
      const shape = (text: string) => new ResponseParseError("x", { status: 200, headers: createHttpHeaders(), request }, text).excerpt;
      assert.equal(shape('{"a":1,"b":-2.5e3,"c":true,"d":null,"e":"","f":"q\\"uote\\\\"'), '{"a":1,"b":-2.5e3,"c":true,"d":null,"e":"","f":"…"');
      assert.equal(shape('{"kubeconfig":"apiVersion: v1\\nclusters: KUBECFG'), '{"kubeconfig":"…');
      assert.equal(shape("<html><body>Bad gateway USERDATA</body></html>"), "… … …");
      assert.equal(shape(`{"a": dop_v1_abc, "k" : "v"}`), '{"a": …, "k" : "…"}');
      assert.equal(shape('["x","y"]'), '["…","…"]');
      assert.equal(shape('{"a":"\u001b[31mred"}'), '{"a":"…"}');
      assert.equal(shape('{"\u001b[31m":1}'), '{" [31m":1}');
    });
  });

  describe("an error answer that echoes the resource", () => {
    it("defect: a 5xx's err.body keeps DigitalOcean's error fields only, and the error no body text with the rest", async () => {
      handle = (_req, res) => send(res, 500, JSON.stringify({ id: "server_error", message: "oops", request_id: "r-1", echo: cluster("x") }));
      const error = (await client.databases.getCluster(CLUSTER_ID).catch((e: unknown) => e)) as InternalServerError;
      assert.ok(error instanceof InternalServerError);
      assert.deepEqual(error.body, { id: "server_error", message: "oops", request_id: "r-1" });
      assert.equal(error.id, "server_error");
      assert.equal(error.requestId, "r-1");
      assert.equal(error.response?.bodyAsText, undefined);
      assertNoneShown(error, RESOURCE_SECRETS);
    });

    it("defect: a 422 that echoes the request's user_data keeps its message, not the echo", async () => {
      handle = (_req, res) => send(res, 422, JSON.stringify({ id: "unprocessable_entity", message: "bad region", droplet: { user_data: "USERDATA" } }));
      const error = (await client.droplets.create({ name: "n", region: "x", size: "s", image: "i", user_data: "USERDATA" }).catch((e: unknown) => e)) as Error;
      assert.deepEqual((error as { body?: unknown }).body, { id: "unprocessable_entity", message: "bad region" });
      assertNoneShown(error, ["USERDATA"]);
    });

    it("defect: an error answer that is a JSON array is no error document: dropped", async () => {
      handle = (_req, res) => send(res, 503, JSON.stringify([cluster("x")]));
      const error = (await client.databases.getCluster(CLUSTER_ID).catch((e: unknown) => e)) as InternalServerError;
      assert.ok(error instanceof InternalServerError);
      assert.equal(error.body, undefined);
      assertNoneShown(error, RESOURCE_SECRETS);
    });

    it("keeps a plain error document whole, its text included", async () => {
      const text = JSON.stringify({ id: "not_found", message: "The resource you were accessing could not be found.", request_id: "r-2" });
      handle = (_req, res) => send(res, 404, text);
      const error = (await client.databases.getCluster(CLUSTER_ID).catch((e: unknown) => e)) as NotFoundError;
      assert.ok(error instanceof NotFoundError);
      assert.deepEqual(error.body, JSON.parse(text));
      assert.equal(error.response?.bodyAsText, text);
    });
  });

  describe("a server that echoes the token", () => {
    const echoing = (status: number) => (req: IncomingMessage, res: ServerResponse) =>
      send(res, status, JSON.stringify({ id: "unauthorized", message: `bad token ${req.headers.authorization}` }), {
        "set-cookie": "s=COOKIESECRET; HttpOnly",
        "x-echo-auth": String(req.headers.authorization),
        "x-request-id": `id-${String(req.headers.authorization).slice(7)}`,
      });

    for (const status of [401, 503]) {
      it(`defect: a ${status} whose message and headers repeat the token shows REDACTED in its place (err.message, stack, body held dop_v1_…)`, async () => {
        handle = echoing(status);
        const error = (await client.account.get().catch((e: unknown) => e)) as Error;
        assert.ok(status === 401 ? error instanceof AuthenticationError : error instanceof InternalServerError, String(error));
        assert.match(error.message, new RegExp(`^${status} bad token Bearer REDACTED \\(GET /v2/account\\)$`));
        assert.deepEqual((error as { body?: unknown }).body, { id: "unauthorized", message: "bad token Bearer REDACTED" });
        assert.equal((error as AuthenticationError).requestId, "id-REDACTED");
        assertNoneShown(error, [TOKEN, "COOKIESECRET"]);
        assert.equal((error as AuthenticationError).response?.headers.get("set-cookie"), undefined);
      });
    }

    it("defect: the info and verbose log lines never repeat an echoed token (the log policy sees the answer first)", async () => {
      handle = (req, res) => send(res, 200, JSON.stringify({ account: {} }), { "x-request-id": String(req.headers.authorization), location: `/x/${TOKEN}` });
      const logs = captureLogs("verbose");
      try {
        await client.account.get();
      } finally {
        logs.restore();
      }
      const lines = logs.lines.filter((line) => line.includes("/v2/account"));
      assert.ok(lines.some((line) => line.includes("x-request-id=Bearer REDACTED")), lines.join("\n"));
      assert.ok(lines.every((line) => !line.includes(TOKEN)), lines.join("\n"));
    });

    it("leaves a success answer's data as it came (the caller's), headers aside", async () => {
      handle = (req, res) => send(res, 200, JSON.stringify({ account: { email: String(req.headers.authorization) } }), { "x-echo": String(req.headers.authorization) });
      const { data, response } = await client.account.get().withResponse();
      assert.equal((data as { account: { email: string } }).account.email, `Bearer ${TOKEN}`);
      assert.equal(response.headers.get("x-echo"), "Bearer REDACTED");
    });

    it("a short test key is not looked for (it would rewrite every answer)", async () => {
      const short = new DigitalOceanClient("t", { endpoint: server.url, allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
      handle = (_req, res) => send(res, 401, JSON.stringify({ id: "unauthorized", message: "the token is not valid" }));
      try {
        const error = (await short.account.get().catch((e: unknown) => e)) as AuthenticationError;
        assert.equal(error.message, "401 the token is not valid (GET /v2/account)");
      } finally {
        await short.close();
      }
    });
  });

  describe("a wait error's state", () => {
    const huge = `\u001b[31mX${"A".repeat(1_000_000)}`;

    it("defect: WaitTimeoutError and WaitFailedError bound and neutralize the state like the id and name (it was 1,000,006 characters with ESC)", () => {
      for (const error of [new WaitTimeoutError("late", 1000, { id: 1, status: huge }, huge), new WaitFailedError("failed", { id: 1, status: huge }, huge)]) {
        assert.ok(error.state!.length <= 201, `${error.name}.state is ${error.state!.length} characters`);
        assert.ok(error.state!.startsWith(" [31mXAAA"), error.state!.slice(0, 20));
        assert.ok(!error.state!.includes("\u001b"));
        assert.ok(JSON.stringify(error).length < 2_000, `JSON.stringify(${error.name}) is ${JSON.stringify(error).length} characters`);
        assert.ok(inspect(error, { depth: Infinity }).length < 20_000);
        assert.equal((error.getResource() as { status: string }).status, huge);
      }
      assert.equal(new WaitFailedError("gone", undefined, "not_found").state, "not_found");
      assert.equal(new WaitTimeoutError("late", 1000, undefined, undefined).state, undefined);
    });

    it("defect: a droplet whose status is a megabyte of ANSI text times out with a bounded state", async () => {
      handle = (_req, res) => send(res, 200, JSON.stringify({ droplet: { id: 1, name: "n", status: huge } }));
      const error = (await client.waitFor.droplet(1, { timeoutInMs: 300, pollIntervalInMs: 100 }).catch((e: unknown) => e)) as WaitTimeoutError;
      assert.ok(error instanceof WaitTimeoutError, String(error));
      assert.ok(error.state!.length <= 201);
      assert.ok(!JSON.stringify(error).includes("\\u001b"));
      assert.ok(JSON.stringify(error).length < 5_000);
    });
  });

  it("defect: a query's pw, pass or pwd value is redacted in the URL an error keeps", () => {
    assert.equal(redactUrl("https://h/v2/droplets?page=2&pw=PWQ&pass=P2&db_pwd=P3&passphrase=P4"), "https://h/v2/droplets?page=2&pw=REDACTED&pass=REDACTED&db_pwd=REDACTED&passphrase=REDACTED");
  });
});
