import { randomBytes, randomUUID } from "node:crypto";
import { isoNow } from "../clock.js";
import { notFound, unprocessable } from "../errors.js";
import { fallbackResponses } from "../generated/fallbackResponses.js";
import { stringParam } from "../params.js";
import { noContent, ok, type FakeRequest, type StatefulRoute, type World } from "../route.js";
import type { FakeState } from "../state.js";
import { fromTemplate } from "../templates.js";
import type { DatabaseCluster, DatabaseConnectionPool, DatabaseFirewallRule, DatabaseReplica, DatabaseUser } from "../types.js";
import { BodyFields } from "../validation.js";

/** The connection fields the fake reads from a cluster's or pool's `connection`. */
interface Connection {
  uri: string;
  database: string;
  host: string;
  port: number;
  user: string;
  password: string;
  [field: string]: unknown;
}

const FIREWALL_RULE_TYPES = ["droplet", "k8s", "ip_addr", "tag", "app"] as const;

/** A password as DigitalOcean generates one: 16 lowercase letters and digits. */
function newPassword(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(16), (byte) => alphabet[byte % alphabet.length]).join("");
}

/** Adds a database cluster from a create request (or seed): `creating`, or `online` for a seed. */
export function addDatabaseCluster(state: FakeState, fields: BodyFields, body: unknown, online: boolean): DatabaseCluster {
  const name = fields.string("name");
  fields.string("engine");
  fields.string("size");
  if (!state.region(fields.string("region"))) throw unprocessable("You specified an invalid region for the database.");
  const database = fromTemplate<DatabaseCluster>("databases_get_cluster", "database", body, { name, status: online ? "online" : "creating" });
  // Every cluster starts with its admin user (the one its connection uses) and `defaultdb`; a seed may say otherwise.
  const connection = database.connection as Connection;
  if (!fields.has("connection")) connection.password = newPassword();
  if (!fields.has("users")) database.users = [{ name: connection.user, role: "primary", password: connection.password }];
  if (!fields.has("db_names")) database.db_names = ["defaultdb"];
  state.databaseClusters.set(database.id, database);
  state.databaseReplicas.set(database.id, new Map());
  state.databasePools.set(database.id, new Map());
  state.databaseFirewallRules.set(database.id, []);
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

function requireUser(database: DatabaseCluster, request: FakeRequest): DatabaseUser {
  const user = database.users.find((candidate) => candidate.name === stringParam(request, "username"));
  if (!user) throw notFound();
  return user;
}

function addUser(request: FakeRequest, { state }: World): DatabaseUser {
  const database = requireDatabase(state, request);
  const fields = BodyFields.of(request);
  const name = fields.string("name");
  if (database.users.some((user) => user.name === name)) throw unprocessable(`A user named ${name} already exists.`);
  const user: DatabaseUser = { name, role: "normal", password: newPassword() };
  for (const field of ["mysql_settings", "settings"]) if (fields.has(field)) user[field] = fields.raw(field);
  database.users.push(user);
  return user;
}

function updateUser(request: FakeRequest, { state }: World): DatabaseUser {
  const user = requireUser(requireDatabase(state, request), request);
  const settings = BodyFields.of(request).raw("settings");
  if (typeof settings !== "object" || settings === null) throw unprocessable("settings must be an object.");
  user.settings = settings;
  return user;
}

/** A new password; the cluster's connection follows when its own user is reset. */
function resetAuth(request: FakeRequest, { state }: World): DatabaseUser {
  const database = requireDatabase(state, request);
  const user = requireUser(database, request);
  const fields = BodyFields.of(request);
  if (fields.has("mysql_settings")) user.mysql_settings = fields.raw("mysql_settings");
  user.password = newPassword();
  const connection = database.connection as Connection;
  if (connection.user === user.name) connection.password = user.password;
  return user;
}

function deleteUser(request: FakeRequest, { state }: World): void {
  const database = requireDatabase(state, request);
  const user = requireUser(database, request);
  if (user.role === "primary") throw unprocessable("The primary user of a cluster cannot be deleted.");
  database.users.splice(database.users.indexOf(user), 1);
}

function requireDbName(database: DatabaseCluster, request: FakeRequest): string {
  const name = stringParam(request, "database_name");
  if (!database.db_names.includes(name)) throw notFound();
  return name;
}

function addDb(request: FakeRequest, { state }: World): { name: string } {
  const database = requireDatabase(state, request);
  const name = BodyFields.of(request).string("name");
  if (database.db_names.includes(name)) throw unprocessable(`A database named ${name} already exists.`);
  database.db_names.push(name);
  return { name };
}

function connectionPoolsOf(state: FakeState, request: FakeRequest): Map<string, DatabaseConnectionPool> {
  return state.databasePools.get(requireDatabase(state, request).id)!;
}

function requireConnectionPool(state: FakeState, request: FakeRequest): DatabaseConnectionPool {
  const pool = connectionPoolsOf(state, request).get(stringParam(request, "pool_name"));
  if (!pool) throw notFound();
  return pool;
}

/** What a pool's create and update set: `mode`, `size`, `db` and `user` (the cluster's own user when none is named), all existing. */
function applyConnectionPoolFields(database: DatabaseCluster, pool: Partial<DatabaseConnectionPool>, fields: BodyFields): void {
  const db = fields.string("db");
  if (!database.db_names.includes(db)) throw unprocessable(`db: the cluster has no database named ${db}.`);
  const userName = fields.optionalString("user") ?? (database.connection as Connection).user;
  const user = database.users.find((candidate) => candidate.name === userName);
  if (!user) throw unprocessable(`user: the cluster has no user named ${userName}.`);
  Object.assign(pool, { mode: fields.oneOf("mode", ["session", "transaction", "statement"]), size: fields.integer("size"), db, user: user.name });
  // The pool's connection string names the pool as its database, with the pool user's credentials.
  const connection = structuredClone(connectionPoolTemplate().connection);
  connection.database = String(pool.name);
  connection.user = user.name;
  connection.password = user.password;
  connection.uri = `postgres://${user.name}:${user.password}@${connection.host}:${connection.port}/${connection.database}?sslmode=require`;
  pool.connection = connection;
}

function connectionPoolTemplate(): { connection: Connection } {
  return (fallbackResponses["databases_add_connectionPool"]!.body as { pool: { connection: Connection } }).pool;
}

function addConnectionPool(request: FakeRequest, { state }: World): DatabaseConnectionPool {
  const database = requireDatabase(state, request);
  const pools = connectionPoolsOf(state, request);
  const fields = BodyFields.of(request);
  const name = fields.string("name");
  if (pools.has(name)) throw unprocessable(`A connection pool named ${name} already exists.`);
  const pool: Partial<DatabaseConnectionPool> = { name };
  applyConnectionPoolFields(database, pool, fields);
  pools.set(name, pool as DatabaseConnectionPool);
  return pool as DatabaseConnectionPool;
}

/** Replaces the cluster's firewall rules with the request's, as `PUT …/firewall` does. */
function replaceFirewallRules(request: FakeRequest, { state }: World): void {
  const database = requireDatabase(state, request);
  const rules = BodyFields.of(request).raw("rules");
  if (!Array.isArray(rules)) throw unprocessable("rules must be an array.");
  const created = isoNow();
  state.databaseFirewallRules.set(
    database.id,
    rules.map((rule): DatabaseFirewallRule => {
      const fields = BodyFields.from(rule);
      const description = fields.optionalString("description");
      return {
        uuid: fields.optionalString("uuid") ?? randomUUID(),
        cluster_uuid: database.id,
        type: fields.oneOf("type", FIREWALL_RULE_TYPES),
        value: fields.string("value"),
        created_at: created,
        ...(description !== undefined ? { description } : {}),
      };
    }),
  );
}

/** A resize: the new size at once, `resizing` until the fake's lifecycle clock has played a cluster build. */
function resize(request: FakeRequest, { state, lifecycles }: World): void {
  const database = requireDatabase(state, request);
  const fields = BodyFields.of(request);
  database.size = fields.string("size");
  database.num_nodes = fields.integer("num_nodes");
  const storage = fields.optionalInteger("storage_size_mib");
  if (storage !== undefined) database.storage_size_mib = storage;
  database.status = "resizing";
  lifecycles.play("databaseCluster", [], () => (database.status = "online"));
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
      state.databasePools.delete(database.id);
      state.databaseFirewallRules.delete(database.id);
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
  { operationId: "databases_list_users", handle: (request, { state }) => ok({ users: requireDatabase(state, request).users }) },
  { operationId: "databases_add_user", handle: (request, world) => ok({ user: addUser(request, world) }, 201) },
  { operationId: "databases_get_user", handle: (request, { state }) => ok({ user: requireUser(requireDatabase(state, request), request) }) },
  // The spec answers an update with 201.
  { operationId: "databases_update_user", handle: (request, world) => ok({ user: updateUser(request, world) }, 201) },
  { operationId: "databases_reset_auth", handle: (request, world) => ok({ user: resetAuth(request, world) }) },
  {
    operationId: "databases_delete_user",
    handle: (request, world) => {
      deleteUser(request, world);
      return noContent();
    },
  },
  { operationId: "databases_list", handle: (request, { state }) => ok({ dbs: requireDatabase(state, request).db_names.map((name) => ({ name })) }) },
  { operationId: "databases_add", handle: (request, world) => ok({ db: addDb(request, world) }, 201) },
  { operationId: "databases_get", handle: (request, { state }) => ok({ db: { name: requireDbName(requireDatabase(state, request), request) } }) },
  {
    operationId: "databases_delete",
    handle: (request, { state }) => {
      const database = requireDatabase(state, request);
      database.db_names.splice(database.db_names.indexOf(requireDbName(database, request)), 1);
      return noContent();
    },
  },
  { operationId: "databases_list_connectionPools", handle: (request, { state }) => ok({ pools: [...connectionPoolsOf(state, request).values()] }) },
  { operationId: "databases_add_connectionPool", handle: (request, world) => ok({ pool: addConnectionPool(request, world) }, 201) },
  { operationId: "databases_get_connectionPool", handle: (request, { state }) => ok({ pool: requireConnectionPool(state, request) }) },
  {
    operationId: "databases_update_connectionPool",
    handle: (request, { state }) => {
      applyConnectionPoolFields(requireDatabase(state, request), requireConnectionPool(state, request), BodyFields.of(request));
      return noContent();
    },
  },
  {
    operationId: "databases_delete_connectionPool",
    handle: (request, { state }) => {
      connectionPoolsOf(state, request).delete(requireConnectionPool(state, request).name);
      return noContent();
    },
  },
  { operationId: "databases_list_firewall_rules", handle: (request, { state }) => ok({ rules: state.databaseFirewallRules.get(requireDatabase(state, request).id)! }) },
  {
    operationId: "databases_update_firewall_rules",
    handle: (request, world) => {
      replaceFirewallRules(request, world);
      return noContent();
    },
  },
  {
    operationId: "databases_update_clusterSize",
    handle: (request, world) => {
      resize(request, world);
      return { status: 202 };
    },
  },
];
