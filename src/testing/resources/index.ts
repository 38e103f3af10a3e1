import { bindRoutes } from "../bindRoutes.js";
import type { Route } from "../route.js";
import { associatedResourceRoutes } from "./associatedResources.js";
import { backupPolicyRoutes } from "./backups.js";
import { catalogRoutes } from "./catalog.js";
import { domainRoutes } from "./domains.js";
import { dropletActionRoutes } from "./dropletActions.js";
import { dropletRoutes } from "./droplets.js";
import { firewallRoutes } from "./firewalls.js";
import { imageRoutes } from "./images.js";
import { projectRoutes } from "./projects.js";
import { reservedIpRoutes } from "./reservedIps.js";
import { snapshotRoutes } from "./snapshots.js";
import { sshKeyRoutes } from "./sshKeys.js";
import { tagRoutes } from "./tags.js";
import { volumeRoutes } from "./volumes.js";
import { vpcRoutes } from "./vpcs.js";
import { appRoutes } from "./apps.js";
import { databaseRoutes } from "./databases.js";
import { edgeRoutes } from "./edge.js";
import { kubernetesRoutes } from "./kubernetes.js";

/** Every operation the fake answers from its state; the rest of the spec is answered by the fallback table. */
export const statefulRoutes: readonly Route[] = bindRoutes([
  ...catalogRoutes,
  ...sshKeyRoutes,
  ...imageRoutes,
  ...dropletRoutes,
  ...dropletActionRoutes,
  ...backupPolicyRoutes,
  ...associatedResourceRoutes,
  ...volumeRoutes,
  ...snapshotRoutes,
  ...tagRoutes,
  ...domainRoutes,
  ...projectRoutes,
  ...vpcRoutes,
  ...firewallRoutes,
  ...reservedIpRoutes,
  ...kubernetesRoutes,
  ...databaseRoutes,
  ...appRoutes,
  ...edgeRoutes,
]);
