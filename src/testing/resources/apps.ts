import { randomUUID } from "node:crypto";
import { isoNow } from "../clock.js";
import { FakeApiError, notFound, unprocessable } from "../errors.js";
import { paginate } from "../pagination.js";
import { stringParam } from "../params.js";
import { ok, type FakeRequest, type StatefulRoute, type World } from "../route.js";
import type { FakeState } from "../state.js";
import { fromTemplate } from "../templates.js";
import type { App, AppDeployment, DeploymentPhase } from "../types.js";

/** Adds an app from a create request (or seed); a seeded app has an active deployment already. */
export function addApp(state: FakeState, body: unknown, deployed: boolean): App {
  const spec = (body as { spec?: { name?: unknown } } | undefined)?.spec;
  if (typeof spec?.name !== "string" || spec.name === "") throw unprocessable("spec.name is required.");
  const app = fromTemplate<App>("apps_get", "app", body, { spec });
  delete app.active_deployment;
  delete app.in_progress_deployment;
  delete app.pending_deployment;
  // Until its first deployment is live an app has no address; the template's are another app's.
  for (const field of LIVE_FIELDS) delete app[field];
  // The API leaves out what the app is not configured with (the fake assigns no dedicated egress IPs).
  delete app.dedicated_ips;
  if (!("vpc" in spec)) delete app.vpc;
  if (!("domains" in spec)) delete app.domains;
  state.apps.set(app.id, app);
  state.appDeployments.set(app.id, new Map());
  if (deployed) {
    const deployment = newDeployment(state, app, "ACTIVE");
    app.active_deployment = deployment;
    goLive(app);
  }
  return app;
}

const LIVE_FIELDS = ["default_ingress", "live_url", "live_url_base", "live_domain"] as const;

/** Gives an app the addresses it gets when its first deployment goes live (it keeps them after). */
function goLive(app: App): void {
  if (app.default_ingress !== undefined) return;
  const host = `${String((app.spec as { name?: unknown } | undefined)?.name)}-${app.id.slice(0, 5)}.ondigitalocean.app`;
  Object.assign(app, { default_ingress: `https://${host}`, live_url: `https://${host}`, live_url_base: `https://${host}`, live_domain: host });
}

function newDeployment(state: FakeState, app: App, phase: DeploymentPhase, cause?: string): AppDeployment {
  const now = isoNow();
  const deployment = fromTemplate<AppDeployment>("apps_get_deployment", "deployment", undefined, {
    id: randomUUID(),
    phase,
    spec: app.spec,
    updated_at: now,
    phase_last_updated_at: now,
    ...(cause !== undefined ? { cause } : {}),
  });
  state.appDeployments.get(app.id)!.set(deployment.id, deployment);
  app.last_deployment_created_at = now;
  return deployment;
}

/** The phases of a deployment still being built; the others are where one ends. */
const UNDER_WAY: ReadonlySet<DeploymentPhase> = new Set(["PENDING_BUILD", "BUILDING", "PENDING_DEPLOY", "DEPLOYING"]);

function setPhase(deployment: AppDeployment, phase: DeploymentPhase): void {
  deployment.phase = phase;
  deployment.phase_last_updated_at = deployment.updated_at = isoNow();
}

/**
 * Builds a deployment: its phases on the way to `ACTIVE` (the app's active deployment then), or
 * `ERROR`. A build still under way is superseded by the new one, as DigitalOcean's are; a failed
 * one keeps `ERROR` in the history and no longer counts as in progress.
 */
function deploy(world: World, app: App, cause?: string): AppDeployment {
  const previous = app.in_progress_deployment;
  if (previous && UNDER_WAY.has(previous.phase)) setPhase(previous, "SUPERSEDED");
  const deployment = newDeployment(world.state, app, "PENDING_BUILD", cause);
  app.in_progress_deployment = deployment;
  // A superseded or canceled build stops where it is: its remaining steps change nothing.
  const step = (apply: () => void) => () => {
    if (UNDER_WAY.has(deployment.phase)) apply();
  };
  const phase = (next: DeploymentPhase) => step(() => setPhase(deployment, next));
  world.lifecycles.play(
    "appDeployment",
    [[0.1, phase("BUILDING")], [0.6, phase("PENDING_DEPLOY")], [0.7, phase("DEPLOYING")]],
    step(() => {
      setPhase(deployment, "ACTIVE");
      if (app.active_deployment) setPhase(app.active_deployment, "SUPERSEDED");
      app.active_deployment = deployment;
      goLive(app);
      if (app.in_progress_deployment === deployment) delete app.in_progress_deployment;
    }),
    phase("ERROR"),
  );
  return deployment;
}

/** `PUT /v2/apps/{id}`: the same app with the new spec, and a deployment of it, as the API starts one. */
function updateApp(world: World, app: App, body: unknown): App {
  const spec = (body as { spec?: { name?: unknown } } | undefined)?.spec;
  if (typeof spec?.name !== "string" || spec.name === "") throw unprocessable("spec.name is required.");
  app.spec = spec;
  app.updated_at = isoNow();
  deploy(world, app, "app spec updated");
  return app;
}

function requireDeployment(state: FakeState, request: FakeRequest): AppDeployment {
  const deployment = state.appDeployments.get(requireApp(state, request, "app_id").id)?.get(stringParam(request, "deployment_id"));
  if (!deployment) throw notFound();
  return deployment;
}

/** Stops a deployment still under way; one that has ended cannot be canceled, as on DigitalOcean. */
function cancelDeployment(state: FakeState, request: FakeRequest): AppDeployment {
  const app = requireApp(state, request, "app_id");
  const deployment = requireDeployment(state, request);
  if (!UNDER_WAY.has(deployment.phase)) throw new FakeApiError(409, `The deployment is ${deployment.phase} and can no longer be canceled.`);
  setPhase(deployment, "CANCELED");
  if (app.in_progress_deployment === deployment) delete app.in_progress_deployment;
  return deployment;
}

function requireApp(state: FakeState, request: FakeRequest, name: "id" | "app_id"): App {
  const app = state.apps.get(stringParam(request, name));
  if (!app) throw notFound();
  return app;
}

export const appRoutes: StatefulRoute[] = [
  { operationId: "apps_list", handle: (request, { state }) => paginate(request, "apps", [...state.apps.values()]) },
  {
    operationId: "apps_create",
    handle: (request, world) => {
      const app = addApp(world.state, request.body, false);
      deploy(world, app);
      return ok({ app });
    },
  },
  { operationId: "apps_get", handle: (request, { state }) => ok({ app: requireApp(state, request, "id") }) },
  {
    operationId: "apps_delete",
    handle: (request, { state }) => {
      const app = requireApp(state, request, "id");
      state.apps.delete(app.id);
      state.appDeployments.delete(app.id);
      return ok({ id: app.id });
    },
  },
  {
    operationId: "apps_update",
    handle: (request, world) => ok({ app: updateApp(world, requireApp(world.state, request, "id"), request.body) }),
  },
  {
    operationId: "apps_list_deployments",
    // Newest first, as DigitalOcean lists them.
    handle: (request, { state }) => paginate(request, "deployments", [...state.appDeployments.get(requireApp(state, request, "app_id").id)!.values()].reverse()),
  },
  { operationId: "apps_create_deployment", handle: (request, world) => ok({ deployment: deploy(world, requireApp(world.state, request, "app_id"), "manual") }) },
  { operationId: "apps_restart", handle: (request, world) => ok({ deployment: deploy(world, requireApp(world.state, request, "app_id"), "manual restart") }) },
  { operationId: "apps_get_deployment", handle: (request, { state }) => ok({ deployment: requireDeployment(state, request) }) },
  { operationId: "apps_cancel_deployment", handle: (request, { state }) => ok({ deployment: cancelDeployment(state, request) }) },
];
