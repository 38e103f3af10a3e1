import { isoNow } from "../clock.js";
import { FakeApiError, badRequest, notFound, unprocessable } from "../errors.js";
import { integerParam } from "../params.js";
import { ok, type FakeRequest, type StatefulRoute } from "../route.js";
import type { FakeState } from "../state.js";
import type { DestroyedResource, DestroyStatus, Droplet } from "../types.js";
import { BodyFields } from "../validation.js";
import { removeDroplet, requireDroplet } from "./droplets.js";
import { removeImage } from "./images.js";
import { removeReservedIp } from "./reservedIps.js";
import { removeVolume } from "./volumes.js";

type Kind = "reserved_ips" | "snapshots" | "volumes" | "volume_snapshots";
const kinds: readonly Kind[] = ["reserved_ips", "snapshots", "volumes", "volume_snapshots"];

interface Associated {
  id: string;
  name: string;
  /** Monthly cost in USD, as DigitalOcean shows it before asking to destroy. */
  cost: string;
  remove: () => void;
}

/** What DigitalOcean offers to destroy along with a droplet: its reserved IPs, snapshots, volumes and their snapshots. */
function associatedWith(state: FakeState, droplet: Droplet): Record<Kind, Associated[]> {
  const volumes = [...state.volumes.values()].filter((volume) => volume.droplet_ids.includes(droplet.id));
  return {
    reserved_ips: [...state.reservedIps.values()]
      .filter((reservedIp) => reservedIp.droplet_id === droplet.id)
      .map((reservedIp) => ({ id: reservedIp.ip, name: reservedIp.ip, cost: "0.00", remove: () => removeReservedIp(state, reservedIp) })),
    snapshots: droplet.snapshot_ids.flatMap((id) => {
      const image = state.images.get(id);
      return image ? [{ id: String(id), name: image.name, cost: "0.06", remove: () => removeImage(state, image) }] : [];
    }),
    volumes: volumes.map((volume) => ({
      id: volume.id,
      name: volume.name,
      cost: (volume.size_gigabytes * 0.1).toFixed(2),
      remove: () => removeVolume(state, volume),
    })),
    volume_snapshots: [...state.snapshots.values()]
      .filter((snapshot) => volumes.some((volume) => volume.id === snapshot.resource_id))
      .map((snapshot) => ({ id: snapshot.id, name: snapshot.name, cost: "0.05", remove: () => state.snapshots.delete(snapshot.id) })),
  };
}

/** Destroys the droplet, then the chosen associated resources, and records how it went. */
function destroyWith(state: FakeState, droplet: Droplet, chosen: Record<Kind, Associated[]>): void {
  const destroyedAt = isoNow();
  const record = (resource: { id: string; name: string }): DestroyedResource => ({ id: resource.id, name: resource.name, destroyed_at: destroyedAt });
  removeDroplet(state, droplet);
  for (const kind of kinds) for (const resource of chosen[kind]) resource.remove();
  const status: DestroyStatus = {
    droplet: record({ id: String(droplet.id), name: droplet.name }),
    resources: {
      reserved_ips: chosen.reserved_ips.map(record),
      floating_ips: [],
      snapshots: chosen.snapshots.map(record),
      volumes: chosen.volumes.map(record),
      volume_snapshots: chosen.volume_snapshots.map(record),
    },
    completed_at: destroyedAt,
    failures: 0,
  };
  state.destroyStatuses.set(droplet.id, status);
}

/** The resources a selective destroy names, each of which must be associated with the droplet. */
function chosenResources(request: FakeRequest, associated: Record<Kind, Associated[]>): Record<Kind, Associated[]> {
  const fields = BodyFields.of(request);
  // `floating_ips` is the legacy name of `reserved_ips`; both are accepted.
  const requested: Record<Kind, string[]> = {
    reserved_ips: [...(fields.optionalStringArray("reserved_ips") ?? []), ...(fields.optionalStringArray("floating_ips") ?? [])],
    snapshots: fields.optionalStringArray("snapshots") ?? [],
    volumes: fields.optionalStringArray("volumes") ?? [],
    volume_snapshots: fields.optionalStringArray("volume_snapshots") ?? [],
  };
  const pick = (kind: Kind) =>
    [...new Set(requested[kind])].map((id) => {
      const found = associated[kind].find((resource) => resource.id === id);
      if (!found) throw unprocessable(`${kind}: ${id} is not associated with this droplet.`);
      return found;
    });
  return { reserved_ips: pick("reserved_ips"), snapshots: pick("snapshots"), volumes: pick("volumes"), volume_snapshots: pick("volume_snapshots") };
}

function requireStatus(state: FakeState, request: FakeRequest): DestroyStatus {
  const status = state.destroyStatuses.get(integerParam(request, "droplet_id"));
  if (!status) throw notFound();
  return status;
}

const present = (resources: Associated[]) => resources.map(({ id, name, cost }) => ({ id, name, cost }));

export const associatedResourceRoutes: StatefulRoute[] = [
  {
    operationId: "droplets_list_associatedResources",
    handle: (request, { state }) => {
      const associated = associatedWith(state, requireDroplet(state, request));
      return ok({
        reserved_ips: present(associated.reserved_ips),
        floating_ips: [],
        snapshots: present(associated.snapshots),
        volumes: present(associated.volumes),
        volume_snapshots: present(associated.volume_snapshots),
      });
    },
  },
  {
    operationId: "droplets_destroy_withAssociatedResourcesSelective",
    handle: (request, { state }) => {
      const droplet = requireDroplet(state, request);
      destroyWith(state, droplet, chosenResources(request, associatedWith(state, droplet)));
      return { status: 202 };
    },
  },
  {
    operationId: "droplets_destroy_withAssociatedResourcesDangerous",
    handle: (request, { state }) => {
      const droplet = requireDroplet(state, request);
      if (request.headers["x-dangerous"] !== "true") throw badRequest("Destroying every associated resource requires the header X-Dangerous: true.");
      destroyWith(state, droplet, associatedWith(state, droplet));
      return { status: 202 };
    },
  },
  {
    operationId: "droplets_get_DestroyAssociatedResourcesStatus",
    handle: (request, { state }) => ok(requireStatus(state, request)),
  },
  {
    operationId: "droplets_destroy_retryWithAssociatedResources",
    handle: (request, { state }) => {
      const status = requireStatus(state, request);
      if (status.failures === 0) throw new FakeApiError(409, "Every associated resource was destroyed: there is nothing to retry.");
      return { status: 202 };
    },
  },
];
