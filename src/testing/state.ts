import { randomUUID } from "node:crypto";
import { catalogImages, catalogRegions, catalogSizes } from "./catalog.js";
import { isoNow } from "./clock.js";
import type {
  Account,
  Action,
  App,
  AppDeployment,
  Certificate,
  DatabaseCluster,
  DatabaseConnectionPool,
  DatabaseFirewallRule,
  DatabaseReplica,
  KubernetesCluster,
  LoadBalancer,
  BackupPolicy,
  DestroyStatus,
  Domain,
  DomainRecord,
  Droplet,
  Firewall,
  Image,
  Project,
  Region,
  ReservedIp,
  Size,
  Snapshot,
  SshKey,
  Tag,
  Volume,
  Vpc,
  VpcPeering,
} from "./types.js";

/** Where a resource (by URN) is assigned, for `GET /v2/projects/{id}/resources`. */
export interface ProjectAssignment {
  /** The project's id. */
  projectId: string;
  /** When it was assigned (ISO 8601). */
  assignedAt: string;
}

/**
 * Everything one fake knows, as plain objects in maps keyed by each resource's id (insertion order
 * is list order). Tests may read and change it directly: what is here is what the API answers.
 */
export class FakeState {
  /** The account `GET /v2/account` answers with. */
  account!: Account;
  /** The regions the fake offers (`GET /v2/regions`); creates in other regions are refused. */
  regions!: Region[];
  /** The sizes the fake offers (`GET /v2/sizes`). */
  sizes!: Size[];
  /** Images by id. */
  readonly images = new Map<number, Image>();
  /** SSH keys by id. */
  readonly sshKeys = new Map<number, SshKey>();
  /** Droplets by id. */
  readonly droplets = new Map<number, Droplet>();
  /** Actions by id, of every resource. */
  readonly actions = new Map<number, Action>();
  /** Action id → the id of what it acts on, for actions DigitalOcean reports without a numeric `resource_id` (volumes). */
  readonly actionSubjects = new Map<number, string>();
  /** Volumes by id. */
  readonly volumes = new Map<string, Volume>();
  /** Snapshots by id. */
  readonly snapshots = new Map<string, Snapshot>();
  /** Tags by name. */
  readonly tags = new Map<string, Tag>();
  /** Domains by name. */
  readonly domains = new Map<string, Domain>();
  /** Records per domain name. */
  readonly domainRecords = new Map<string, Map<number, DomainRecord>>();
  /** Projects by id, the default project included. */
  readonly projects = new Map<string, Project>();
  /** Resource URN → the project holding it. */
  readonly projectAssignments = new Map<string, ProjectAssignment>();
  /** VPCs by id. */
  readonly vpcs = new Map<string, Vpc>();
  /** VPC peerings by id. */
  readonly vpcPeerings = new Map<string, VpcPeering>();
  /** Firewalls by id. */
  readonly firewalls = new Map<string, Firewall>();
  /** Reserved IPv4 addresses by address. */
  readonly reservedIps = new Map<string, ReservedIp>();
  /** Droplet id → its backup policy, while backups are enabled. */
  readonly backupPolicies = new Map<number, BackupPolicy>();
  /** Droplet id → how its destruction with associated resources went. */
  readonly destroyStatuses = new Map<number, DestroyStatus>();
  /** Droplet id → the (imaginary) hypervisor it runs on; droplets on one host are neighbors. */
  readonly dropletHosts = new Map<number, number>();
  /** Kubernetes clusters by id, each with its node pools. */
  readonly kubernetesClusters = new Map<string, KubernetesCluster>();
  /** Database clusters by id. */
  readonly databaseClusters = new Map<string, DatabaseCluster>();
  /** Replicas per database cluster id, by replica name. */
  readonly databaseReplicas = new Map<string, Map<string, DatabaseReplica>>();
  /** Connection pools per database cluster id, by pool name (its users and databases are on the cluster). */
  readonly databasePools = new Map<string, Map<string, DatabaseConnectionPool>>();
  /** Firewall rules (trusted sources) per database cluster id. */
  readonly databaseFirewallRules = new Map<string, DatabaseFirewallRule[]>();
  /** Apps by id. */
  readonly apps = new Map<string, App>();
  /** Deployments per app id, by deployment id. */
  readonly appDeployments = new Map<string, Map<string, AppDeployment>>();
  /** Load balancers by id. */
  readonly loadBalancers = new Map<string, LoadBalancer>();
  /** Certificates by id. */
  readonly certificates = new Map<string, Certificate>();

  /** One counter for every integer id, so ids never collide across kinds (a droplet id is never an action id). */
  private lastId = 0;
  private lastHost = 0;

  constructor() {
    this.clear();
  }

  /** Back to a new account: the catalog, a default project, nothing else. */
  clear(): void {
    for (const collection of [
      this.images, this.sshKeys, this.droplets, this.actions, this.actionSubjects, this.volumes, this.snapshots, this.tags,
      this.domains, this.domainRecords, this.projects, this.projectAssignments, this.vpcs, this.vpcPeerings, this.firewalls,
      this.reservedIps, this.dropletHosts, this.backupPolicies, this.destroyStatuses, this.kubernetesClusters, this.databaseClusters,
      this.databaseReplicas, this.databasePools, this.databaseFirewallRules, this.apps, this.appDeployments, this.loadBalancers, this.certificates,
    ]) {
      collection.clear();
    }
    this.lastId = 100_000;
    this.lastHost = 0;
    this.account = {
      // Above a new account's real limit (25), so the demo's fleet of 31 fits; seed `account` to test the limit.
      droplet_limit: 100,
      floating_ip_limit: 5,
      email: "sammy@example.com",
      name: "Sammy the Shark",
      uuid: "b6fc48dbf6d9906cace5f3c78dc9851e757381ef",
      email_verified: true,
      status: "active",
      status_message: "",
    };
    this.regions = catalogRegions();
    this.sizes = catalogSizes();
    for (const image of catalogImages()) this.images.set(image.id, image);
    const created = isoNow();
    const defaultProject: Project = {
      id: randomUUID(),
      owner_uuid: this.account.uuid,
      owner_id: 258992,
      name: "first-project",
      description: "",
      purpose: "Just trying out DigitalOcean",
      environment: "Development",
      created_at: created,
      updated_at: created,
      is_default: true,
    };
    this.projects.set(defaultProject.id, defaultProject);
  }

  /** A deep copy of everything, for `restore`: seeding is all or nothing. */
  snapshot(): object {
    return structuredClone({ ...this });
  }

  /** Back to a `snapshot()`; the collections keep their identity, only their contents change. */
  restore(saved: object): void {
    for (const [key, value] of Object.entries(saved)) {
      const own = (this as unknown as Record<string, unknown>)[key];
      if (own instanceof Map && value instanceof Map) {
        own.clear();
        for (const [entryKey, entry] of value) own.set(entryKey, entry);
      } else {
        (this as unknown as Record<string, unknown>)[key] = value;
      }
    }
  }

  /** The actions taken on one resource (`droplet` 42, `image` 7, …), oldest first. */
  actionsOn(resourceType: string, resourceId: number): Action[] {
    return [...this.actions.values()].filter((action) => action.resource_type === resourceType && action.resource_id === resourceId);
  }

  /** A fresh numeric id, unique across every kind of resource. */
  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  /**
   * A fresh host number for addresses. Addresses come from ranges reserved for documentation and
   * benchmarking (198.18.0.0/15, 2001:db8::/32), so no fake address is anyone's real host.
   */
  nextHost(): number {
    this.lastHost += 1;
    return this.lastHost;
  }

  /** The region with this slug, if the fake offers it. */
  region(slug: string): Region | undefined {
    return this.regions.find((region) => region.slug === slug);
  }

  /** The size with this slug, if the fake offers it. */
  size(slug: string): Size | undefined {
    return this.sizes.find((size) => size.slug === slug);
  }

  /** The project new resources land in when a request names none. */
  defaultProject(): Project {
    for (const project of this.projects.values()) if (project.is_default) return project;
    throw new Error("the fake's state has no default project");
  }
}
