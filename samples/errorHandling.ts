// Telling DigitalOcean's answers apart: every non-2xx answer is a DigitalOceanError subclass.
import { DigitalOceanClient, DigitalOceanError, NotFoundError, UnprocessableEntityError } from "../src/index.js";

/** Returns the droplet, or `undefined` when it does not exist; any other failure is thrown on. */
export async function findDroplet(client: DigitalOceanClient, dropletId: number) {
  try {
    return (await client.droplets.get(dropletId)).droplet;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** Creates a droplet; a refusal (unknown region, size or image) comes back as DigitalOcean's message. */
export async function tryCreate(client: DigitalOceanClient, region: string): Promise<string> {
  try {
    const created = await client.droplets.create({ name: "sample", region, size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" });
    return "droplet" in created ? `created ${created.droplet.id}` : "created several";
  } catch (error) {
    if (error instanceof UnprocessableEntityError) return `refused: ${error.message} (request ${error.requestId})`;
    if (error instanceof DigitalOceanError) return `failed with ${error.statusCode} ${error.id}`;
    throw error;
  }
}
