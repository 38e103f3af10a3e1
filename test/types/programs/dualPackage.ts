// One class across ESM and CommonJS: an ESM app catches, by class, the errors a CommonJS dependency
// of it throws (two builds of tsdo in one process), and tells the dependency's client by class too.
import { DigitalOceanClient, DigitalOceanError, NotFoundError, TsdoError, UnprocessableEntityError } from "tsdo";
import type { FakeDigitalOcean } from "tsdo/testing";
import { clientFor, createUnnamed, dropletById } from "./dualPackageDependency.cjs";

type Caught = "not found" | "invalid" | "other tsdo error";

async function classify(call: Promise<unknown>): Promise<Caught> {
  try {
    await call;
  } catch (error) {
    if (error instanceof NotFoundError) return "not found";
    if (error instanceof UnprocessableEntityError) return "invalid";
    if (error instanceof TsdoError) return "other tsdo error";
    throw error;
  }
  throw new Error("the call succeeded");
}

export async function run(fake: FakeDigitalOcean): Promise<{ client: boolean; missing: Caught; unnamed: Caught; status: number | undefined }> {
  const client = clientFor(fake);
  try {
    const missing = await classify(dropletById(client, 987654321));
    const unnamed = await classify(createUnnamed(client));
    const status = await dropletById(client, 987654321).then(
      () => undefined,
      (error: unknown) => (error instanceof DigitalOceanError ? error.statusCode : undefined),
    );
    const result = { client: client instanceof DigitalOceanClient, missing, unnamed, status };
    if (!result.client || missing !== "not found" || unnamed !== "invalid" || status !== 404) throw new Error(`a class of the CommonJS build is not the ESM one: ${JSON.stringify(result)}`);
    return result;
  } finally {
    client.close();
  }
}
