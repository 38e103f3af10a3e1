// The README's sections on per-call options, raw responses, resumable pages, withOptions and
// closing the client, run against tsdo/testing's fake as written (a seeded tag list stands in for droplets).
import assert from "node:assert/strict";
import { ClientClosedError, type DigitalOceanClient } from "../../src/index.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";

describe("README: per-call control, raw responses, resumable pages, the client's lifetime (on the fake)", () => {
  let fake: FakeDigitalOcean;
  let client: DigitalOceanClient;
  const tags = Array.from({ length: 25 }, (_, i) => `tag-${String(i).padStart(2, "0")}`);
  before(async () => {
    fake = await startFakeDigitalOcean({ seed: { tags } });
  });
  beforeEach(() => {
    client = createTestClient(fake);
  });
  afterEach(async () => {
    await client.close();
    fake.reset();
  });
  after(() => fake.close());

  it("per-call retryOptions and withResponse", async () => {
    const { data, response, requestId } = await client.tags.get("tag-01", { retryOptions: { maxRetries: 0 }, timeoutInMs: 5_000 }).withResponse();
    assert.equal(data.tag?.name, "tag-01");
    assert.equal(response.status, 200);
    assert.equal(requestId, response.headers.get("x-request-id"));
  });

  it("resumes a page walk from a stored continuationToken", async () => {
    const saved: string[] = [];
    let checkpoint: string | undefined;
    for await (const page of client.tags.list().byPage({ maxPageSize: 10 })) {
      saved.push(...(page.tags ?? []).map((tag) => tag.name as string));
      checkpoint = page.continuationToken;
      break; // the job stops after its first page
    }
    const later = createTestClient(fake);
    for await (const page of later.tags.list().byPage({ continuationToken: checkpoint, maxPageSize: 10 })) {
      saved.push(...(page.tags ?? []).map((tag) => tag.name as string));
    }
    await later.close();
    assert.deepEqual(saved, tags);
  });

  it("withOptions, then close", async () => {
    const batch = client.withOptions({ retryOptions: { maxRetries: 8 }, headers: { "x-job": "42" } });
    assert.equal((await batch.tags.list().toArray()).length, 25);
    await client.close();
    await assert.rejects(batch.tags.list().toArray(), ClientClosedError);
  });
});
