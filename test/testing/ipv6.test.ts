import assert from "node:assert/strict";
import { createTestClient, startFakeDigitalOcean } from "../../src/testing/index.js";

describe("fake DigitalOcean on an IPv6 loopback address", () => {
  it("gives a bracketed URL that the client can reach", async () => {
    const fake = await startFakeDigitalOcean({ host: "::1" });
    try {
      assert.match(fake.url, /^http:\/\/\[::1\]:\d+$/);
      const { account } = await createTestClient(fake).account.get();
      assert.equal(typeof account?.email, "string");
    } finally {
      await fake.close();
    }
  });
});
