import { updateFields } from "../echo.js";
import { notFound, unprocessable } from "../errors.js";
import { paginate } from "../pagination.js";
import { stringParam } from "../params.js";
import { noContent, ok, type FakeRequest, type StatefulRoute, type World } from "../route.js";
import type { FakeState } from "../state.js";
import { fromTemplate } from "../templates.js";
import type { Certificate, LoadBalancer } from "../types.js";
import { BodyFields } from "../validation.js";

// Load balancers and certificates: what sits at the edge in front of droplets and apps.

/** Adds a load balancer from a create request (or seed): `new`, or `active` for a seed. */
export function addLoadBalancer(state: FakeState, fields: BodyFields, body: unknown, active: boolean): LoadBalancer {
  const name = fields.string("name");
  const region = fields.optionalString("region");
  if (region !== undefined && !state.region(region)) throw unprocessable("You specified an invalid region for the load balancer.");
  const loadBalancer = fromTemplate<LoadBalancer>("loadBalancers_get", "load_balancer", body, { name, status: active ? "active" : "new" });
  // A rule sent without a certificate comes back with certificate_id "", as DigitalOcean answers it.
  if (Array.isArray(loadBalancer.forwarding_rules)) {
    loadBalancer.forwarding_rules = loadBalancer.forwarding_rules.map((rule: Record<string, unknown>) => ({ certificate_id: "", ...rule }));
  }
  state.loadBalancers.set(loadBalancer.id, loadBalancer);
  return loadBalancer;
}

/** Adds a certificate from a create request (or seed): `pending`, or `verified` for a seed. */
export function addCertificate(state: FakeState, fields: BodyFields, body: unknown, verified: boolean): Certificate {
  const name = fields.string("name");
  const certificate = fromTemplate<Certificate>("certificates_get", "certificate", body, { name, state: verified ? "verified" : "pending" });
  state.certificates.set(certificate.id, certificate);
  return certificate;
}

function required<T>(map: ReadonlyMap<string, T>, request: FakeRequest, param: string): T {
  const found = map.get(stringParam(request, param));
  if (found === undefined) throw notFound();
  return found;
}

function createLoadBalancer(request: FakeRequest, { state, lifecycles }: World): LoadBalancer {
  const loadBalancer = addLoadBalancer(state, BodyFields.of(request), request.body, false);
  lifecycles.play("loadBalancer", [], () => (loadBalancer.status = "active"), () => (loadBalancer.status = "errored"));
  return loadBalancer;
}

/** A Let's Encrypt certificate has no fingerprint or expiry until it is issued; returns what issues it. */
function hideUntilIssued(certificate: Certificate): () => void {
  const { not_after, sha1_fingerprint } = certificate;
  delete certificate.not_after;
  delete certificate.sha1_fingerprint;
  return () => Object.assign(certificate, { not_after, sha1_fingerprint });
}

/** What `PUT /v2/load_balancers/{id}` replaces: the create's fields, but not where it runs or what it is. */
const LOAD_BALANCER_UPDATABLE = [
  "name", "size", "size_unit", "algorithm", "forwarding_rules", "health_check", "sticky_sessions", "tag", "droplet_ids", "redirect_http_to_https",
  "enable_proxy_protocol", "enable_backend_keepalive", "http_idle_timeout_seconds", "disable_lets_encrypt_dns_records", "firewall",
];

function updateLoadBalancer(request: FakeRequest, { state }: World): LoadBalancer {
  const loadBalancer = required(state.loadBalancers, request, "lb_id");
  const fields = BodyFields.of(request);
  fields.string("name");
  // Its droplets are named by ids or by a tag, never both: the one an update gives replaces the other.
  if (fields.has("droplet_ids")) loadBalancer.tag = "";
  if (fields.has("tag")) loadBalancer.droplet_ids = [];
  return updateFields(loadBalancer, request.body, LOAD_BALANCER_UPDATABLE);
}

/** Adds or removes droplets (by id) or forwarding rules (by their entry and target) from a load balancer. */
function changeMembers(request: FakeRequest, { state }: World, key: "droplet_ids" | "forwarding_rules", add: boolean): void {
  const loadBalancer = required(state.loadBalancers, request, "lb_id");
  const given = BodyFields.of(request).raw(key);
  if (!Array.isArray(given) || given.length === 0) throw unprocessable(`${key} must hold at least one entry.`);
  if (key === "droplet_ids" && loadBalancer.tag) throw unprocessable("A load balancer with a tag takes its droplets from the tag.");
  const same = key === "droplet_ids" ? (a: unknown, b: unknown) => a === b : sameForwardingRule;
  const current = Array.isArray(loadBalancer[key]) ? (loadBalancer[key] as unknown[]) : [];
  loadBalancer[key] = add
    ? [...current, ...given.filter((entry) => !current.some((existing) => same(existing, entry)))]
    : current.filter((existing) => !given.some((entry) => same(existing, entry)));
}

/** Forwarding rules are one rule when they forward the same entry to the same target. */
function sameForwardingRule(a: unknown, b: unknown): boolean {
  const keys = ["entry_protocol", "entry_port", "target_protocol", "target_port"] as const;
  return keys.every((name) => (a as Record<string, unknown> | null)?.[name] === (b as Record<string, unknown> | null)?.[name]);
}

function createCertificate(request: FakeRequest, { state, lifecycles }: World): Certificate {
  const certificate = addCertificate(state, BodyFields.of(request), request.body, false);
  const issue = certificate.type === "lets_encrypt" ? hideUntilIssued(certificate) : () => undefined;
  lifecycles.play(
    "certificate",
    [],
    () => {
      certificate.state = "verified";
      issue();
    },
    () => (certificate.state = "error"),
  );
  return certificate;
}

export const edgeRoutes: StatefulRoute[] = [
  { operationId: "loadBalancers_list", handle: (request, { state }) => paginate(request, "load_balancers", [...state.loadBalancers.values()]) },
  { operationId: "loadBalancers_create", handle: (request, world) => ok({ load_balancer: createLoadBalancer(request, world) }, 202) },
  { operationId: "loadBalancers_get", handle: (request, { state }) => ok({ load_balancer: required(state.loadBalancers, request, "lb_id") }) },
  { operationId: "loadBalancers_update", handle: (request, world) => ok({ load_balancer: updateLoadBalancer(request, world) }) },
  ...(["droplet_ids", "forwarding_rules"] as const).flatMap((key): StatefulRoute[] => {
    const noun = key === "droplet_ids" ? "droplets" : "forwardingRules";
    return [
      {
        operationId: `loadBalancers_add_${noun}`,
        handle: (request, world) => {
          changeMembers(request, world, key, true);
          return noContent();
        },
      },
      {
        operationId: `loadBalancers_remove_${noun}`,
        handle: (request, world) => {
          changeMembers(request, world, key, false);
          return noContent();
        },
      },
    ];
  }),
  {
    operationId: "loadBalancers_delete",
    handle: (request, { state }) => {
      state.loadBalancers.delete(required(state.loadBalancers, request, "lb_id").id);
      return noContent();
    },
  },
  { operationId: "certificates_list", handle: (request, { state }) => paginate(request, "certificates", [...state.certificates.values()]) },
  { operationId: "certificates_create", handle: (request, world) => ok({ certificate: createCertificate(request, world) }, 201) },
  { operationId: "certificates_get", handle: (request, { state }) => ok({ certificate: required(state.certificates, request, "certificate_id") }) },
  {
    operationId: "certificates_delete",
    handle: (request, { state }) => {
      state.certificates.delete(required(state.certificates, request, "certificate_id").id);
      return noContent();
    },
  },
];
