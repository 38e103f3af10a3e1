import { randomUUID } from "node:crypto";
import { isoNow } from "../clock.js";
import { FakeApiError, notFound, unprocessable } from "../errors.js";
import { paginate } from "../pagination.js";
import { originOf, stringParam } from "../params.js";
import { noContent, ok, type FakeRequest, type StatefulRoute } from "../route.js";
import type { FakeState } from "../state.js";
import type { Project, ProjectEnvironment, ProjectResource } from "../types.js";
import { BodyFields } from "../validation.js";

const environments: readonly ProjectEnvironment[] = ["Development", "Staging", "Production"];
const urnFormat = /^do:(dbaas|domain|droplet|floatingip|loadbalancer|space|volume|kubernetes|vpc):(.+)$/;

/** New resources land in the default project, as on DigitalOcean. */
export function assignToDefaultProject(state: FakeState, urn: string): void {
  state.projectAssignments.set(urn, { projectId: state.defaultProject().id, assignedAt: isoNow() });
}

/** Forgets a deleted resource's project. */
export function unassign(state: FakeState, urn: string): void {
  state.projectAssignments.delete(urn);
}

/** The API path of the resource a URN names, when the fake has it. */
function pathOfUrn(state: FakeState, urn: string): string | undefined {
  const [, type, id] = urnFormat.exec(urn) ?? [];
  if (id === undefined) return undefined;
  switch (type) {
    case "droplet":
      return state.droplets.has(Number(id)) ? `/v2/droplets/${id}` : undefined;
    case "volume":
      return state.volumes.has(id) ? `/v2/volumes/${id}` : undefined;
    case "domain":
      return state.domains.has(id) ? `/v2/domains/${id}` : undefined;
    case "floatingip":
      return state.reservedIps.has(id) ? `/v2/reserved_ips/${id}` : undefined;
    case "vpc":
      return state.vpcs.has(id) ? `/v2/vpcs/${id}` : undefined;
    default:
      return undefined;
  }
}

function projectFor(state: FakeState, request: FakeRequest): Project {
  if (request.params.project_id === undefined) return state.defaultProject();
  const project = state.projects.get(stringParam(request, "project_id"));
  if (!project) throw notFound();
  return project;
}

function listResources(state: FakeState, project: Project, origin: string): ProjectResource[] {
  const resources: ProjectResource[] = [];
  for (const [urn, assignment] of state.projectAssignments) {
    const path = pathOfUrn(state, urn);
    if (assignment.projectId === project.id && path !== undefined) {
      resources.push({ urn, assigned_at: assignment.assignedAt, links: { self: origin + path }, status: "ok" });
    }
  }
  return resources;
}

function assignResources(state: FakeState, project: Project, request: FakeRequest): ProjectResource[] {
  const urns = BodyFields.of(request).stringArray("resources");
  const origin = originOf(request);
  return urns.map((urn): ProjectResource => {
    if (!urnFormat.test(urn)) throw unprocessable(`${urn} is not a valid resource URN.`);
    const path = pathOfUrn(state, urn);
    const assignedAt = isoNow();
    if (path === undefined) return { urn, assigned_at: assignedAt, links: { self: origin }, status: "not_found" };
    const already = state.projectAssignments.get(urn)?.projectId === project.id;
    if (!already) state.projectAssignments.set(urn, { projectId: project.id, assignedAt });
    return { urn, assigned_at: assignedAt, links: { self: origin + path }, status: already ? "already_assigned" : "assigned" };
  });
}

/** Applies the body's fields to a project; `complete` demands every writable field (PUT). */
function applyUpdate(state: FakeState, project: Project, request: FakeRequest, complete: boolean): Project {
  const fields = BodyFields.of(request);
  const name = complete ? fields.string("name") : fields.optionalString("name");
  const description = complete ? fields.optionalString("description") ?? "" : fields.optionalString("description");
  const purpose = complete ? fields.string("purpose") : fields.optionalString("purpose");
  const environment = complete ? fields.oneOf("environment", environments) : fields.optionalOneOf("environment", environments);
  const isDefault = fields.optionalBoolean("is_default");
  if (complete && isDefault === undefined) throw unprocessable("is_default is required.");
  if (name !== undefined) project.name = checkLength("name", name, 175);
  if (description !== undefined) project.description = checkLength("description", description, 255);
  if (purpose !== undefined) project.purpose = checkLength("purpose", purpose, 255);
  if (environment !== undefined) project.environment = environment;
  if (isDefault === true && !project.is_default) {
    for (const other of state.projects.values()) other.is_default = false;
    project.is_default = true;
  } else if (isDefault === false && project.is_default) {
    throw unprocessable("A default project is required: make another project the default instead.");
  }
  project.updated_at = isoNow();
  return project;
}

function checkLength(name: string, value: string, max: number): string {
  if (value.length > max) throw unprocessable(`${name} must be at most ${max} characters.`);
  return value;
}

export const projectRoutes: StatefulRoute[] = [
  {
    operationId: "projects_list",
    handle: (request, { state }) => paginate(request, "projects", [...state.projects.values()]),
  },
  {
    operationId: "projects_create",
    handle: (request, { state }) => {
      const fields = BodyFields.of(request);
      const name = checkLength("name", fields.string("name"), 175);
      const purpose = checkLength("purpose", fields.string("purpose"), 255);
      for (const existing of state.projects.values()) {
        if (existing.name === name) throw new FakeApiError(409, "A project with this name already exists.");
      }
      const created = isoNow();
      const project: Project = {
        id: randomUUID(),
        owner_uuid: state.account.uuid,
        owner_id: state.defaultProject().owner_id,
        name,
        description: checkLength("description", fields.optionalString("description") ?? "", 255),
        purpose,
        environment: fields.optionalOneOf("environment", environments) ?? "Development",
        created_at: created,
        updated_at: created,
        is_default: false,
      };
      state.projects.set(project.id, project);
      return ok({ project }, 201);
    },
  },
  // The default project and a project by id answer alike.
  ...(["_default", ""] as const).flatMap((suffix): StatefulRoute[] => {
    return [
      {
        operationId: suffix ? "projects_get_default" : "projects_get",
        handle: (request, { state }) => ok({ project: projectFor(state, request) }),
      },
      {
        operationId: `projects_update${suffix}`,
        handle: (request, { state }) => ok({ project: applyUpdate(state, projectFor(state, request), request, true) }),
      },
      {
        operationId: `projects_patch${suffix}`,
        handle: (request, { state }) => ok({ project: applyUpdate(state, projectFor(state, request), request, false) }),
      },
      {
        operationId: `projects_list_resources${suffix}`,
        handle: (request, { state }) =>
          paginate(request, "resources", listResources(state, projectFor(state, request), originOf(request))),
      },
      {
        operationId: `projects_assign_resources${suffix}`,
        handle: (request, { state }) => ok({ resources: assignResources(state, projectFor(state, request), request) }),
      },
    ];
  }),
  {
    operationId: "projects_delete",
    handle: (request, { state }) => {
      const project = projectFor(state, request);
      if (project.is_default) throw unprocessable("The default project cannot be deleted.");
      if (listResources(state, project, "").length > 0) {
        throw new FakeApiError(412, "Cannot delete a project with resources. Move or remove the resources first.");
      }
      state.projects.delete(project.id);
      return noContent();
    },
  },
];
