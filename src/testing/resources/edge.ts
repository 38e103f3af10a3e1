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
