import { randomUUID } from "node:crypto";
import { isoNow } from "../clock.js";
import { notFound, unprocessable } from "../errors.js";
import { paginate } from "../pagination.js";
import { stringParam } from "../params.js";
import { noContent, ok, type FakeRequest, type StatefulRoute } from "../route.js";
import type { FakeState } from "../state.js";
import type { Firewall, FirewallRuleTarget, InboundRule, OutboundRule } from "../types.js";
import { BodyFields } from "../validation.js";
import { ensureTags } from "./tags.js";

const firewallNameFormat = /^[a-zA-Z0-9][a-zA-Z0-9.-]+$/;
const protocols = ["tcp", "udp", "icmp"] as const;
/** A port, a range, or `all` (`0` means all too); ICMP rules carry no ports. */
const portsFormat = /^(all|\d{1,5}(-\d{1,5})?)$/;

function readTarget(state: FakeState, value: unknown, name: string): FirewallRuleTarget {
  const fields = BodyFields.from(value);
  const target: FirewallRuleTarget = {};
  const addresses = fields.optionalStringArray("addresses");
  const dropletIds = fields.optionalIntegerArray("droplet_ids");
  const loadBalancerUids = fields.optionalStringArray("load_balancer_uids");
  const kubernetesIds = fields.optionalStringArray("kubernetes_ids");
  const tags = fields.optionalStringArray("tags");
  for (const id of dropletIds ?? []) if (!state.droplets.has(id)) throw unprocessable(`${name}: droplet ${id} was not found.`);
  if (addresses) target.addresses = addresses;
  if (dropletIds) target.droplet_ids = dropletIds;
  if (loadBalancerUids) target.load_balancer_uids = loadBalancerUids;
  if (kubernetesIds) target.kubernetes_ids = kubernetesIds;
  if (tags) target.tags = ensureTags(state, tags);
  return target;
}

interface RuleParts {
  protocol: (typeof protocols)[number];
  ports: string;
  target: FirewallRuleTarget;
}

function readRuleParts(state: FakeState, fields: BodyFields, listName: string, targetName: string): RuleParts[] {
  const list = fields.raw(listName);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw unprocessable(`${listName} must be an array of rules.`);
  return list.map((entry: unknown, index) => {
    const rule = BodyFields.from(entry);
    const protocol = rule.oneOf("protocol", protocols);
    const ports = protocol === "icmp" ? rule.optionalString("ports") ?? "0" : rule.string("ports");
    if (protocol !== "icmp" && !portsFormat.test(ports)) throw unprocessable(`${listName}[${index}].ports must be a port, a range or "all".`);
    if (!rule.has(targetName)) throw unprocessable(`${listName}[${index}].${targetName} is required.`);
    return { protocol, ports, target: readTarget(state, rule.raw(targetName), `${listName}[${index}]`) };
  });
}

function readInboundRules(state: FakeState, fields: BodyFields): InboundRule[] {
  return readRuleParts(state, fields, "inbound_rules", "sources").map(({ protocol, ports, target }) => ({ protocol, ports, sources: target }));
}

function readOutboundRules(state: FakeState, fields: BodyFields): OutboundRule[] {
  return readRuleParts(state, fields, "outbound_rules", "destinations").map(({ protocol, ports, target }) => ({ protocol, ports, destinations: target }));
}

function readDropletIds(state: FakeState, fields: BodyFields, required: boolean): number[] {
  const ids = required ? fields.integerArray("droplet_ids") : fields.optionalIntegerArray("droplet_ids") ?? [];
  for (const id of ids) if (!state.droplets.has(id)) throw unprocessable(`Droplet ${id} was not found.`);
  return ids;
}

function readName(fields: BodyFields): string {
  const name = fields.string("name");
  if (!firewallNameFormat.test(name) || name.length > 255) {
    throw unprocessable("name must start with a letter or digit and contain only letters, digits, dots and dashes.");
  }
  return name;
}

/** Adds a firewall from a create request (or seed). */
export function addFirewall(state: FakeState, fields: BodyFields): Firewall {
  const name = readName(fields);
  const inbound = readInboundRules(state, fields);
  const outbound = readOutboundRules(state, fields);
  const dropletIds = readDropletIds(state, fields, false);
  const firewall: Firewall = {
    id: randomUUID(),
    status: "succeeded",
    created_at: isoNow(),
    pending_changes: [],
    name,
    droplet_ids: [...new Set(dropletIds)],
    tags: ensureTags(state, fields.optionalStringArray("tags") ?? []),
    inbound_rules: inbound,
    outbound_rules: outbound,
  };
  state.firewalls.set(firewall.id, firewall);
  return firewall;
}

function requireFirewall(state: FakeState, request: FakeRequest): Firewall {
  const firewall = state.firewalls.get(stringParam(request, "firewall_id"));
  if (!firewall) throw notFound();
  return firewall;
}

/** Two rules are the same when they allow the same traffic (DigitalOcean removes rules by value). */
function sameRule(a: InboundRule | OutboundRule, b: InboundRule | OutboundRule): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export const firewallRoutes: StatefulRoute[] = [
  {
    operationId: "firewalls_list",
    handle: (request, { state }) => paginate(request, "firewalls", [...state.firewalls.values()]),
  },
  {
    operationId: "firewalls_create",
    handle: (request, { state }) => {
      const firewall = addFirewall(state, BodyFields.of(request));
      // Applying rules is instant in the fake; the first answer still says waiting, as DigitalOcean's does.
      return ok({ firewall: { ...firewall, status: "waiting" } }, 202);
    },
  },
  {
    operationId: "firewalls_get",
    handle: (request, { state }) => ok({ firewall: requireFirewall(state, request) }),
  },
  {
    operationId: "firewalls_update",
    handle: (request, { state }) => {
      const firewall = requireFirewall(state, request);
      const fields = BodyFields.of(request);
      const name = readName(fields);
      const inbound = readInboundRules(state, fields);
      const outbound = readOutboundRules(state, fields);
      const dropletIds = readDropletIds(state, fields, false);
      const tags = ensureTags(state, fields.optionalStringArray("tags") ?? []);
      Object.assign(firewall, { name, inbound_rules: inbound, outbound_rules: outbound, droplet_ids: [...new Set(dropletIds)], tags });
      return ok({ firewall });
    },
  },
  {
    operationId: "firewalls_delete",
    handle: (request, { state }) => {
      state.firewalls.delete(requireFirewall(state, request).id);
      return noContent();
    },
  },
  {
    operationId: "firewalls_assign_droplets",
    handle: (request, { state }) => {
      const firewall = requireFirewall(state, request);
      const ids = readDropletIds(state, BodyFields.of(request), true);
      firewall.droplet_ids = [...new Set([...firewall.droplet_ids, ...ids])];
      return noContent();
    },
  },
  {
    operationId: "firewalls_delete_droplets",
    handle: (request, { state }) => {
      const firewall = requireFirewall(state, request);
      const ids = BodyFields.of(request).integerArray("droplet_ids");
      firewall.droplet_ids = firewall.droplet_ids.filter((id) => !ids.includes(id));
      return noContent();
    },
  },
  {
    operationId: "firewalls_add_tags",
    handle: (request, { state }) => {
      const firewall = requireFirewall(state, request);
      const tags = BodyFields.of(request).stringArray("tags");
      for (const tag of tags) if (!state.tags.has(tag)) throw unprocessable(`Tag ${tag} was not found.`);
      firewall.tags = [...new Set([...firewall.tags, ...tags])];
      return noContent();
    },
  },
  {
    operationId: "firewalls_delete_tags",
    handle: (request, { state }) => {
      const firewall = requireFirewall(state, request);
      const tags = BodyFields.of(request).stringArray("tags");
      firewall.tags = firewall.tags.filter((tag) => !tags.includes(tag));
      return noContent();
    },
  },
  {
    operationId: "firewalls_add_rules",
    handle: (request, { state }) => {
      const firewall = requireFirewall(state, request);
      const fields = BodyFields.of(request);
      const inbound = readInboundRules(state, fields);
      const outbound = readOutboundRules(state, fields);
      if (inbound.length + outbound.length === 0) throw unprocessable("inbound_rules or outbound_rules is required.");
      firewall.inbound_rules.push(...inbound.filter((rule) => !firewall.inbound_rules.some((existing) => sameRule(existing, rule))));
      firewall.outbound_rules.push(...outbound.filter((rule) => !firewall.outbound_rules.some((existing) => sameRule(existing, rule))));
      return noContent();
    },
  },
  {
    operationId: "firewalls_delete_rules",
    handle: (request, { state }) => {
      const firewall = requireFirewall(state, request);
      const fields = BodyFields.of(request);
      const inbound = readInboundRules(state, fields);
      const outbound = readOutboundRules(state, fields);
      firewall.inbound_rules = firewall.inbound_rules.filter((rule) => !inbound.some((removed) => sameRule(rule, removed)));
      firewall.outbound_rules = firewall.outbound_rules.filter((rule) => !outbound.some((removed) => sameRule(rule, removed)));
      return noContent();
    },
  },
];
