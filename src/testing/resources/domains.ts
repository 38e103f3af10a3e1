import { notFound, unprocessable } from "../errors.js";
import { paginate } from "../pagination.js";
import { integerParam, stringParam } from "../params.js";
import { noContent, ok, type FakeRequest, type StatefulRoute } from "../route.js";
import type { FakeState } from "../state.js";
import type { Domain, DomainRecord } from "../types.js";
import { BodyFields } from "../validation.js";
import { assignToDefaultProject, unassign } from "./projects.js";

const domainNameFormat = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const ipv4Format = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const recordTypes = ["A", "AAAA", "CAA", "CNAME", "MX", "NS", "SOA", "SRV", "TXT"] as const;
const defaultTtl = 1800;
const nameServers = ["ns1.digitalocean.com", "ns2.digitalocean.com", "ns3.digitalocean.com"];

/** Adds a domain with the records DigitalOcean creates for it: SOA, its three NS, and an A record for `ip_address`. */
export function addDomain(state: FakeState, fields: BodyFields): Domain {
  const name = fields.string("name").toLowerCase();
  if (!domainNameFormat.test(name)) throw unprocessable("name must be a domain name such as example.com.");
  const ipAddress = fields.optionalString("ip_address");
  if (ipAddress !== undefined && !ipv4Format.test(ipAddress)) throw unprocessable("ip_address must be an IPv4 address.");
  if (state.domains.has(name)) throw unprocessable(`${name} already exists.`);
  const domain: Domain = { name, ttl: defaultTtl };
  state.domains.set(name, domain);
  const records = new Map<number, DomainRecord>();
  state.domainRecords.set(name, records);
  const add = (type: string, data: string) => {
    const record = blankRecord(state.nextId(), type, "@", data);
    records.set(record.id, record);
  };
  add("SOA", String(defaultTtl));
  for (const server of nameServers) add("NS", server);
  if (ipAddress !== undefined) add("A", ipAddress);
  assignToDefaultProject(state, `do:domain:${name}`);
  return domain;
}

function blankRecord(id: number, type: string, name: string, data: string): DomainRecord {
  return { id, type, name, data, priority: null, port: null, ttl: defaultTtl, weight: null, flags: null, tag: null };
}

/** What answers show for a domain: its TTL and a zone file written from its current records. */
function presentDomain(state: FakeState, domain: Domain): { name: string; ttl: number; zone_file: string } {
  const lines = [`$ORIGIN ${domain.name}.`, `$TTL ${domain.ttl}`];
  for (const record of state.domainRecords.get(domain.name)?.values() ?? []) {
    const owner = record.name === "@" ? `${domain.name}.` : `${record.name}.${domain.name}.`;
    const data = record.type === "SOA" ? `ns1.digitalocean.com. hostmaster.${domain.name}. 1 10800 3600 604800 ${record.data}` : record.data;
    lines.push(`${owner} ${record.ttl} IN ${record.type} ${record.priority !== null ? `${record.priority} ` : ""}${data}`);
  }
  return { name: domain.name, ttl: domain.ttl, zone_file: `${lines.join("\n")}\n` };
}

function requireDomain(state: FakeState, request: FakeRequest): Domain {
  const domain = state.domains.get(stringParam(request, "domain_name").toLowerCase());
  if (!domain) throw notFound();
  return domain;
}

function recordsOf(state: FakeState, domain: Domain): Map<number, DomainRecord> {
  return state.domainRecords.get(domain.name)!;
}

function requireRecord(state: FakeState, request: FakeRequest): DomainRecord {
  const record = recordsOf(state, requireDomain(state, request)).get(integerParam(request, "domain_record_id"));
  if (!record) throw notFound();
  return record;
}

/**
 * Writes the body's fields onto `record` and checks the result for its type, as DigitalOcean
 * checks a record as a whole: an MX needs a priority, an SRV a port and weight, a CAA a tag…
 */
function writeRecord(record: DomainRecord, fields: BodyFields): DomainRecord {
  const readNullableInteger = (name: string): number | null | undefined =>
    fields.raw(name) === null ? null : fields.optionalInteger(name);
  const next: DomainRecord = { ...record };
  next.name = fields.optionalString("name") ?? next.name;
  next.data = fields.optionalString("data") ?? next.data;
  next.ttl = fields.optionalInteger("ttl") ?? next.ttl;
  next.priority = readNullableInteger("priority") ?? next.priority;
  next.port = readNullableInteger("port") ?? next.port;
  next.weight = readNullableInteger("weight") ?? next.weight;
  next.flags = readNullableInteger("flags") ?? next.flags;
  next.tag = fields.raw("tag") === null ? null : fields.optionalString("tag") ?? next.tag;

  const need = (condition: boolean, message: string) => {
    if (!condition) throw unprocessable(message);
  };
  need(next.name !== "", "name is required.");
  need(next.data !== "", "data is required.");
  need(next.ttl >= 30, "ttl must be at least 30 seconds.");
  switch (next.type) {
    case "A":
      need(ipv4Format.test(next.data), "data must be an IPv4 address for an A record.");
      break;
    case "AAAA":
      need(/^[0-9a-f:]+$/i.test(next.data) && next.data.includes(":"), "data must be an IPv6 address for an AAAA record.");
      break;
    case "MX":
      need(next.priority !== null, "priority is required for an MX record.");
      break;
    case "SRV":
      need(next.priority !== null && next.port !== null && next.weight !== null, "priority, port and weight are required for an SRV record.");
      break;
    case "CAA":
      need(next.flags !== null && ["issue", "issuewild", "iodef"].includes(next.tag ?? ""), "flags and a tag of issue, issuewild or iodef are required for a CAA record.");
      break;
  }
  Object.assign(record, next);
  return record;
}

function updateRecord(request: FakeRequest, state: FakeState): ReturnType<StatefulRoute["handle"]> {
  const record = requireRecord(state, request);
  const fields = BodyFields.of(request);
  const type = fields.optionalOneOf("type", recordTypes);
  if (type !== undefined && type !== record.type) throw unprocessable("A record's type cannot change.");
  return ok({ domain_record: writeRecord(record, fields) });
}

export const domainRoutes: StatefulRoute[] = [
  {
    operationId: "domains_list",
    handle: (request, { state }) => paginate(request, "domains", [...state.domains.values()].map((domain) => presentDomain(state, domain))),
  },
  {
    operationId: "domains_create",
    handle: (request, { state }) => {
      const domain = addDomain(state, BodyFields.of(request));
      // DigitalOcean writes the zone after answering: the first answer has neither TTL nor zone file.
      return ok({ domain: { name: domain.name, ttl: null, zone_file: null } }, 201);
    },
  },
  {
    operationId: "domains_get",
    handle: (request, { state }) => ok({ domain: presentDomain(state, requireDomain(state, request)) }),
  },
  {
    operationId: "domains_delete",
    handle: (request, { state }) => {
      const domain = requireDomain(state, request);
      state.domains.delete(domain.name);
      state.domainRecords.delete(domain.name);
      unassign(state, `do:domain:${domain.name}`);
      return noContent();
    },
  },
  {
    operationId: "domains_list_records",
    handle: (request, { state }) => {
      const domain = requireDomain(state, request);
      const type = request.query.get("type");
      // The filter takes the fully qualified name; `@` records are the apex.
      const name = request.query.get("name");
      const records = [...recordsOf(state, domain).values()].filter(
        (record) =>
          (type === null || record.type === type) &&
          (name === null || (record.name === "@" ? domain.name : `${record.name}.${domain.name}`) === name),
      );
      return paginate(request, "domain_records", records);
    },
  },
  {
    operationId: "domains_create_record",
    handle: (request, { state }) => {
      const domain = requireDomain(state, request);
      const fields = BodyFields.of(request);
      const type = fields.oneOf("type", recordTypes);
      if (type === "SOA") throw unprocessable("SOA records are managed by DigitalOcean.");
      const record = writeRecord(blankRecord(state.nextId(), type, "@", ""), fields);
      recordsOf(state, domain).set(record.id, record);
      return ok({ domain_record: record }, 201);
    },
  },
  {
    operationId: "domains_get_record",
    handle: (request, { state }) => ok({ domain_record: requireRecord(state, request) }),
  },
  {
    operationId: "domains_patch_record",
    handle: (request, { state }) => updateRecord(request, state),
  },
  {
    operationId: "domains_update_record",
    handle: (request, { state }) => updateRecord(request, state),
  },
  {
    operationId: "domains_delete_record",
    handle: (request, { state }) => {
      const domain = requireDomain(state, request);
      const record = requireRecord(state, request);
      recordsOf(state, domain).delete(record.id);
      return noContent();
    },
  },
];
