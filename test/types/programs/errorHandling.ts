// Error handling: typed errors by class, their fields, and a typed fallback.
import { DigitalOceanError, NotFoundError, type DigitalOceanClient, type Droplet } from "tsdo";

export async function run(client: DigitalOceanClient): Promise<{ missing: boolean; status: number | undefined; id: string | undefined }> {
  let droplet: Droplet | undefined;
  try {
    droplet = (await client.droplets.get(987654321)).droplet;
  } catch (error) {
    if (error instanceof NotFoundError) return { missing: true, status: error.statusCode, id: error.id };
    if (error instanceof DigitalOceanError) return { missing: false, status: error.statusCode, id: error.id };
    throw error;
  }
  return { missing: droplet === undefined, status: 200, id: undefined };
}
