import { notFound, unprocessable } from "../errors.js";
import { stringParam } from "../params.js";
import { noContent, ok, type FakeRequest, type StatefulRoute, type World } from "../route.js";
import type { FakeState } from "../state.js";
import { fromTemplate } from "../templates.js";
import type { DatabaseCluster, DatabaseReplica } from "../types.js";
import { BodyFields } from "../validation.js";

/** Adds a database cluster from a create request (or seed): `creating`, or `online` for a seed. */
export function addDatabaseCluster(state: FakeState, fields: BodyFields, body: unknown, online: boolean): DatabaseCluster {
  const name = fields.string("name");
  fields.string("engine");
  fields.string("size");
  if (!state.region(fields.string("region"))) throw unprocessable("You specified an invalid region for the database.");
  const database = fromTemplate<DatabaseCluster>("databases_get_cluster", "database", body, { name, status: online ? "online" : "creating" });
  state.databaseClusters.set(database.id, database);
  state.databaseReplicas.set(database.id, new Map());
  return database;
}

function requireDatabase(state: FakeState, request: FakeRequest): DatabaseCluster {
  const database = state.databaseClusters.get(stringParam(request, "database_cluster_uuid"));
  if (!database) throw notFound();
  return database;
}

function replicasOf(state: FakeState, request: FakeRequest): Map<string, DatabaseReplica> {
  return state.databaseReplicas.get(requireDatabase(state, request).id)!;
}

function requireReplica(state: FakeState, request: FakeRequest): DatabaseReplica {
  const replica = replicasOf(state, request).get(stringParam(request, "replica_name"));
  if (!replica) throw notFound();
  return replica;
}

function createDatabase(request: FakeRequest, { state, lifecycles }: World): DatabaseCluster {
  const database = addDatabaseCluster(state, BodyFields.of(request), request.body, false);
  lifecycles.play("databaseCluster", [], () => (database.status = "online"));
  return database;
}

function createReplica(request: FakeRequest, { state, lifecycles }: World): DatabaseReplica {
  const database = requireDatabase(state, request);
  const fields = BodyFields.of(request);
  const name = fields.string("name");
  const replicas = state.databaseReplicas.get(database.id)!;
  if (replicas.has(name)) throw unprocessable(`A replica named ${name} already exists.`);
  const replica = fromTemplate<DatabaseReplica>("databases_get_replica", "replica", request.body, { name, status: "creating" });
  replicas.set(name, replica);
  lifecycles.play("databaseReplica", [], () => (replica.status = "online"));
  return replica;
}

export const databaseRoutes: StatefulRoute[] = [
  { operationId: "databases_list_clusters", handle: (_request, { state }) => ok({ databases: [...state.databaseClusters.values()] }) },
  { operationId: "databases_create_cluster", handle: (request, world) => ok({ database: createDatabase(request, world) }, 201) },
  { operationId: "databases_get_cluster", handle: (request, { state }) => ok({ database: requireDatabase(state, request) }) },
  {
    operationId: "databases_destroy_cluster",
    handle: (request, { state }) => {
      const database = requireDatabase(state, request);
      state.databaseClusters.delete(database.id);
      state.databaseReplicas.delete(database.id);
      return noContent();
    },
  },
  { operationId: "databases_create_replica", handle: (request, world) => ok({ replica: createReplica(request, world) }, 201) },
  { operationId: "databases_list_replicas", handle: (request, { state }) => ok({ replicas: [...replicasOf(state, request).values()] }) },
  { operationId: "databases_get_replica", handle: (request, { state }) => ok({ replica: requireReplica(state, request) }) },
  {
    operationId: "databases_destroy_replica",
    handle: (request, { state }) => {
      replicasOf(state, request).delete(requireReplica(state, request).name);
      return noContent();
    },
  },
];
