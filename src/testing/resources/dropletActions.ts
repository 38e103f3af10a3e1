import { publicIpv6 } from "../addresses.js";
import { isoNow } from "../clock.js";
import { notFound, unprocessable } from "../errors.js";
import { paginate } from "../pagination.js";
import { integerParam } from "../params.js";
import { ok, type FakeRequest, type StatefulRoute, type World } from "../route.js";
import type { FakeState } from "../state.js";
import type { Action, Droplet, Image } from "../types.js";
import { BodyFields } from "../validation.js";
import { readBackupPolicy } from "./backups.js";
import { checkDropletName, nextBackupWindow, requireDroplet } from "./droplets.js";
import { findImage } from "./images.js";

const actionTypes = [
  "enable_backups", "disable_backups", "reboot", "power_cycle", "shutdown", "power_off", "power_on", "restore",
  "password_reset", "resize", "rebuild", "rename", "change_kernel", "enable_ipv6", "snapshot",
] as const;
type DropletActionType = (typeof actionTypes)[number];

/** The actions DigitalOcean accepts for all droplets of a tag at once. */
const taggedActionTypes = [
  "enable_backups", "disable_backups", "power_cycle", "power_on", "power_off", "shutdown", "enable_ipv6", "snapshot",
] as const;

/**
 * Checks a droplet action against the droplet and returns the change it makes once complete.
 * The change re-reads the droplet by id: if it was destroyed meanwhile, the action errors.
 */
function planAction(state: FakeState, droplet: Droplet, type: DropletActionType, fields: BodyFields): () => void {
  const change = (apply: (live: Droplet) => void) => () => {
    const live = state.droplets.get(droplet.id);
    if (!live) throw new Error("the droplet was destroyed");
    apply(live);
  };
  switch (type) {
    case "power_on":
    case "reboot":
    case "power_cycle":
      return change((live) => (live.status = "active"));
    case "power_off":
    case "shutdown":
      return change((live) => (live.status = "off"));
    case "enable_backups": {
      const policy = readBackupPolicy(fields);
      return change((live) => {
        if (!live.features.includes("backups")) live.features.push("backups");
        live.next_backup_window = nextBackupWindow();
        state.backupPolicies.set(live.id, policy);
      });
    }
    case "disable_backups":
      return change((live) => {
        live.features = live.features.filter((feature) => feature !== "backups");
        live.next_backup_window = null;
        state.backupPolicies.delete(live.id);
      });
    case "enable_ipv6":
      return change((live) => {
        if (!live.features.includes("ipv6")) live.features.push("ipv6");
        if (live.networks.v6.length === 0) {
          live.networks.v6.push({ ip_address: publicIpv6(state.nextHost()), netmask: 64, gateway: "2001:db8::1", type: "public" });
        }
      });
    case "rename": {
      const name = checkDropletName(fields.string("name"));
      return change((live) => (live.name = name));
    }
    case "resize": {
      const size = state.size(fields.string("size"));
      if (!size || !size.regions.includes(droplet.region.slug)) throw unprocessable("You specified an invalid size for Droplet resize.");
      const resizeDisk = fields.optionalBoolean("disk") ?? false;
      if (droplet.status !== "off") throw unprocessable("Droplet is currently on. Please power it off to run this event.");
      if (size.disk < droplet.disk) throw unprocessable(`${size.slug}'s disk is smaller than the droplet's: a disk cannot shrink.`);
      return change((live) => {
        live.size = { ...size };
        live.size_slug = size.slug;
        live.memory = size.memory;
        live.vcpus = size.vcpus;
        if (resizeDisk) live.disk = size.disk;
      });
    }
    case "rebuild": {
      const reference = fields.raw("image");
      const image = typeof reference === "string" || Number.isInteger(reference) ? findImage(state, reference as string | number) : undefined;
      if (!image || !image.regions.includes(droplet.region.slug)) throw unprocessable("You specified an invalid image for Droplet rebuild.");
      return change((live) => {
        live.image = { ...image };
        live.status = "active";
      });
    }
    case "restore": {
      const imageId = fields.integer("image");
      if (!droplet.backup_ids.includes(imageId) && !droplet.snapshot_ids.includes(imageId)) {
        throw unprocessable("You can only restore a droplet from one of its own backups or snapshots.");
      }
      return change((live) => (live.status = "active"));
    }
    case "change_kernel":
      // Checked, then ignored: droplets boot their image's own kernel (`kernel` stays null).
      fields.integer("kernel");
      return () => undefined;
    case "password_reset":
      return () => undefined;
    case "snapshot": {
      const name = fields.optionalString("name") ?? `${droplet.name}-${Date.now()}`;
      return change((live) => takeSnapshot(state, live, name));
    }
  }
}

/** A droplet snapshot is both an image (to create droplets from) and a snapshot record. */
function takeSnapshot(state: FakeState, droplet: Droplet, name: string): void {
  const created = isoNow();
  const image: Image = {
    id: state.nextId(),
    name,
    type: "snapshot",
    distribution: droplet.image.distribution,
    slug: null,
    public: false,
    regions: [droplet.region.slug],
    created_at: created,
    min_disk_size: droplet.disk,
    size_gigabytes: 1.6,
    description: "",
    tags: [],
    status: "available",
  };
  state.images.set(image.id, image);
  state.snapshots.set(String(image.id), {
    id: String(image.id),
    name,
    created_at: created,
    regions: [droplet.region.slug],
    min_disk_size: droplet.disk,
    size_gigabytes: 1.6,
    resource_id: String(droplet.id),
    resource_type: "droplet",
    tags: [],
  });
  droplet.snapshot_ids.push(image.id);
}

/**
 * Checks `type` against each droplet (refusing, as DigitalOcean does, a droplet with an action in
 * progress) and only then starts them all, so a refused request starts nothing.
 */
function startDropletActions(world: World, droplets: readonly Droplet[], type: DropletActionType, fields: BodyFields): Action[] {
  const planned = droplets.map((droplet) => {
    if (world.actions.isBusy("droplet", droplet.id)) throw unprocessable("Droplet already has a pending event.");
    return { droplet, complete: planAction(world.state, droplet, type, fields) };
  });
  return planned.map(({ droplet, complete }) =>
    world.actions.start({ type, resourceType: "droplet", resourceId: droplet.id, regionSlug: droplet.region.slug, complete }),
  );
}

function requireDropletAction(state: FakeState, request: FakeRequest): Action {
  const droplet = requireDroplet(state, request);
  const action = state.actions.get(integerParam(request, "action_id"));
  if (!action || action.resource_type !== "droplet" || action.resource_id !== droplet.id) throw notFound();
  return action;
}

export const dropletActionRoutes: StatefulRoute[] = [
  {
    operationId: "dropletActions_list",
    handle: (request, { state }) => {
      const droplet = requireDroplet(state, request);
      return paginate(request, "actions", state.actionsOn("droplet", droplet.id));
    },
  },
  {
    operationId: "dropletActions_post",
    handle: (request, world) => {
      const droplet = requireDroplet(world.state, request);
      const fields = BodyFields.of(request);
      const [action] = startDropletActions(world, [droplet], fields.oneOf("type", actionTypes), fields);
      return ok({ action }, 201);
    },
  },
  {
    operationId: "dropletActions_post_byTag",
    handle: (request, world) => {
      const tagName = request.query.get("tag_name");
      if (!tagName) throw unprocessable("tag_name is required.");
      const fields = BodyFields.of(request);
      const type = fields.oneOf("type", taggedActionTypes);
      const droplets = [...world.state.droplets.values()].filter((droplet) => droplet.tags.includes(tagName));
      return ok({ actions: startDropletActions(world, droplets, type, fields) }, 201);
    },
  },
  {
    operationId: "dropletActions_get",
    handle: (request, { state }) => ok({ action: requireDropletAction(state, request) }),
  },
  {
    operationId: "actions_list",
    handle: (request, { state }) => paginate(request, "actions", [...state.actions.values()]),
  },
  {
    operationId: "actions_get",
    handle: (request, { state }) => {
      const action = state.actions.get(integerParam(request, "action_id"));
      if (!action) throw notFound();
      return ok({ action });
    },
  },
];
