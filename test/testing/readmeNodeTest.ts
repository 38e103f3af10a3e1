// The README's node:test example, as written (imports adjusted to the source tree). It is run by
// readmeExample.test.ts with `node --test`, not by mocha (the file name has no `.test`).
import assert from "node:assert/strict";
import { after, afterEach, before, it } from "node:test";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";

let fake: FakeDigitalOcean;
before(async () => (fake = await startFakeDigitalOcean({ seed: { tags: ["web"] } })));
afterEach(() => fake.reset());
after(() => fake.close());

it("lists the seeded tag", async () => {
  const { tags } = await createTestClient(fake).tags.list();
  assert.deepEqual(tags?.map((tag) => tag.name), ["web"]);
});
