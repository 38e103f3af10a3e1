import { randomUUID } from "node:crypto";
import { isoNow } from "../clock.js";
import { FakeApiError, notFound, unprocessable } from "../errors.js";
import { paginate } from "../pagination.js";
import { stringParam } from "../params.js";
import { noContent, ok, type FakeRequest, type StatefulRoute } from "../route.js";
import type { FakeState } from "../state.js";
import type { Vpc, VpcPeering } from "../types.js";
import { BodyFields } from "../validation.js";

const vpcNameFormat = /^[a-zA-Z0-9\-.]+$/;
const peeringNameFormat = /^[a-zA-Z0-9-]+$/;

/**
 * The region's default VPC, created on first use as DigitalOcean does when an account's first
 * droplet lands in a region.
 */
export function defaultVpc(state: FakeState, regionSlug: string): Vpc {
  for (const vpc of state.vpcs.values()) if (vpc.region === regionSlug && vpc.default) return vpc;
  return addVpc(state, { name: `default-${regionSlug}`, region: regionSlug, description: "", isDefault: true });
}

function addVpc(
  state: FakeState,
  input: { name: string; region: string; description: string; isDefault: boolean; ipRange?: string },
): Vpc {
  const id = randomUUID();
  const vpc: Vpc = {
    id,
    urn: `do:vpc:${id}`,
    name: input.name,
    description: input.description,
    region: input.region,
    ip_range: input.ipRange ?? `10.${100 + (state.vpcs.size % 150)}.0.0/20`,
    default: input.isDefault,
    created_at: isoNow(),
  };
  state.vpcs.set(id, vpc);
  return vpc;
}

function checkName(name: string): string {
  if (!vpcNameFormat.test(name)) throw unprocessable("name may only contain letters, numbers, dots and dashes.");
  return name;
}

function checkDescription(description: string | undefined): string | undefined {
  if (description !== undefined && description.length > 255) throw unprocessable("description must be at most 255 characters.");
  return description;
}

function requireVpc(state: FakeState, request: FakeRequest): Vpc {
  const vpc = state.vpcs.get(stringParam(request, "vpc_id"));
  if (!vpc) throw notFound();
  return vpc;
}

function update(state: FakeState, request: FakeRequest, complete: boolean): Vpc {
  const vpc = requireVpc(state, request);
  const fields = BodyFields.of(request);
  const name = complete ? fields.string("name") : fields.optionalString("name");
  const description = checkDescription(fields.optionalString("description"));
  const makeDefault = fields.optionalBoolean("default");
  if (name !== undefined) vpc.name = checkName(name);
  if (description !== undefined) vpc.description = description;
  if (makeDefault === true) {
    for (const other of state.vpcs.values()) if (other.region === vpc.region) other.default = false;
    vpc.default = true;
  } else if (makeDefault === false && vpc.default) {
    throw unprocessable("A region needs a default VPC: make another VPC the default instead.");
  }
  return vpc;
}

function checkPeeringName(name: string): string {
  if (!peeringNameFormat.test(name)) throw unprocessable("name may only contain letters, numbers and dashes.");
  return name;
}

function requirePeering(state: FakeState, request: FakeRequest): VpcPeering {
  const peering = state.vpcPeerings.get(stringParam(request, "vpc_peering_id"));
  if (!peering) throw notFound();
  return peering;
}

/** Peers two VPCs; answers the peering as the create does (the stored one is already `ACTIVE`). */
function addPeering(state: FakeState, name: string, vpc: Vpc, other: Vpc): VpcPeering {
  const peering: VpcPeering = { id: randomUUID(), name, vpc_ids: [vpc.id, other.id], status: "ACTIVE", created_at: isoNow() };
  state.vpcPeerings.set(peering.id, peering);
  // Peering is immediate in the fake; the first answer still says PROVISIONING, as DigitalOcean's does.
  return { ...peering, status: "PROVISIONING" };
}

function members(state: FakeState, vpc: Vpc): { name: string; urn: string; created_at: string }[] {
  return [...state.droplets.values()]
    .filter((droplet) => droplet.vpc_uuid === vpc.id)
    .map((droplet) => ({ name: droplet.name, urn: `do:droplet:${droplet.id}`, created_at: droplet.created_at }));
}

export const vpcRoutes: StatefulRoute[] = [
  {
    operationId: "vpcs_list",
    handle: (request, { state }) => paginate(request, "vpcs", [...state.vpcs.values()]),
  },
  {
    operationId: "vpcs_create",
    handle: (request, { state }) => {
      const fields = BodyFields.of(request);
      const name = checkName(fields.string("name"));
      const region = fields.string("region");
      if (!state.region(region)?.available) throw unprocessable(`${region} is not a valid region.`);
      const ipRange = fields.optionalString("ip_range");
      if (ipRange !== undefined && !/^10\.\d{1,3}\.\d{1,3}\.\d{1,3}\/(1[6-9]|2[0-8])$/.test(ipRange)) {
        throw unprocessable("ip_range must be a private /16 to /28 range in 10.0.0.0/8.");
      }
      for (const existing of state.vpcs.values()) {
        if (existing.name === name) throw unprocessable("A VPC with this name already exists.");
      }
      const hasDefault = [...state.vpcs.values()].some((vpc) => vpc.region === region && vpc.default);
      const vpc = addVpc(state, {
        name,
        region,
        description: checkDescription(fields.optionalString("description")) ?? "",
        isDefault: !hasDefault,
        ...(ipRange !== undefined ? { ipRange } : {}),
      });
      return ok({ vpc }, 201);
    },
  },
  {
    operationId: "vpcs_get",
    handle: (request, { state }) => ok({ vpc: requireVpc(state, request) }),
  },
  {
    operationId: "vpcs_update",
    handle: (request, { state }) => ok({ vpc: update(state, request, true) }),
  },
  {
    operationId: "vpcs_patch",
    handle: (request, { state }) => ok({ vpc: update(state, request, false) }),
  },
  {
    operationId: "vpcs_delete",
    handle: (request, { state }) => {
      const vpc = requireVpc(state, request);
      if (vpc.default) throw new FakeApiError(403, "The default VPC of a region cannot be deleted.");
      if (members(state, vpc).length > 0) throw new FakeApiError(403, "A VPC with members cannot be deleted.");
      state.vpcs.delete(vpc.id);
      return noContent();
    },
  },
  {
    operationId: "vpcs_list_members",
    handle: (request, { state }) => {
      const resourceType = request.query.get("resource_type");
      const all = members(state, requireVpc(state, request));
      return paginate(request, "members", resourceType && resourceType !== "droplet" ? [] : all);
    },
  },
  {
    operationId: "vpcs_list_peerings",
    handle: (request, { state }) => {
      const vpc = requireVpc(state, request);
      return paginate(request, "peerings", [...state.vpcPeerings.values()].filter((peering) => peering.vpc_ids.includes(vpc.id)));
    },
  },
  {
    operationId: "vpcs_create_peerings",
    handle: (request, { state }) => {
      const vpc = requireVpc(state, request);
      const fields = BodyFields.of(request);
      const name = checkPeeringName(fields.string("name"));
      const other = state.vpcs.get(fields.string("vpc_id"));
      if (!other || other.id === vpc.id) throw unprocessable("vpc_id must name another VPC.");
      return ok({ peering: addPeering(state, name, vpc, other) }, 202);
    },
  },
  {
    operationId: "vpcs_patch_peerings",
    handle: (request, { state }) => {
      const vpc = requireVpc(state, request);
      const peering = state.vpcPeerings.get(stringParam(request, "vpc_peering_id"));
      if (!peering || !peering.vpc_ids.includes(vpc.id)) throw notFound();
      peering.name = checkPeeringName(BodyFields.of(request).string("name"));
      return ok({ peering });
    },
  },
  { operationId: "vpcPeerings_list", handle: (request, { state }) => paginate(request, "vpc_peerings", [...state.vpcPeerings.values()]) },
  {
    operationId: "vpcPeerings_create",
    handle: (request, { state }) => {
      const fields = BodyFields.of(request);
      const name = checkPeeringName(fields.string("name"));
      const ids = fields.stringArray("vpc_ids");
      const [first, second] = ids.map((id) => state.vpcs.get(id));
      if (ids.length !== 2 || !first || !second || first === second) throw unprocessable("vpc_ids must name two different VPCs.");
      return ok({ vpc_peering: addPeering(state, name, first, second) }, 202);
    },
  },
  { operationId: "vpcPeerings_get", handle: (request, { state }) => ok({ vpc_peering: requirePeering(state, request) }) },
  {
    operationId: "vpcPeerings_patch",
    handle: (request, { state }) => {
      const peering = requirePeering(state, request);
      peering.name = checkPeeringName(BodyFields.of(request).string("name"));
      return ok({ vpc_peering: peering });
    },
  },
  {
    operationId: "vpcPeerings_delete",
    handle: (request, { state }) => {
      const peering = requirePeering(state, request);
      state.vpcPeerings.delete(peering.id);
      // Gone at once in the fake; the answer says DELETING, as DigitalOcean's does.
      return ok({ vpc_peering: { ...peering, status: "DELETING" } }, 202);
    },
  },
];
