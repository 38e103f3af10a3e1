// Type-level assertions: wrong uses that must not compile. Never run; compiled with the rest.
import type { DigitalOceanClient, DropletsCreateRequest, Volume, VolumesCreateRequest } from "tsdo";

export function wrongUses(client: DigitalOceanClient, volume: Volume): void {
  // A request body with a property the API sets (readOnly: a volume's id and created_at).
  const withReadOnly: VolumesCreateRequest = {
    name: "v",
    size_gigabytes: 1,
    region: "nyc3",
    // @ts-expect-error `created_at` is read-only: requests cannot carry it
    created_at: "2024-01-01T00:00:00Z",
  };
  // @ts-expect-error `size` is required to create a droplet
  const missingSize: DropletsCreateRequest = { name: "a", image: "ubuntu-24-04-x64" };
  // @ts-expect-error "brand-new" is not a droplet status
  const status: Awaited<ReturnType<DigitalOceanClient["droplets"]["get"]>>["droplet"]["status"] = "brand-new";
  // @ts-expect-error a volume action's type is an enum
  void client.volumeActions.postById(volume.id, { type: "explode", droplet_id: 1 });
  // @ts-expect-error answers say what they hold: a volume's id is a string
  const idAsNumber: number = volume.id;
  // @ts-expect-error no exported alias of a scalar: `Version` is not a type of tsdo
  type Gone = import("tsdo").Version;
  void [withReadOnly, missingSize, status, idAsNumber];
}
