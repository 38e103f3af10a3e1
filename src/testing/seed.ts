import type { FakeState } from "./state.js";
import type { Account, App, Certificate, DatabaseCluster, Domain, Droplet, DropletStatus, Firewall, KubernetesCluster, LoadBalancer, ReservedIp, SshKey, Volume } from "./types.js";
import { addApp } from "./resources/apps.js";
import { addDatabaseCluster } from "./resources/databases.js";
import { addCertificate, addLoadBalancer } from "./resources/edge.js";
import { addKubernetesCluster } from "./resources/kubernetes.js";
import { BodyFields } from "./validation.js";
import { addDomain } from "./resources/domains.js";
import { addDroplet, readBlueprint, readNames } from "./resources/droplets.js";
import { addFirewall } from "./resources/firewalls.js";
import { addReservedIp } from "./resources/reservedIps.js";
import { addSshKey } from "./resources/sshKeys.js";
import { ensureTags } from "./resources/tags.js";
import { addVolume } from "./resources/volumes.js";

/** A droplet to seed: the body of a create request, plus the status it is in (default `active`). */
export interface DropletSeed {
  name: string;
  size: string;
  image: string | number;
  region?: string;
  tags?: string[];
  backups?: boolean;
  ipv6?: boolean;
  monitoring?: boolean;
  ssh_keys?: (string | number)[];
  vpc_uuid?: string;
  volumes?: string[];
  status?: DropletStatus;
}

/** A volume to seed: the body of a create request. */
export interface VolumeSeed {
  name: string;
  size_gigabytes: number;
  region: string;
  description?: string;
  tags?: string[];
  filesystem_type?: string;
  filesystem_label?: string;
}

/** A firewall to seed: the body of a create request. */
export interface FirewallSeed {
  name: string;
  droplet_ids?: number[];
  tags?: string[];
  inbound_rules?: { protocol: "tcp" | "udp" | "icmp"; ports: string; sources: { addresses?: string[]; droplet_ids?: number[]; tags?: string[] } }[];
  outbound_rules?: { protocol: "tcp" | "udp" | "icmp"; ports: string; destinations: { addresses?: string[]; droplet_ids?: number[]; tags?: string[] } }[];
}

/**
 * Resources to put in a fake's state, as plain objects shaped like the API's create requests.
 * They are validated like requests (a seed with an unknown size throws, naming the field) and
 * created at once, without actions. Kinds are seeded in the order listed here; to refer to what a
 * seed created (a droplet's id for a reserved IP, a volume's id for a droplet), seed again with the
 * ids the first seed returned.
 */
export interface FakeSeed {
  /** Fields that replace the fake account's. */
  account?: Partial<Account>;
  /** SSH keys (a `public_key` in OpenSSH format). */
  sshKeys?: {
    /** The key's name. */
    name: string;
    /** The public key, e.g. `ssh-ed25519 AAAA… me@host`. */
    public_key: string;
  }[];
  /** Tag names. */
  tags?: string[];
  /** Volumes. */
  volumes?: VolumeSeed[];
  /** Droplets, `active` unless a `status` says otherwise. */
  droplets?: DropletSeed[];
  /** Domains, with their default records. */
  domains?: {
    /** The domain name, e.g. `example.com`. */
    name: string;
    /** Where its apex `A` record points. */
    ip_address?: string;
  }[];
  /** Firewalls. */
  firewalls?: FirewallSeed[];
  /** Reserved IPv4 addresses, in a region or assigned to a droplet. */
  reservedIps?: (
    | {
        /** The region to reserve it in. */
        region: string;
      }
    | {
        /** The droplet to assign it to. */
        droplet_id: number;
      }
  )[];
  /** Kubernetes clusters, `running`. */
  kubernetesClusters?: KubernetesClusterSeed[];
  /** Database clusters, `online`. */
  databaseClusters?: DatabaseClusterSeed[];
  /** Apps with an `ACTIVE` deployment. */
  apps?: AppSeed[];
  /** Load balancers, `active`. */
  loadBalancers?: LoadBalancerSeed[];
  /** Certificates, `verified`. */
  certificates?: CertificateSeed[];
}

/** A kubernetes cluster to seed: the body of a create request. */
export interface KubernetesClusterSeed {
  /** The cluster's name. */
  name: string;
  /** Its region's slug. */
  region: string;
  /** The Kubernetes version slug. */
  version: string;
  /** Its node pools (at least one). */
  node_pools: NodePoolSeed[];
}

/** A node pool of a seeded cluster. */
export interface NodePoolSeed {
  /** The pool's name. */
  name: string;
  /** The droplet size of its nodes. */
  size: string;
  /** How many nodes it has. */
  count: number;
}

/** A database cluster to seed: the body of a create request. */
export interface DatabaseClusterSeed {
  /** The cluster's name. */
  name: string;
  /** The engine slug (`pg`, `mysql`, `valkey`, …). */
  engine: string;
  /** The size slug of its nodes. */
  size: string;
  /** Its region's slug. */
  region: string;
  /** How many nodes it has. */
  num_nodes: number;
  /** The engine version. */
  version?: string;
}

/** An app to seed: the body of a create request. */
export interface AppSeed {
  /** The app spec (only `name` is required here). */
  spec: {
    /** The app's name. */
    name: string;
    /** Any other field of the app spec. */
    [field: string]: unknown;
  };
}

/** A load balancer to seed: the body of a create request. */
export interface LoadBalancerSeed {
  /** The load balancer's name. */
  name: string;
  /** Its region's slug. */
  region?: string;
  /** Any other field of the create request. */
  [field: string]: unknown;
}

/** A certificate to seed: the body of a create request. */
export interface CertificateSeed {
  /** The certificate's name. */
  name: string;
  /** `custom` (uploaded) or `lets_encrypt`. */
  type?: "custom" | "lets_encrypt";
  /** The names a Let's Encrypt certificate covers. */
  dns_names?: string[];
  /** Any other field of the create request. */
  [field: string]: unknown;
}

/** What a seed created, in the order given, with the ids the fake assigned. */
export interface SeededResources {
  /** The SSH keys created. */
  sshKeys: SshKey[];
  /** The volumes created. */
  volumes: Volume[];
  /** The droplets created. */
  droplets: Droplet[];
  /** The domains created. */
  domains: Domain[];
  /** The firewalls created. */
  firewalls: Firewall[];
  /** The reserved IPs created. */
  reservedIps: ReservedIp[];
  /** The kubernetes clusters seeded. */
  kubernetesClusters: KubernetesCluster[];
  /** The database clusters seeded. */
  databaseClusters: DatabaseCluster[];
  /** The apps seeded. */
  apps: App[];
  /** The load balancers seeded. */
  loadBalancers: LoadBalancer[];
  /** The certificates seeded. */
  certificates: Certificate[];
}

/** Adds everything in `seed`, or, when any of it is invalid, nothing (the error says what was wrong). */
export function applySeed(state: FakeState, seed: FakeSeed): SeededResources {
  const saved = state.snapshot();
  try {
    return addSeed(state, seed);
  } catch (error) {
    state.restore(saved);
    throw error;
  }
}

function addSeed(state: FakeState, seed: FakeSeed): SeededResources {
  if (seed.account) Object.assign(state.account, seed.account);
  const sshKeys = (seed.sshKeys ?? []).map((key) => addSshKey(state, BodyFields.from(key)));
  ensureTags(state, seed.tags ?? []);
  const volumes = (seed.volumes ?? []).map((volume) => addVolume(state, BodyFields.from(volume)));
  const droplets = (seed.droplets ?? []).map((droplet) => {
    const fields = BodyFields.from(droplet);
    const [name] = readNames(fields);
    return addDroplet(state, name!, readBlueprint(state, fields), droplet.status ?? "active");
  });
  const domains = (seed.domains ?? []).map((domain) => addDomain(state, BodyFields.from(domain)));
  const firewalls = (seed.firewalls ?? []).map((firewall) => addFirewall(state, BodyFields.from(firewall)));
  const reservedIps = (seed.reservedIps ?? []).map((input) => {
    const { reservedIp, assignTo } = addReservedIp(state, BodyFields.from(input));
    reservedIp.droplet_id = assignTo ?? null;
    return reservedIp;
  });
  const kubernetesClusters = (seed.kubernetesClusters ?? []).map((body) => addKubernetesCluster(state, BodyFields.from(body), body, true));
  const databaseClusters = (seed.databaseClusters ?? []).map((body) => addDatabaseCluster(state, BodyFields.from(body), body, true));
  const apps = (seed.apps ?? []).map((body) => addApp(state, body, true));
  const loadBalancers = (seed.loadBalancers ?? []).map((body) => addLoadBalancer(state, BodyFields.from(body), body, true));
  const certificates = (seed.certificates ?? []).map((body) => addCertificate(state, BodyFields.from(body), body, true));
  return { sshKeys, volumes, droplets, domains, firewalls, reservedIps, kubernetesClusters, databaseClusters, apps, loadBalancers, certificates };
}
