import type { Verdict } from "./waiter.js";

/**
 * One condition on a resource, at a dotted path inside its envelope value (`status.state`).
 * - a state check (`success` / `failure` / `retry` lists): a failure state fails the wait, a
 *   success state satisfies the check, anything else (a retry state, a state the spec adds later,
 *   the field missing) keeps polling; with `optional`, a missing field satisfies it;
 * - `some` / `every`: an array whose some / every item has these (dotted) fields equal;
 * - `present` / `absent`: the field is (not) null or missing; `nonEmpty`: a non-empty array;
 * - `countOf`: an array as long as the number in the named sibling field (`nodes` vs `count`).
 */
export type AcceptorCheck =
  | {
      /** Where the state is. */
      readonly at: string;
      /** States that satisfy the check. */
      readonly success?: readonly string[] | undefined;
      /** States that fail the wait at once. */
      readonly failure?: readonly string[] | undefined;
      /** States that keep it polling (listed so the test can hold the row to the whole enum). */
      readonly retry?: readonly string[] | undefined;
      /** A missing field satisfies the check. */
      readonly optional?: boolean | undefined;
    }
  | {
      /** Where the array is. */
      readonly at: string;
      /** Fields (dotted paths) that some item has, with these values. */
      readonly some: Readonly<Record<string, unknown>>;
    }
  | {
      /** Where the array is. */
      readonly at: string;
      /** Fields (dotted paths) that every item has, with these values. */
      readonly every: Readonly<Record<string, unknown>>;
    }
  | {
      /** Where the field is. */
      readonly at: string;
      /** It is neither null nor missing. */
      readonly present: true;
    }
  | {
      /** Where the field is. */
      readonly at: string;
      /** It is null or missing. */
      readonly absent: true;
    }
  | {
      /** Where the array is. */
      readonly at: string;
      /** It has at least one item. */
      readonly nonEmpty: true;
    }
  | {
      /** Where the array is. */
      readonly at: string;
      /** The sibling field holding how many items it must have. */
      readonly countOf: string;
    };

/**
 * How to wait for one kind of resource, as data (in the spirit of AWS waiters): the operation that
 * reads it, the envelope key of its answer, the checks that make it ready, what a 404 means, and
 * its polling pace. States come from the spec's enums (a test holds every row to them).
 */
export interface AcceptorRow {
  /** Names it in messages. */
  readonly label: string;
  /** The client group and method that read it, e.g. `["kubernetes", "getCluster"]`. */
  readonly get: readonly [group: string, method: string];
  /** The key of the answer that holds it (`kubernetes_cluster`). */
  readonly envelope: string;
  /** All must hold for success; a state check's failure state fails at once. None: it exists, so it is ready. */
  readonly checks: readonly AcceptorCheck[];
  /** A 404 (after the grace period after a create): `failure` (it is gone), or `success` for deletion waits. */
  readonly notFound: "failure" | "success";
  /** The first pause between polls. */
  readonly firstIntervalInMs: number;
  /** The cap the backoff grows to. */
  readonly maxIntervalInMs: number;
  /** The default timeout of the wait. */
  readonly timeoutInMs: number;
}

const MINUTE = 60_000;
/** Pace of resources that take a minute or two. */
const quick = { firstIntervalInMs: 2000, maxIntervalInMs: 10_000, timeoutInMs: 10 * MINUTE };
/** Pace of clusters that take five to fifteen minutes: start at 5 s, settle at 30 s. */
const slow = { firstIntervalInMs: 5000, maxIntervalInMs: 30_000, timeoutInMs: 30 * MINUTE };

const databaseStates: AcceptorCheck = { at: "status", success: ["online"], retry: ["creating", "resizing", "migrating", "forking"] };
const deploymentPhases = ["UNKNOWN", "PENDING_BUILD", "BUILDING", "PENDING_DEPLOY", "DEPLOYING"];

/**
 * The typed part of a row: which client method reads the resource, under which key of its answer,
 * and what a 404 means (`"success"` for a deletion wait, whose waiter then resolves with nothing).
 */
export interface Reads<G extends string, M extends string, K extends string, NotFound extends "failure" | "success" = "failure"> {
  /** The client group and method. */
  readonly get: readonly [G, M];
  /** The answer's envelope key. */
  readonly envelope: K;
  /** What a 404 after the grace period means. */
  readonly notFound: NotFound;
}

/** What each resource waiter reads; `client.waitFor.<name>` takes that method's ids. */
export interface WaiterReads {
  /** A droplet, `active` with a public IPv4. */
  droplet: Reads<"droplets", "get", "droplet">;
  /** A droplet, until it is gone (404). */
  dropletDeleted: Reads<"droplets", "get", "droplet", "success">;
  /** A volume, once readable. */
  volume: Reads<"volumes", "get", "volume">;
  /** A volume, once attached to a droplet. */
  volumeAttached: Reads<"volumes", "get", "volume">;
  /** A database cluster, `online`. */
  databaseCluster: Reads<"databases", "getCluster", "database">;
  /** A database replica, `online`. */
  databaseReplica: Reads<"databases", "getReplica", "replica">;
  /** A kubernetes cluster, `running` (`error` fails). */
  kubernetesCluster: Reads<"kubernetes", "getCluster", "kubernetes_cluster">;
  /** A node pool, all its nodes `running`. */
  nodePool: Reads<"kubernetes", "getNodePool", "node_pool">;
  /** An app deployment, `ACTIVE` (`ERROR`, `CANCELED`, `SUPERSEDED` fail). */
  appDeployment: Reads<"apps", "getDeployment", "deployment">;
  /** An app, its active deployment done and none in progress. */
  app: Reads<"apps", "get", "app">;
  /** A load balancer, `active` (`errored` fails). */
  loadBalancer: Reads<"loadBalancers", "get", "load_balancer">;
  /** A certificate, `verified` (`error` fails). */
  certificate: Reads<"certificates", "get", "certificate">;
  /** An image, `available`. */
  image: Reads<"images", "get", "image">;
  /** A snapshot, once readable. */
  snapshot: Reads<"snapshots", "get", "snapshot">;
  /** A reserved IP, assigned to a droplet. */
  reservedIp: Reads<"reservedIPs", "get", "reserved_ip">;
  /** A VPC peering, `ACTIVE`. */
  vpcPeering: Reads<"vpcPeerings", "get", "vpc_peering">;
}

/** The acceptor table's type: one row per waiter. */
export type AcceptorTable = { readonly [N in keyof WaiterReads]: AcceptorRow & WaiterReads[N] };

/** Every resource waiter's row: `client.waitFor.<name>(…ids, options)`. */
export const acceptors: AcceptorTable = {
  droplet: {
    label: "droplet",
    get: ["droplets", "get"],
    envelope: "droplet",
    // `active` can come before the public address does (the Terraform provider waits for both).
    checks: [{ at: "status", success: ["active"], failure: ["off", "archive"], retry: ["new"] }, { at: "networks.v4", some: { type: "public" } }],
    notFound: "failure",
    ...quick,
  },
  dropletDeleted: {
    label: "droplet",
    get: ["droplets", "get"],
    envelope: "droplet",
    checks: [{ at: "status", success: [], retry: ["new", "active", "off", "archive"] }],
    notFound: "success",
    ...quick,
  },
  volume: { label: "volume", get: ["volumes", "get"], envelope: "volume", checks: [], notFound: "failure", ...quick },
  volumeAttached: { label: "volume", get: ["volumes", "get"], envelope: "volume", checks: [{ at: "droplet_ids", nonEmpty: true }], notFound: "failure", ...quick },
  databaseCluster: { label: "database cluster", get: ["databases", "getCluster"], envelope: "database", checks: [databaseStates], notFound: "failure", ...slow },
  databaseReplica: { label: "database replica", get: ["databases", "getReplica"], envelope: "replica", checks: [databaseStates], notFound: "failure", ...slow },
  kubernetesCluster: {
    label: "kubernetes cluster",
    get: ["kubernetes", "getCluster"],
    envelope: "kubernetes_cluster",
    // `degraded` usually heals; pass `states: { degraded: "success" }` (or "failure") to decide otherwise.
    checks: [{ at: "status.state", success: ["running"], failure: ["error", "deleted", "deleting"], retry: ["provisioning", "upgrading", "degraded"] }],
    notFound: "failure",
    ...slow,
  },
  nodePool: {
    label: "node pool",
    get: ["kubernetes", "getNodePool"],
    envelope: "node_pool",
    checks: [{ at: "nodes", countOf: "count" }, { at: "nodes", every: { "status.state": "running" } }],
    notFound: "failure",
    ...slow,
  },
  appDeployment: {
    label: "app deployment",
    get: ["apps", "getDeployment"],
    envelope: "deployment",
    checks: [{ at: "phase", success: ["ACTIVE"], failure: ["ERROR", "CANCELED", "SUPERSEDED"], retry: deploymentPhases }],
    notFound: "failure",
    ...quick,
  },
  app: {
    label: "app",
    get: ["apps", "get"],
    envelope: "app",
    checks: [
      { at: "in_progress_deployment.phase", success: [], failure: ["ERROR", "CANCELED"], retry: [...deploymentPhases, "ACTIVE", "SUPERSEDED"], optional: true },
      { at: "in_progress_deployment", absent: true },
      { at: "active_deployment.phase", success: ["ACTIVE"] },
    ],
    notFound: "failure",
    ...quick,
  },
  loadBalancer: {
    label: "load balancer",
    get: ["loadBalancers", "get"],
    envelope: "load_balancer",
    checks: [{ at: "status", success: ["active"], failure: ["errored"], retry: ["new"] }],
    notFound: "failure",
    ...quick,
  },
  certificate: {
    label: "certificate",
    get: ["certificates", "get"],
    envelope: "certificate",
    checks: [{ at: "state", success: ["verified"], failure: ["error"], retry: ["pending"] }],
    notFound: "failure",
    ...quick,
  },
  image: {
    label: "image",
    get: ["images", "get"],
    envelope: "image",
    checks: [{ at: "status", success: ["available"], failure: ["deleted", "retired"], retry: ["NEW", "pending"] }],
    notFound: "failure",
    ...quick,
  },
  // A snapshot is listed once it is taken: readable means available.
  snapshot: { label: "snapshot", get: ["snapshots", "get"], envelope: "snapshot", checks: [], notFound: "failure", ...quick },
  reservedIp: { label: "reserved IP", get: ["reservedIPs", "get"], envelope: "reserved_ip", checks: [{ at: "droplet", present: true }], notFound: "failure", ...quick },
  vpcPeering: {
    label: "VPC peering",
    get: ["vpcPeerings", "get"],
    envelope: "vpc_peering",
    checks: [{ at: "status", success: ["ACTIVE"], failure: ["DELETING"], retry: ["PROVISIONING"] }],
    notFound: "failure",
    ...quick,
  },
};

/** The name of a resource waiter. */
export type AcceptorName = keyof WaiterReads;

/** The row behind `waitFor.deleted(read)`: any resource with a `get`, done at its 404. */
export const deletedAcceptor: Omit<AcceptorRow, "get" | "envelope"> = { label: "resource", checks: [], notFound: "success", ...quick };

/** Reads a dotted path (`status.state`) from a value; `undefined` where it stops. */
export function valueAt(value: unknown, path: string): unknown {
  let node = value;
  for (const key of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function hasFields(item: unknown, fields: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(fields).every(([path, expected]) => valueAt(item, path) === expected);
}

/**
 * Judges a resource against a row's checks. `states` reclassifies states of the first state check
 * (`{ degraded: "success" }`). Deletion waits judge every answer `retry` (a failure state still fails).
 */
export function judge(row: Pick<AcceptorRow, "checks" | "notFound">, resource: unknown, states: Readonly<Record<string, Verdict>> = {}): { verdict: Verdict; state: string | undefined } {
  let state: string | undefined;
  let ready = true;
  let first = true;
  for (const check of row.checks) {
    const value = valueAt(resource, check.at);
    if ("some" in check || "every" in check) {
      const items = Array.isArray(value) ? value : [];
      ready &&= "some" in check ? items.some((item) => hasFields(item, check.some)) : Array.isArray(value) && items.every((item) => hasFields(item, check.every));
    } else if ("present" in check) {
      ready &&= value !== undefined && value !== null;
    } else if ("absent" in check) {
      ready &&= value === undefined || value === null;
    } else if ("nonEmpty" in check) {
      ready &&= Array.isArray(value) && value.length > 0;
    } else if ("countOf" in check) {
      ready &&= Array.isArray(value) && value.length === valueAt(resource, check.countOf);
    } else {
      const current = typeof value === "string" ? value : undefined;
      if (first) state = current;
      const verdict = current === undefined ? (check.optional ? "success" : "retry") : classify(check, current, first ? states : {});
      first = false;
      if (verdict === "failure") return { verdict, state: current };
      ready &&= verdict === "success";
    }
  }
  // A deletion wait is done at its 404 only: whatever a read shows, keep polling.
  return { verdict: ready && row.notFound !== "success" ? "success" : "retry", state };
}

function classify(check: { success?: readonly string[] | undefined; failure?: readonly string[] | undefined }, state: string, overrides: Readonly<Record<string, Verdict>>): Verdict {
  const override = overrides[state];
  if (override !== undefined) return override;
  if (check.failure?.includes(state)) return "failure";
  if (check.success?.includes(state)) return "success";
  return "retry";
}
