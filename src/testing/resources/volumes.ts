import { randomUUID } from "node:crypto";
import { isoNow } from "../clock.js";
import { FakeApiError, notFound, unprocessable } from "../errors.js";
import { paginate } from "../pagination.js";
import { integerParam, stringParam } from "../params.js";
import { noContent, ok, type FakeRequest, type StatefulRoute, type World } from "../route.js";
import type { FakeState } from "../state.js";
import type { Action, Snapshot, Volume } from "../types.js";
import { BodyFields } from "../validation.js";
import { assignToDefaultProject, unassign } from "./projects.js";
import { ensureTags } from "./tags.js";

const volumeNameFormat = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const maxSizeGigabytes = 16_384;
/** DigitalOcean attaches at most seven volumes to one droplet. */
const maxVolumesPerDroplet = 7;

/** Adds a volume from a create request (or seed), refusing what DigitalOcean refuses. */
export function addVolume(state: FakeState, fields: BodyFields): Volume {
  const name = fields.string("name");
  if (!volumeNameFormat.test(name) || name.length > 64) {
    throw unprocessable("name must be lowercase letters, numbers and dashes, start with a letter and be at most 64 characters.");
  }
  const sizeGigabytes = fields.integer("size_gigabytes");
  if (sizeGigabytes < 1 || sizeGigabytes > maxSizeGigabytes) throw unprocessable(`size_gigabytes must be between 1 and ${maxSizeGigabytes}.`);
  const region = state.region(fields.string("region"));
  if (!region || !region.available) throw unprocessable("You specified an invalid region for the volume.");
  const snapshotId = fields.optionalString("snapshot_id");
  if (snapshotId !== undefined) {
    const snapshot = state.snapshots.get(snapshotId);
    if (!snapshot || snapshot.resource_type !== "volume") throw unprocessable("You specified an invalid snapshot for the volume.");
    if (sizeGigabytes < snapshot.min_disk_size) throw unprocessable(`size_gigabytes must be at least ${snapshot.min_disk_size} for this snapshot.`);
  }
  const filesystemType = fields.optionalString("filesystem_type");
  if (filesystemType !== undefined && !["ext4", "xfs"].includes(filesystemType)) throw unprocessable("filesystem_type must be ext4 or xfs.");
  const filesystemLabel = fields.optionalString("filesystem_label");
  const description = fields.optionalString("description") ?? "";
  const tagNames = fields.optionalStringArray("tags") ?? [];
  for (const existing of state.volumes.values()) {
    if (existing.name === name && existing.region.slug === region.slug) {
      throw new FakeApiError(409, `A volume named ${name} already exists in ${region.slug}.`);
    }
  }
  const volume: Volume = {
    id: randomUUID(),
    droplet_ids: [],
    name,
    description,
    size_gigabytes: sizeGigabytes,
    created_at: isoNow(),
    tags: ensureTags(state, tagNames),
    region: { ...region },
    filesystem_type: filesystemType ?? "",
    filesystem_label: filesystemLabel ?? "",
  };
  state.volumes.set(volume.id, volume);
  assignToDefaultProject(state, `do:volume:${volume.id}`);
  return volume;
}

function requireVolume(state: FakeState, request: FakeRequest): Volume {
  const volume = state.volumes.get(stringParam(request, "volume_id"));
  if (!volume) throw notFound();
  return volume;
}

export function removeVolume(state: FakeState, volume: Volume): void {
  if (volume.droplet_ids.length > 0) {
    throw new FakeApiError(409, "The volume is attached to a droplet: detach it before deleting it.");
  }
  state.volumes.delete(volume.id);
  unassign(state, `do:volume:${volume.id}`);
}

/**
 * Starts an attach, detach or resize: checked now, applied when the action completes (the volume
 * shows up on the droplet only then, as on DigitalOcean).
 */
function startVolumeAction(world: World, volume: Volume, fields: BodyFields): Action {
  const { state, actions } = world;
  const type = fields.oneOf("type", ["attach", "detach", "resize"]);
  const region = fields.optionalString("region");
  if (region !== undefined && region !== volume.region.slug) throw unprocessable(`The volume is in ${volume.region.slug}, not ${region}.`);
  let complete: () => void;
  if (type === "resize") {
    const size = fields.integer("size_gigabytes");
    if (size <= volume.size_gigabytes || size > maxSizeGigabytes) {
      throw unprocessable(`size_gigabytes must be larger than ${volume.size_gigabytes} and at most ${maxSizeGigabytes}.`);
    }
    complete = () => (volume.size_gigabytes = size);
  } else {
    const dropletId = fields.integer("droplet_id");
    const droplet = state.droplets.get(dropletId);
    if (!droplet) throw unprocessable(`Droplet ${dropletId} was not found.`);
    if (type === "attach") {
      if (volume.droplet_ids.length > 0) throw unprocessable("The volume is already attached to a droplet.");
      if (droplet.region.slug !== volume.region.slug) throw unprocessable("The droplet and the volume must be in the same region.");
      if (droplet.volume_ids.length >= maxVolumesPerDroplet) throw unprocessable(`A droplet can have at most ${maxVolumesPerDroplet} volumes.`);
      for (const tag of ensureTags(state, fields.optionalStringArray("tags") ?? [])) {
        if (!volume.tags.includes(tag)) volume.tags.push(tag);
      }
      complete = () => {
        const live = state.droplets.get(dropletId);
        if (!live || !state.volumes.has(volume.id)) throw new Error("the droplet or the volume was deleted");
        volume.droplet_ids = [dropletId];
        if (!live.volume_ids.includes(volume.id)) live.volume_ids.push(volume.id);
      };
    } else {
      if (!volume.droplet_ids.includes(dropletId)) throw unprocessable("The volume is not attached to that droplet.");
      complete = () => {
        volume.droplet_ids = volume.droplet_ids.filter((id) => id !== dropletId);
        const live = state.droplets.get(dropletId);
        if (live) live.volume_ids = live.volume_ids.filter((id) => id !== volume.id);
      };
    }
  }
  // DigitalOcean reports volume actions without a numeric resource id; the fake remembers the volume itself.
  const action = actions.start({ type: `${type}_volume`, resourceType: "volume", resourceId: null, regionSlug: volume.region.slug, complete });
  state.actionSubjects.set(action.id, volume.id);
  return action;
}

function volumeActions(state: FakeState, volume: Volume): Action[] {
  return [...state.actions.values()].filter((action) => state.actionSubjects.get(action.id) === volume.id);
}

/** Takes a snapshot of a volume at once (volume snapshots need no action). */
function snapshotVolume(state: FakeState, volume: Volume, fields: BodyFields): Snapshot {
  const name = fields.string("name");
  const tagNames = fields.optionalStringArray("tags") ?? [];
  const snapshot: Snapshot = {
    id: randomUUID(),
    name,
    created_at: isoNow(),
    regions: [volume.region.slug],
    min_disk_size: volume.size_gigabytes,
    size_gigabytes: 0,
    resource_id: volume.id,
    resource_type: "volume",
    tags: ensureTags(state, tagNames),
  };
  state.snapshots.set(snapshot.id, snapshot);
  return snapshot;
}

export const volumeRoutes: StatefulRoute[] = [
  {
    operationId: "volumes_list",
    handle: (request, { state }) => {
      const name = request.query.get("name");
      const region = request.query.get("region");
      const volumes = [...state.volumes.values()].filter(
        (volume) => (name === null || volume.name === name) && (region === null || volume.region.slug === region),
      );
      return paginate(request, "volumes", volumes);
    },
  },
  {
    operationId: "volumes_create",
    handle: (request, { state }) => ok({ volume: addVolume(state, BodyFields.of(request)) }, 201),
  },
  {
    operationId: "volumes_delete_byName",
    handle: (request, { state }) => {
      const name = request.query.get("name");
      const region = request.query.get("region");
      if (!name || !region) throw unprocessable("name and region are required.");
      const volume = [...state.volumes.values()].find((candidate) => candidate.name === name && candidate.region.slug === region);
      if (!volume) throw notFound();
      removeVolume(state, volume);
      return noContent();
    },
  },
  {
    operationId: "volumes_get",
    handle: (request, { state }) => ok({ volume: requireVolume(state, request) }),
  },
  {
    operationId: "volumes_delete",
    handle: (request, { state }) => {
      removeVolume(state, requireVolume(state, request));
      return noContent();
    },
  },
  {
    operationId: "volumeActions_post",
    handle: (request, world) => {
      const fields = BodyFields.of(request);
      const name = fields.string("volume_name");
      const region = fields.string("region");
      const volume = [...world.state.volumes.values()].find((candidate) => candidate.name === name && candidate.region.slug === region);
      if (!volume) throw notFound();
      return ok({ action: startVolumeAction(world, volume, fields) }, 202);
    },
  },
  {
    operationId: "volumeActions_post_byId",
    handle: (request, world) => ok({ action: startVolumeAction(world, requireVolume(world.state, request), BodyFields.of(request)) }, 202),
  },
  {
    operationId: "volumeActions_list",
    handle: (request, { state }) => paginate(request, "actions", volumeActions(state, requireVolume(state, request))),
  },
  {
    operationId: "volumeActions_get",
    handle: (request, { state }) => {
      const volume = requireVolume(state, request);
      const actionId = integerParam(request, "action_id");
      const action = volumeActions(state, volume).find((candidate) => candidate.id === actionId);
      if (!action) throw notFound();
      return ok({ action });
    },
  },
  {
    operationId: "volumeSnapshots_list",
    handle: (request, { state }) => {
      const volume = requireVolume(state, request);
      return paginate(request, "snapshots", [...state.snapshots.values()].filter((snapshot) => snapshot.resource_id === volume.id));
    },
  },
  {
    operationId: "volumeSnapshots_create",
    handle: (request, { state }) => ok({ snapshot: snapshotVolume(state, requireVolume(state, request), BodyFields.of(request)) }, 201),
  },
  {
    operationId: "volumeSnapshots_get_byId",
    handle: (request, { state }) => {
      const snapshot = state.snapshots.get(stringParam(request, "snapshot_id"));
      if (!snapshot || snapshot.resource_type !== "volume") throw notFound();
      return ok({ snapshot });
    },
  },
  {
    operationId: "volumeSnapshots_delete_byId",
    handle: (request, { state }) => {
      const snapshot = state.snapshots.get(stringParam(request, "snapshot_id"));
      if (!snapshot || snapshot.resource_type !== "volume") throw notFound();
      state.snapshots.delete(snapshot.id);
      return noContent();
    },
  },
];
