import assert from "node:assert/strict";
import { DigitalOceanClient } from "../../../src/index.js";
import { userAgentPolicy } from "../../../src/pipeline/userAgentPolicy.js";
import { startServer, TOKEN, type TestServer } from "../policies/support.js";

/** Values a header must never carry: CR/LF split headers; Node refuses NUL, other controls, DEL and anything above U+00FF. */
const BAD_VALUES: ReadonlyArray<readonly [string, string]> = [
  ["CR LF (a header injection)", "v\r\nX-Injected: SECRET-VALUE"],
  ["LF", "v\nSECRET-VALUE"],
  ["CR", "v\rSECRET-VALUE"],
  ["NUL", "v\u0000SECRET-VALUE"],
  ["ESC", "v\u001b[31mSECRET-VALUE"],
  ["DEL", "v\u007fSECRET-VALUE"],
  ["U+2028", "v\u2028SECRET-VALUE"],
  ["U+0100", "v\u0100SECRET-VALUE"],
];

/** Header names that are not HTTP tokens. */
const BAD_NAMES: readonly string[] = ["", "x trace", "x:trace", "x-trace\r\nX-Injected", "x\u0000", "é", "(x)", "x/y"];

describe("hardening: caller-supplied headers", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"droplet":{"id":1}}'));
  });
  after(() => server.close());
  beforeEach(() => (server.requests.length = 0));

  const clientOf = (options = {}) => new DigitalOceanClient(TOKEN, { endpoint: server.url, allowInsecureConnection: true, retryOptions: { maxRetries: 0 }, ...options });

  /** Refused with a short TypeError naming `option` and `name`, showing neither the value nor the token. */
  const assertRefused = (error: unknown, option: RegExp, name: string | undefined): void => {
    assert.ok(error instanceof TypeError, `got ${String(error)}`);
    assert.match(error.message, option);
    if (name !== undefined) assert.ok(error.message.includes(JSON.stringify(name)), error.message);
    assert.doesNotMatch(error.message, /SECRET-VALUE|[\r\n\u0000]/);
    assert.ok(!error.message.includes(TOKEN));
    assert.ok(error.message.length < 300, `${error.message.length} characters`);
  };
  const thrown = (run: () => unknown): unknown => {
    try {
      run();
    } catch (error) {
      return error;
    }
    return assert.fail("did not throw");
  };

  for (const name of ["Host", "content-length", "Transfer-Encoding", "connection", "upgrade", "expect"]) {
    it(`the transport's own header ${name} is refused before any request: it would move the token's host or split the request`, async () => {
      const client = clientOf();
      const refused = await client.droplets.get(1, { headers: { [name]: "evil.example" } }).then(() => assert.fail("resolved"), (e: unknown) => e);
      assertRefused(refused, /droplets_get: headers/, name);
      assert.match((refused as Error).message, /set by the transport/);
      assertRefused(thrown(() => clientOf({ headers: { [name]: "evil.example" } })), /client option "headers"/, name);
      assertRefused(thrown(() => client.withOptions({ headers: { [name]: "evil.example" } })), /"headers"/, name);
      assert.equal(server.requests.length, 0, "nothing was sent");
      await client.close();
    });
  }

  for (const [what, value] of BAD_VALUES) {
    it(`a value with ${what} is refused before any request: per call, client headers, withOptions, userAgentPrefix`, async () => {
      const client = clientOf();
      assertRefused(await client.droplets.get(1, { headers: { "x-trace": value } }).then(() => assert.fail("resolved"), (e: unknown) => e), /droplets_get: headers/, "x-trace");
      assertRefused(thrown(() => clientOf({ headers: { "x-trace": value } })), /client option "headers"/, "x-trace");
      assertRefused(thrown(() => client.withOptions({ headers: { "x-trace": value } })), /"headers"/, "x-trace");
      assertRefused(thrown(() => clientOf({ userAgentPrefix: value })), /userAgentPrefix/, undefined);
      assertRefused(thrown(() => client.withOptions({ userAgentPrefix: value })), /userAgentPrefix/, undefined);
      assertRefused(thrown(() => userAgentPolicy({ userAgentPrefix: value })), /userAgentPrefix/, undefined);
      assert.equal(server.requests.length, 0, "nothing was sent");
      await client.close();
    });
  }

  it("a header parameter of an operation (X-Dangerous) is held to the same rule", async () => {
    const client = clientOf();
    const error = await client.droplets.destroyWithAssociatedResourcesDangerous(1, { "X-Dangerous": "true\r\nX-Injected: 1" } as never).then(() => assert.fail("resolved"), (e: unknown) => e);
    assertRefused(error, /X-Dangerous/, undefined);
    assert.equal(server.requests.length, 0);
  });

  for (const name of BAD_NAMES) {
    it(`the header name ${JSON.stringify(name)} is refused (not an HTTP token) everywhere`, async () => {
      const client = clientOf();
      const named = (error: unknown) => {
        assert.ok(error instanceof TypeError, String(error));
        assert.match(error.message, /not a valid header name/);
        assert.doesNotMatch(error.message, /[\r\n\u0000]/);
        assert.ok(error.message.length < 300);
        assert.ok(error.message.includes(JSON.stringify(name)), error.message);
      };
      named(await client.droplets.get(1, { headers: { [name]: "v" } }).then(() => assert.fail("resolved"), (e: unknown) => e));
      named(thrown(() => clientOf({ headers: { [name]: "v" } })));
      named(thrown(() => client.withOptions({ headers: { [name]: "v" } })));
      assert.equal(server.requests.length, 0);
      await client.close();
    });
  }

  it("a huge header name is not echoed in full", async () => {
    const client = clientOf();
    const error = await client.droplets.get(1, { headers: { [`x ${"a".repeat(1_000_000)}`]: "v" } }).then(() => assert.fail("resolved"), (e: unknown) => e);
    assert.ok(error instanceof TypeError);
    assert.ok(error.message.length < 300, `${error.message.length} characters`);
  });

  it("valid values still go out as given: tab, spaces, visible ASCII, Latin-1", async () => {
    const client = clientOf({ headers: { "x-client": "a\tb c" }, userAgentPrefix: "my-app/1.2 (+https://example.test)" });
    await client.droplets.get(1, { headers: { "X-Call": "!#$%&'*+-.^_`|~ caf\u00e9" } });
    const [seen] = server.requests;
    assert.equal(seen?.headers["x-client"], "a\tb c");
    assert.equal(seen?.headers["x-call"], Buffer.from("!#$%&'*+-.^_`|~ caf\u00e9", "latin1").toString("latin1"));
    assert.match(String(seen?.headers["user-agent"]), /^my-app\/1\.2 \(\+https:\/\/example\.test\) tsdo\//);
    await client.close();
  });

  it("userAgentPrefix must be a string", () => {
    assertRefused(thrown(() => clientOf({ userAgentPrefix: 42 as never })), /userAgentPrefix must be a string/, undefined);
  });
});
