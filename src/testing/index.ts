/**
 * `tsdo/testing`: an in-process fake of DigitalOcean's API for offline, fast, free tests.
 *
 * ```ts
 * const fake = await startFakeDigitalOcean();
 * const client = createTestClient(fake);
 * // … exercise code that uses `client` …
 * await fake.close();
 * ```
 */
export { startFakeDigitalOcean, type FakeDigitalOcean, type FakeDigitalOceanOptions } from "./fake.js";
export { createTestClient } from "./testClient.js";
export type { FaultControls, FaultTarget, InjectedFaultKind, RandomFaultShares } from "./faults.js";
export type { RateLimitOptions } from "./rateLimit.js";
export type { AppSeed, CertificateSeed, DatabaseClusterSeed, DropletSeed, FakeSeed, FirewallSeed, KubernetesClusterSeed, LoadBalancerSeed, NodePoolSeed, SeededResources, VolumeSeed } from "./seed.js";
export type { FakeState, ProjectAssignment } from "./state.js";
export type { FallbackOverrides, FallbackResponse, FallbackTable } from "./fallback.js";
export { defaultFallbackTable } from "./defaultFallback.js";
export type { FakeClock } from "./virtualClock.js";
export type { FailableKind, LifecycleControls, LifecycleKind } from "./lifecycle.js";
export { DEFAULT_BUILD_TIMES_IN_MS } from "./lifecycle.js";
export type { HttpMethod } from "./route.js";
// The fake's records are exported with a `Fake` prefix, so they cannot be mistaken for the
// models of the same name (test/testing/fakeTypes.test.ts checks they fit the models).
export type {
  Region as FakeRegion,
  Distribution as FakeDistribution,
  Size as FakeSize,
  ImageType as FakeImageType,
  Image as FakeImage,
  Account as FakeAccount,
  SshKey as FakeSshKey,
  DropletStatus as FakeDropletStatus,
  NetworkV4 as FakeNetworkV4,
  NetworkV6 as FakeNetworkV6,
  BackupPolicy as FakeBackupPolicy,
  Droplet as FakeDroplet,
  ActionStatus as FakeActionStatus,
  Action as FakeAction,
  Volume as FakeVolume,
  Snapshot as FakeSnapshot,
  Tag as FakeTag,
  Domain as FakeDomain,
  DomainRecord as FakeDomainRecord,
  ProjectEnvironment as FakeProjectEnvironment,
  Project as FakeProject,
  ProjectResource as FakeProjectResource,
  Vpc as FakeVpc,
  FirewallRuleTarget as FakeFirewallRuleTarget,
  InboundRule as FakeInboundRule,
  OutboundRule as FakeOutboundRule,
  Firewall as FakeFirewall,
  ReservedIp as FakeReservedIp,
  VpcPeering as FakeVpcPeering,
  DestroyedResource as FakeDestroyedResource,
  DestroyStatus as FakeDestroyStatus,
  KubernetesNode as FakeKubernetesNode,
  KubernetesNodePool as FakeKubernetesNodePool,
  KubernetesCluster as FakeKubernetesCluster,
  DatabaseStatus as FakeDatabaseStatus,
  DatabaseCluster as FakeDatabaseCluster,
  DatabaseReplica as FakeDatabaseReplica,
  DatabaseUser as FakeDatabaseUser,
  DatabaseConnectionPool as FakeDatabaseConnectionPool,
  DatabaseFirewallRule as FakeDatabaseFirewallRule,
  DeploymentPhase as FakeDeploymentPhase,
  AppDeployment as FakeAppDeployment,
  App as FakeApp,
  LoadBalancer as FakeLoadBalancer,
  Certificate as FakeCertificate,
} from "./types.js";
