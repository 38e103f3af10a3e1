// Cancellation: an AbortSignalLike passed through, an abort surfacing as AbortError.
import { AbortError, type AbortSignalLike, type DigitalOceanClient } from "tsdo";

export async function listWith(client: DigitalOceanClient, abortSignal: AbortSignalLike): Promise<number> {
  const { droplets } = await client.droplets.list({ per_page: 5 }, { abortSignal });
  return droplets.length;
}

export async function run(client: DigitalOceanClient): Promise<{ aborted: boolean; count: number }> {
  const count = await listWith(client, new AbortController().signal);
  const controller = new AbortController();
  controller.abort();
  try {
    await listWith(client, controller.signal);
    return { aborted: false, count };
  } catch (error) {
    return { aborted: error instanceof AbortError, count };
  }
}
