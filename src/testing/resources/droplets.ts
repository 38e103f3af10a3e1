import { dropletPublicIpv4, privateIpv4, publicIpv6 } from "../addresses.js";
import { isoNow, isoTime } from "../clock.js";
import { notFound, unprocessable } from "../errors.js";
import { paginate } from "../pagination.js";
import { integerParam, originOf } from "../params.js";
import { noContent, ok, type FakeRequest, type StatefulRoute, type World } from "../route.js";
import type { FakeState } from "../state.js";
import type { Action, BackupPolicy, Droplet, DropletStatus, Image, Region, Size } from "../types.js";
import { BodyFields } from "../validation.js";
import { readBackupPolicy } from "./backups.js";
import { findImage } from "./images.js";
import { assignToDefaultProject, unassign } from "./projects.js";
import { findSshKey } from "./sshKeys.js";
import { ensureTags } from "./tags.js";
import { defaultVpc } from "./vpcs.js";

const hostnameFormat = /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/;
/** How many droplets the fake puts on one imaginary hypervisor (what makes droplets neighbors). */
const dropletsPerHost = 4;
/** DigitalOcean creates at most ten droplets in one request. */
const maxNamesPerRequest = 10;

/** Everything a droplet is created from except its name, validated against the catalog and the state. */
export interface DropletBlueprint {
  region: Region;
  size: Size;
  image: Image;
  /** Set iff backups are enabled. */
  backupPolicy: BackupPolicy | undefined;
  ipv6: boolean;
  monitoring: boolean;
  tags: string[];
  vpcUuid: string;
  volumeIds: string[];
}

/**
 * Reads a create request (or a seed) as DigitalOcean validates it: unknown region, size, image,
 * SSH key, volume or VPC are 422 `unprocessable_entity`, naming what was wrong.
 */
export function readBlueprint(state: FakeState, fields: BodyFields): DropletBlueprint {
  const sizeSlug = fields.string("size");
  const size = state.size(sizeSlug);
  if (!size) throw unprocessable("You specified an invalid size for Droplet creation.");

  const regionSlug = fields.optionalString("region") ?? size.regions[0]!;
  const region = state.region(regionSlug);
  if (!region || !region.available) throw unprocessable("You specified an invalid region for Droplet creation.");
  if (!size.regions.includes(region.slug)) throw unprocessable(`Size ${size.slug} is not available in ${region.slug}.`);

  const imageRef = fields.raw("image");
  if (typeof imageRef !== "string" && !Number.isInteger(imageRef)) {
    throw unprocessable(imageRef === undefined ? "image is required." : "image must be a slug or an id.");
  }
  const image = findImage(state, imageRef as string | number);
  if (!image || image.status !== "available") throw unprocessable("You specified an invalid image for Droplet creation.");
  if (!image.regions.includes(region.slug)) throw unprocessable(`The image is not available in ${region.slug}.`);

  const sshKeys = fields.raw("ssh_keys");
  if (sshKeys !== undefined && sshKeys !== null) {
    if (!Array.isArray(sshKeys)) throw unprocessable("ssh_keys must be an array of key ids or fingerprints.");
    for (const key of sshKeys) {
      if ((typeof key !== "string" && !Number.isInteger(key)) || !findSshKey(state, key as string | number)) {
        throw unprocessable(`You specified an invalid SSH key: ${String(key)}.`);
      }
    }
  }

  const vpcUuid = fields.optionalString("vpc_uuid");
  if (vpcUuid !== undefined) {
    const vpc = state.vpcs.get(vpcUuid);
    if (!vpc || vpc.region !== region.slug) throw unprocessable("You specified an invalid VPC for Droplet creation.");
  }

  const volumeIds = fields.optionalStringArray("volumes") ?? [];
  for (const volumeId of volumeIds) {
    const volume = state.volumes.get(volumeId);
    if (!volume || volume.region.slug !== region.slug || volume.droplet_ids.length > 0) {
      throw unprocessable(`Volume ${volumeId} cannot be attached: it must exist, be detached and be in ${region.slug}.`);
    }
  }

  // Read for their types only: the fake runs no user data and every droplet has a private network.
  fields.optionalString("user_data");
  fields.optionalBoolean("private_networking");
  const backupPolicy = fields.optionalBoolean("backups") ? readBackupPolicy(fields) : undefined;
  const ipv6 = fields.optionalBoolean("ipv6") ?? false;
  const monitoring = fields.optionalBoolean("monitoring") ?? false;
  const tagNames = fields.optionalStringArray("tags") ?? [];
  // Everything is valid: only now create what the droplet needs (its tags, its region's default VPC).
  return {
    region,
    size,
    image,
    backupPolicy,
    ipv6,
    monitoring,
    tags: ensureTags(state, tagNames),
    vpcUuid: vpcUuid ?? defaultVpc(state, region.slug).id,
    volumeIds,
  };
}

/** The names a create request asks for: `name`, or `names` (one droplet each). */
export function readNames(fields: BodyFields): string[] {
  const names = fields.has("names") ? fields.stringArray("names") : [fields.string("name")];
  if (names.length === 0 || names.length > maxNamesPerRequest) {
    throw unprocessable(`names must list between 1 and ${maxNamesPerRequest} names.`);
  }
  return names.map(checkDropletName);
}

/** A droplet's name must be a hostname, as DigitalOcean insists. */
export function checkDropletName(name: string): string {
  if (!hostnameFormat.test(name) || name.length > 255) {
    throw unprocessable("Only valid hostname characters are allowed. (a-z, A-Z, 0-9, . and -)");
  }
  return name;
}

/** Adds a droplet to the state: addresses, VPC, volumes, host, project; no action (callers decide). */
export function addDroplet(state: FakeState, name: string, blueprint: DropletBlueprint, status: DropletStatus): Droplet {
  const id = state.nextId();
  const host = state.nextHost();
  const vpc = state.vpcs.get(blueprint.vpcUuid)!;
  const droplet: Droplet = {
    id,
    name,
    memory: blueprint.size.memory,
    vcpus: blueprint.size.vcpus,
    disk: blueprint.size.disk,
    locked: false,
    status,
    kernel: null,
    created_at: isoNow(),
    features: ["private_networking", ...(blueprint.backupPolicy ? ["backups"] : []), ...(blueprint.ipv6 ? ["ipv6"] : []), ...(blueprint.monitoring ? ["monitoring"] : [])],
    backup_ids: [],
    next_backup_window: blueprint.backupPolicy ? nextBackupWindow() : null,
    snapshot_ids: [],
    image: { ...blueprint.image },
    volume_ids: [...blueprint.volumeIds],
    size: { ...blueprint.size },
    size_slug: blueprint.size.slug,
    networks: {
      v4: [
        { ip_address: dropletPublicIpv4(host), netmask: "255.255.240.0", gateway: "198.18.0.1", type: "public" },
        { ip_address: privateIpv4(vpc.ip_range, host), netmask: "255.255.240.0", gateway: privateIpv4(vpc.ip_range, -1), type: "private" },
      ],
      v6: blueprint.ipv6 ? [{ ip_address: publicIpv6(host), netmask: 64, gateway: "2001:db8::1", type: "public" }] : [],
    },
    region: { ...blueprint.region },
    tags: [...blueprint.tags],
    vpc_uuid: vpc.id,
  };
  state.droplets.set(id, droplet);
  for (const volumeId of blueprint.volumeIds) state.volumes.get(volumeId)!.droplet_ids = [id];
  state.dropletHosts.set(id, placeOnHost(state, blueprint.region.slug, id));
  if (blueprint.backupPolicy) state.backupPolicies.set(id, { ...blueprint.backupPolicy });
  assignToDefaultProject(state, `do:droplet:${id}`);
  return droplet;
}

/** The next daily backup window, starting at the next full hour. */
export function nextBackupWindow(): { start: string; end: string } {
  const start = new Date();
  start.setUTCHours(start.getUTCHours() + 1, 0, 0, 0);
  const end = new Date(start.getTime() + 4 * 3600_000);
  return { start: isoTime(start), end: isoTime(end) };
}

/**
 * Fills hosts in order within a region, so droplets created close together are neighbors. A new
 * host is named after the first droplet placed on it.
 */
function placeOnHost(state: FakeState, regionSlug: string, dropletId: number): number {
  const load = new Map<number, number>();
  for (const [placed, host] of state.dropletHosts) {
    if (state.droplets.get(placed)?.region.slug === regionSlug) load.set(host, (load.get(host) ?? 0) + 1);
  }
  for (const [host, count] of load) if (count < dropletsPerHost) return host;
  return dropletId;
}

/** Removes a droplet and everything that pointed at it: volume attachments, reserved IPs, firewalls, project. */
export function removeDroplet(state: FakeState, droplet: Droplet): void {
  state.droplets.delete(droplet.id);
  state.dropletHosts.delete(droplet.id);
  state.backupPolicies.delete(droplet.id);
  for (const volume of state.volumes.values()) volume.droplet_ids = volume.droplet_ids.filter((id) => id !== droplet.id);
  for (const reservedIp of state.reservedIps.values()) if (reservedIp.droplet_id === droplet.id) reservedIp.droplet_id = null;
  for (const firewall of state.firewalls.values()) firewall.droplet_ids = firewall.droplet_ids.filter((id) => id !== droplet.id);
  unassign(state, `do:droplet:${droplet.id}`);
}

export function requireDroplet(state: FakeState, request: FakeRequest): Droplet {
  const droplet = state.droplets.get(integerParam(request, "droplet_id"));
  if (!droplet) throw notFound();
  return droplet;
}

/** An action's link, as `links.actions` entries carry it. */
export function actionLink(request: FakeRequest, action: Action): { id: number; rel: string; href: string } {
  return { id: action.id, rel: action.type, href: `${originOf(request)}/v2/actions/${action.id}` };
}

function createDroplets(request: FakeRequest, { state, actions }: World): ReturnType<StatefulRoute["handle"]> {
  const fields = BodyFields.of(request);
  const names = readNames(fields);
  if (state.droplets.size + names.length > state.account.droplet_limit) {
    throw unprocessable(`Creating ${names.length} droplet(s) will exceed your droplet limit (${state.account.droplet_limit}).`);
  }
  if (names.length > 1 && fields.has("volumes")) throw unprocessable("Volumes can only be attached when creating one droplet.");
  const blueprint = readBlueprint(state, fields);

  const created = names.map((name) => {
    const droplet = addDroplet(state, name, blueprint, "new");
    const action = actions.start({
      type: "create",
      resourceType: "droplet",
      resourceId: droplet.id,
      regionSlug: droplet.region.slug,
      complete: () => {
        const live = state.droplets.get(droplet.id);
        if (!live) throw new Error("droplet deleted before it booted");
        live.status = "active";
      },
    });
    return { droplet, link: actionLink(request, action) };
  });
  const links = { actions: created.map(({ link }) => link) };
  return fields.has("names")
    ? ok({ droplets: created.map(({ droplet }) => droplet), links }, 202)
    : ok({ droplet: created[0]!.droplet, links }, 202);
}

function dropletSnapshots(state: FakeState, droplet: Droplet, type: "snapshot" | "backup"): unknown[] {
  const ids = type === "snapshot" ? droplet.snapshot_ids : droplet.backup_ids;
  return ids.flatMap((id) => {
    const image = state.images.get(id);
    if (!image) return [];
    return [{
      id: image.id,
      name: image.name,
      distribution: image.distribution,
      regions: image.regions,
      created_at: image.created_at,
      min_disk_size: image.min_disk_size ?? droplet.disk,
      size_gigabytes: image.size_gigabytes ?? 0,
      type,
    }];
  });
}

/** Droplets sharing a hypervisor with `droplet`. */
function neighborsOf(state: FakeState, droplet: Droplet): Droplet[] {
  const host = state.dropletHosts.get(droplet.id);
  return [...state.droplets.values()].filter((other) => other.id !== droplet.id && state.dropletHosts.get(other.id) === host);
}

export const dropletRoutes: StatefulRoute[] = [
  {
    operationId: "droplets_list",
    handle: (request, { state }) => {
      const tagName = request.query.get("tag_name");
      const name = request.query.get("name");
      const type = request.query.get("type");
      const droplets = [...state.droplets.values()].filter(
        (droplet) =>
          (tagName === null || droplet.tags.includes(tagName)) &&
          (name === null || droplet.name === name) &&
          type !== "gpus",
      );
      return paginate(request, "droplets", droplets);
    },
  },
  {
    operationId: "droplets_create",
    handle: createDroplets,
  },
  {
    operationId: "droplets_destroy_byTag",
    handle: (request, { state }) => {
      const tagName = request.query.get("tag_name");
      if (!tagName) throw unprocessable("tag_name is required.");
      if (!state.tags.has(tagName)) throw notFound();
      for (const droplet of [...state.droplets.values()]) if (droplet.tags.includes(tagName)) removeDroplet(state, droplet);
      return noContent();
    },
  },
  {
    operationId: "droplets_get",
    handle: (request, { state }) => ok({ droplet: requireDroplet(state, request) }),
  },
  {
    operationId: "droplets_destroy",
    handle: (request, { state }) => {
      removeDroplet(state, requireDroplet(state, request));
      return noContent();
    },
  },
  {
    operationId: "droplets_list_backups",
    handle: (request, { state }) => paginate(request, "backups", dropletSnapshots(state, requireDroplet(state, request), "backup")),
  },
  {
    operationId: "droplets_list_snapshots",
    handle: (request, { state }) => paginate(request, "snapshots", dropletSnapshots(state, requireDroplet(state, request), "snapshot")),
  },
  {
    operationId: "droplets_list_kernels",
    handle: (request, { state }) => {
      requireDroplet(state, request);
      // Droplets use their image's own kernel nowadays; the list only offers the loader that selects it.
      return paginate(request, "kernels", [{ id: 7515, name: "DigitalOcean GrubLoader v0.2 (20160714)", version: "2016.07.13-DigitalOcean_loader_Ubuntu" }]);
    },
  },
  {
    operationId: "droplets_list_firewalls",
    handle: (request, { state }) => {
      const droplet = requireDroplet(state, request);
      const firewalls = [...state.firewalls.values()].filter(
        (firewall) => firewall.droplet_ids.includes(droplet.id) || firewall.tags.some((tag) => droplet.tags.includes(tag)),
      );
      return paginate(request, "firewalls", firewalls);
    },
  },
  {
    operationId: "droplets_list_neighbors",
    handle: (request, { state }) => ok({ droplets: neighborsOf(state, requireDroplet(state, request)) }),
  },
  {
    operationId: "droplets_list_neighborsIds",
    handle: (_request, { state }) => {
      const byHost = new Map<number, number[]>();
      for (const [dropletId, host] of state.dropletHosts) byHost.set(host, [...(byHost.get(host) ?? []), dropletId]);
      return ok({ neighbor_ids: [...byHost.values()].filter((ids) => ids.length > 1) });
    },
  },
];
