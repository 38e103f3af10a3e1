import { ipv4ToNumber, reservedIpv4 } from "../addresses.js";
import { notFound, unprocessable } from "../errors.js";
import { paginate } from "../pagination.js";
import { integerParam, originOf, stringParam } from "../params.js";
import { noContent, ok, type FakeRequest, type StatefulRoute, type World } from "../route.js";
import type { FakeState } from "../state.js";
import type { Action, ReservedIp } from "../types.js";
import { BodyFields } from "../validation.js";
import { actionLink } from "./droplets.js";
import { assignToDefaultProject, unassign } from "./projects.js";

/** Reserves an address, in a region or for a droplet (then in its region, and assigned by an action). */
export function addReservedIp(state: FakeState, fields: BodyFields): { reservedIp: ReservedIp; assignTo: number | undefined } {
  if (state.reservedIps.size >= state.account.floating_ip_limit) {
    throw unprocessable(`You have reached your limit of ${state.account.floating_ip_limit} reserved IPs.`);
  }
  const dropletId = fields.optionalInteger("droplet_id");
  let regionSlug: string;
  if (dropletId !== undefined) {
    const droplet = state.droplets.get(dropletId);
    if (!droplet) throw unprocessable(`Droplet ${dropletId} was not found.`);
    regionSlug = droplet.region.slug;
  } else {
    regionSlug = fields.string("region");
    if (!state.region(regionSlug)?.available) throw unprocessable(`${regionSlug} is not a valid region.`);
  }
  const projectId = fields.optionalString("project_id") ?? state.defaultProject().id;
  if (!state.projects.has(projectId)) throw unprocessable(`Project ${projectId} was not found.`);
  const reservedIp: ReservedIp = { ip: reservedIpv4(state.nextHost()), region_slug: regionSlug, droplet_id: null, locked: false, project_id: projectId };
  state.reservedIps.set(reservedIp.ip, reservedIp);
  assignToDefaultProject(state, `do:floatingip:${reservedIp.ip}`);
  return { reservedIp, assignTo: dropletId };
}

export function removeReservedIp(state: FakeState, reservedIp: ReservedIp): void {
  state.reservedIps.delete(reservedIp.ip);
  unassign(state, `do:floatingip:${reservedIp.ip}`);
}

/** A reserved IP as answered: its region and its droplet expanded into full objects. */
function present(state: FakeState, reservedIp: ReservedIp): unknown {
  return {
    ip: reservedIp.ip,
    region: state.region(reservedIp.region_slug),
    droplet: reservedIp.droplet_id === null ? null : state.droplets.get(reservedIp.droplet_id) ?? null,
    locked: reservedIp.locked,
    project_id: reservedIp.project_id,
  };
}

function requireReservedIp(state: FakeState, request: FakeRequest): ReservedIp {
  const reservedIp = state.reservedIps.get(stringParam(request, "reserved_ip"));
  if (!reservedIp) throw notFound();
  return reservedIp;
}

/** Assigns or unassigns: checked now, applied when the action completes; the IP is locked meanwhile. */
function startReservedIpAction(world: World, reservedIp: ReservedIp, type: "assign" | "unassign", dropletId: number | undefined): Action {
  const { state, actions } = world;
  if (reservedIp.locked) throw unprocessable("The reserved IP already has a pending event.");
  if (type === "assign") {
    const droplet = dropletId === undefined ? undefined : state.droplets.get(dropletId);
    if (!droplet) throw unprocessable(`Droplet ${String(dropletId)} was not found.`);
    if (droplet.region.slug !== reservedIp.region_slug) throw unprocessable("The droplet must be in the reserved IP's region.");
  } else if (reservedIp.droplet_id === null) {
    throw unprocessable("The reserved IP is not assigned to a droplet.");
  }
  reservedIp.locked = true;
  return actions.start({
    type: type === "assign" ? "assign_ip" : "unassign_ip",
    resourceType: "reserved_ip",
    resourceId: ipv4ToNumber(reservedIp.ip),
    regionSlug: reservedIp.region_slug,
    complete: () => {
      reservedIp.locked = false;
      if (type === "unassign") {
        reservedIp.droplet_id = null;
      } else {
        if (!state.droplets.has(dropletId!)) throw new Error("the droplet was destroyed");
        reservedIp.droplet_id = dropletId!;
      }
    },
  });
}

function actionsOf(state: FakeState, reservedIp: ReservedIp): Action[] {
  return state.actionsOn("reserved_ip", ipv4ToNumber(reservedIp.ip));
}

export const reservedIpRoutes: StatefulRoute[] = [
  {
    operationId: "reservedIPs_list",
    handle: (request, { state }) => paginate(request, "reserved_ips", [...state.reservedIps.values()].map((reservedIp) => present(state, reservedIp))),
  },
  {
    operationId: "reservedIPs_create",
    handle: (request, world) => {
      const { reservedIp, assignTo } = addReservedIp(world.state, BodyFields.of(request));
      const action = assignTo === undefined ? undefined : startReservedIpAction(world, reservedIp, "assign", assignTo);
      const origin = originOf(request);
      return ok(
        {
          reserved_ip: present(world.state, reservedIp),
          links: {
            droplets: assignTo === undefined ? [] : [{ id: assignTo, rel: "droplet", href: `${origin}/v2/droplets/${assignTo}` }],
            actions: action ? [actionLink(request, action)] : [],
          },
        },
        202,
      );
    },
  },
  {
    operationId: "reservedIPs_get",
    handle: (request, { state }) => ok({ reserved_ip: present(state, requireReservedIp(state, request)) }),
  },
  {
    operationId: "reservedIPs_delete",
    handle: (request, { state }) => {
      removeReservedIp(state, requireReservedIp(state, request));
      return noContent();
    },
  },
  {
    operationId: "reservedIPsActions_list",
    handle: (request, { state }) => paginate(request, "actions", actionsOf(state, requireReservedIp(state, request))),
  },
  {
    operationId: "reservedIPsActions_post",
    handle: (request, world) => {
      const reservedIp = requireReservedIp(world.state, request);
      const fields = BodyFields.of(request);
      const type = fields.oneOf("type", ["assign", "unassign"]);
      const dropletId = type === "assign" ? fields.integer("droplet_id") : undefined;
      return ok({ action: startReservedIpAction(world, reservedIp, type, dropletId) }, 201);
    },
  },
  {
    operationId: "reservedIPsActions_get",
    handle: (request, { state }) => {
      const actionId = integerParam(request, "action_id");
      const action = actionsOf(state, requireReservedIp(state, request)).find((candidate) => candidate.id === actionId);
      if (!action) throw notFound();
      return ok({ action });
    },
  },
];
