// A job that stores a poller's token, resumes it later knowing which resource it waits for, and
// waits for the droplet's deletion, from the README's "Waiting for actions and resources".
import type { DigitalOceanClient, Droplet, ResourcePollerState } from "tsdo";

/** What the job checkpoints between runs. */
interface Checkpoint {
  readonly pollerToken: string;
}

export async function run(client: DigitalOceanClient): Promise<{ name: string; status: Droplet["status"]; progress: number; deleted: true }> {
  const poller = client.pollers.droplet(client.droplets.create({ name: "resume-1", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" }));
  const saved: Checkpoint = { pollerToken: await poller.serialize() };

  // Later, in another process: the name says which resource comes back, so no cast, no type argument.
  const resumed = client.resumePoller(saved.pollerToken, "droplet");
  let progress = 0;
  resumed.onProgress((state: ResourcePollerState<Droplet>) => {
    if (state.resource?.status !== undefined) progress++;
  });
  const droplet: Droplet = await resumed;
  const publicAddress: string | undefined = droplet.networks.v4.find((network) => network.type === "public")?.ip_address;
  if (publicAddress === undefined) throw new Error("a ready droplet has a public address");

  await client.droplets.destroy(droplet.id);
  // A deletion wait resolves with nothing: its type says so.
  const gone = await client.waitFor.dropletDeleted(droplet.id, { timeoutInMs: 60_000 });
  const nothing: undefined | void = gone;
  void nothing;
  return { name: droplet.name, status: droplet.status, progress, deleted: true };
}

// Type-level: what must not compile.
export function wrongUses(client: DigitalOceanClient, token: string): void {
  // @ts-expect-error a deletion wait does not resolve with the droplet
  const droplet: Promise<Droplet> = client.waitFor.dropletDeleted(1);
  // @ts-expect-error a resumed droplet poller resolves with a droplet, not a volume
  const volume: Promise<import("tsdo").Volume> = client.resumePoller(token, "droplet").pollUntilDone();
  // @ts-expect-error only poller names are accepted
  void client.resumePoller(token, "dropletDeleted");
  void [droplet, volume];
}
