/**
 * The resources the fake keeps, in the shape DigitalOcean's API returns them (snake_case, as in the
 * spec), so the state a test inspects is exactly what a client receives. Only the fields the fake
 * fills are declared; each is valid for the spec's schema of the same name.
 */

/** A region (`GET /v2/regions`). */
export interface Region {
  name: string;
  slug: string;
  features: string[];
  available: boolean;
  sizes: string[];
}

/** A droplet size (`GET /v2/sizes`). */
export interface Size {
  slug: string;
  memory: number;
  vcpus: number;
  disk: number;
  transfer: number;
  price_monthly: number;
  price_hourly: number;
  regions: string[];
  available: boolean;
  description: string;
}

/** The distributions the spec names (anything else is stored as `Unknown`, as DigitalOcean does). */
export type Distribution =
  | "Arch Linux" | "CentOS" | "CoreOS" | "Debian" | "Fedora" | "Fedora Atomic" | "FreeBSD" | "Gentoo" | "openSUSE" | "RancherOS"
  | "Rocky Linux" | "Ubuntu" | "Unknown";

/** What kind of image: a distribution (`base`), a snapshot, a backup, a custom upload. */
export type ImageType = "base" | "snapshot" | "backup" | "custom" | "admin";

/** An image: a distribution or a snapshot. */
export interface Image {
  id: number;
  name: string;
  type: ImageType;
  distribution: Distribution;
  slug: string | null;
  public: boolean;
  regions: string[];
  created_at: string;
  min_disk_size: number | null;
  size_gigabytes: number | null;
  description: string;
  tags: string[];
  status: "NEW" | "available" | "pending" | "deleted" | "retired";
}

/** The account (`GET /v2/account`). */
export interface Account {
  droplet_limit: number;
  floating_ip_limit: number;
  email: string;
  name: string;
  uuid: string;
  email_verified: boolean;
  status: "active" | "warning" | "locked";
  status_message: string;
}

/** An SSH key. */
export interface SshKey {
  id: number;
  fingerprint: string;
  public_key: string;
  name: string;
}

/** A droplet's status. */
export type DropletStatus = "new" | "active" | "off" | "archive";

/** One IPv4 address of a droplet. */
export interface NetworkV4 {
  ip_address: string;
  netmask: string;
  gateway: string;
  type: "public" | "private";
}

/** One IPv6 address of a droplet. */
export interface NetworkV6 {
  ip_address: string;
  netmask: number;
  gateway: string;
  type: "public";
}

/** When a droplet's backups run: daily at `hour`, or weekly on `weekday` at `hour` (UTC). */
export interface BackupPolicy {
  plan: "daily" | "weekly";
  weekday?: "SUN" | "MON" | "TUE" | "WED" | "THU" | "FRI" | "SAT";
  hour: 0 | 4 | 8 | 12 | 16 | 20;
}

/** A droplet. */
export interface Droplet {
  id: number;
  name: string;
  memory: number;
  vcpus: number;
  disk: number;
  locked: boolean;
  status: DropletStatus;
  kernel: null;
  created_at: string;
  features: string[];
  backup_ids: number[];
  next_backup_window: { start: string; end: string } | null;
  snapshot_ids: number[];
  image: Image;
  volume_ids: string[];
  size: Size;
  size_slug: string;
  networks: { v4: NetworkV4[]; v6: NetworkV6[] };
  region: Region;
  tags: string[];
  vpc_uuid: string;
}

/** An action's status. */
export type ActionStatus = "in-progress" | "completed" | "errored";

/** An action: an asynchronous change to a resource. */
export interface Action {
  id: number;
  status: ActionStatus;
  type: string;
  started_at: string;
  completed_at: string | null;
  resource_id: number | null;
  resource_type: string;
  region: Region;
  region_slug: string;
}

/** A block storage volume. */
export interface Volume {
  id: string;
  droplet_ids: number[];
  name: string;
  description: string;
  size_gigabytes: number;
  created_at: string;
  tags: string[];
  region: Region;
  filesystem_type: string;
  filesystem_label: string;
}

/** A snapshot of a droplet (whose id is also an image id) or of a volume (a UUID). */
export interface Snapshot {
  id: string;
  name: string;
  created_at: string;
  regions: string[];
  min_disk_size: number;
  size_gigabytes: number;
  resource_id: string;
  resource_type: "droplet" | "volume";
  tags: string[];
}

/** A tag. */
export interface Tag {
  name: string;
}

/** A domain as stored; its `zone_file` is written from its records whenever it is read. */
export interface Domain {
  name: string;
  ttl: number;
}

/** A DNS record of a domain. */
export interface DomainRecord {
  id: number;
  type: string;
  name: string;
  data: string;
  priority: number | null;
  port: number | null;
  ttl: number;
  weight: number | null;
  flags: number | null;
  tag: string | null;
}

/** A project's environment. */
export type ProjectEnvironment = "Development" | "Staging" | "Production";

/** A project. */
export interface Project {
  id: string;
  owner_uuid: string;
  owner_id: number;
  name: string;
  description: string;
  purpose: string;
  environment: ProjectEnvironment;
  created_at: string;
  updated_at: string;
  is_default: boolean;
}

/** A resource assigned to a project, by URN. */
export interface ProjectResource {
  urn: string;
  assigned_at: string;
  links: { self: string };
  status: "ok" | "not_found" | "assigned" | "already_assigned" | "service_down";
}

/** A VPC. */
export interface Vpc {
  id: string;
  urn: string;
  name: string;
  description: string;
  region: string;
  ip_range: string;
  default: boolean;
  created_at: string;
}

/** Where a firewall rule applies: addresses, droplets, tags, load balancers, clusters. */
export interface FirewallRuleTarget {
  addresses?: string[];
  droplet_ids?: number[];
  load_balancer_uids?: string[];
  kubernetes_ids?: string[];
  tags?: string[];
}

/** A firewall rule for incoming traffic. */
export interface InboundRule {
  protocol: "tcp" | "udp" | "icmp";
  ports: string;
  sources: FirewallRuleTarget;
}

/** A firewall rule for outgoing traffic. */
export interface OutboundRule {
  protocol: "tcp" | "udp" | "icmp";
  ports: string;
  destinations: FirewallRuleTarget;
}

/** A cloud firewall. */
export interface Firewall {
  id: string;
  status: "waiting" | "succeeded" | "failed";
  created_at: string;
  pending_changes: { droplet_id: number; removing: boolean; status: string }[];
  name: string;
  droplet_ids: number[];
  tags: string[];
  inbound_rules: InboundRule[];
  outbound_rules: OutboundRule[];
}

/**
 * A reserved IP as stored: the droplet it is assigned to is kept by id and expanded into the full
 * droplet when answered, so a renamed or resized droplet shows up current.
 */
export interface ReservedIp {
  ip: string;
  region_slug: string;
  droplet_id: number | null;
  locked: boolean;
  project_id: string;
}

/** A peering between two VPCs. */
export interface VpcPeering {
  id: string;
  name: string;
  vpc_ids: string[];
  status: "PROVISIONING" | "ACTIVE" | "DELETING";
  created_at: string;
}

/** A resource destroyed along with a droplet. */
export interface DestroyedResource {
  id: string;
  name: string;
  destroyed_at: string;
}

/** How a droplet's destruction with its associated resources went (the fake never fails one). */
export interface DestroyStatus {
  droplet: DestroyedResource;
  resources: {
    reserved_ips: DestroyedResource[];
    floating_ips: DestroyedResource[];
    snapshots: DestroyedResource[];
    volumes: DestroyedResource[];
    volume_snapshots: DestroyedResource[];
  };
  completed_at: string;
  failures: number;
}

// The families the fake builds over time. Their records start from the spec's canned answer (so
// every field the spec has is there); the fields the fake changes are typed.

/** A node of a node pool. */
export interface KubernetesNode {
  id: string;
  name: string;
  status: { state: "provisioning" | "running" | "draining" | "deleting" };
  [field: string]: unknown;
}

/** A node pool: its nodes go `provisioning` → `running`. */
export interface KubernetesNodePool {
  id: string;
  name: string;
  size: string;
  count: number;
  nodes: KubernetesNode[];
  [field: string]: unknown;
}

/** A kubernetes cluster: `provisioning` → `running` (or `error` when a failure is injected). */
export interface KubernetesCluster {
  id: string;
  name: string;
  region: string;
  status: { state: "running" | "provisioning" | "degraded" | "error" | "deleted" | "upgrading" | "deleting"; message?: string };
  node_pools: KubernetesNodePool[];
  [field: string]: unknown;
}

/** A database cluster's or replica's status. */
export type DatabaseStatus = "creating" | "online" | "resizing" | "migrating" | "forking";

/** A database cluster: `creating` → `online`, and `resizing` → `online` after a resize. */
export interface DatabaseCluster {
  id: string;
  name: string;
  status: DatabaseStatus;
  size: string;
  num_nodes: number;
  /** Its users, the `primary` one (`doadmin`) first: what `…/users` lists. */
  users: DatabaseUser[];
  /** Its logical databases (`defaultdb` first): what `…/dbs` lists. */
  db_names: string[];
  [field: string]: unknown;
}

/** A user of a database cluster. */
export interface DatabaseUser {
  name: string;
  role: "primary" | "normal";
  password: string;
  [field: string]: unknown;
}

/** A connection pool (PgBouncer) of a database cluster. */
export interface DatabaseConnectionPool {
  name: string;
  mode: string;
  size: number;
  db: string;
  user: string;
  [field: string]: unknown;
}

/** A trusted source of a database cluster (`…/firewall`). */
export interface DatabaseFirewallRule {
  uuid: string;
  cluster_uuid: string;
  type: "droplet" | "k8s" | "ip_addr" | "tag" | "app";
  value: string;
  created_at: string;
  [field: string]: unknown;
}

/** A read replica: `creating` → `online`. */
export interface DatabaseReplica {
  id: string;
  name: string;
  status: DatabaseStatus;
  [field: string]: unknown;
}

/** An app deployment's phase. */
export type DeploymentPhase = "UNKNOWN" | "PENDING_BUILD" | "BUILDING" | "PENDING_DEPLOY" | "DEPLOYING" | "ACTIVE" | "SUPERSEDED" | "ERROR" | "CANCELED";

/** An app deployment: `PENDING_BUILD` → `BUILDING` → `PENDING_DEPLOY` → `DEPLOYING` → `ACTIVE` (or `ERROR`). */
export interface AppDeployment {
  id: string;
  phase: DeploymentPhase;
  [field: string]: unknown;
}

/** An app: its in-progress deployment becomes the active one once `ACTIVE`. */
export interface App {
  id: string;
  active_deployment?: AppDeployment;
  in_progress_deployment?: AppDeployment;
  [field: string]: unknown;
}

/** A load balancer: `new` → `active` (or `errored`). */
export interface LoadBalancer {
  id: string;
  name: string;
  status: "new" | "active" | "errored";
  [field: string]: unknown;
}

/** A certificate: `pending` → `verified` (or `error`). */
export interface Certificate {
  id: string;
  name: string;
  state: "pending" | "verified" | "error";
  [field: string]: unknown;
}
