// Runs every program against tsdo/testing's fake (compiled against the packed package by run.cjs).
import { createTestClient, startFakeDigitalOcean } from "tsdo/testing";
import * as apps from "./programs/apps.js";
import * as cancellation from "./programs/cancellation.js";
import * as customPolicy from "./programs/customPolicy.js";
import * as databases from "./programs/databases.js";
import * as dnsSync from "./programs/dnsSync.js";
import * as dualPackage from "./programs/dualPackage.js";
import * as errorHandling from "./programs/errorHandling.js";
import * as inventory from "./programs/inventory.js";
import * as invoices from "./programs/invoices.js";
import * as kubeconfig from "./programs/kubeconfig.js";
import * as ownTests from "./programs/ownTests.js";
import * as projects from "./programs/projects.js";
import * as provision from "./programs/provision.js";
import * as rateLimits from "./programs/rateLimits.js";
import * as rawRequests from "./programs/rawRequests.js";
import * as readmeTypes from "./programs/readmeTypes.js";
import * as reservedIps from "./programs/reservedIps.js";
import * as typedResume from "./programs/typedResume.js";
import * as undefinedOptions from "./programs/undefinedOptions.js";
import * as virtualClock from "./programs/virtualClock.js";

const fake = await startFakeDigitalOcean({ actionDelayInMs: 1, seed: { tags: ["web"] } });
const client = createTestClient(fake);
const programs: [string, () => Promise<unknown>][] = [
  ["provision", () => provision.run(client)],
  ["inventory", () => inventory.run(client)],
  ["dnsSync", () => dnsSync.run(client)],
  ["kubeconfig", () => kubeconfig.run(client)],
  ["invoices", () => invoices.run(client)],
  ["errorHandling", () => errorHandling.run(client)],
  ["rateLimits", () => rateLimits.run(client)],
  ["customPolicy", () => customPolicy.run(client, fake.url, fake.token)],
  ["rawRequests", () => rawRequests.run(client)],
  ["cancellation", () => cancellation.run(client)],
  ["reservedIps", () => reservedIps.run(client)],
  ["projects", () => projects.run(client)],
  ["databases", () => databases.run(client)],
  ["apps", () => apps.run(client)],
  ["ownTests", () => ownTests.run(client, fake)],
  ["readmeTypes", () => readmeTypes.run(client)],
  ["dualPackage", () => dualPackage.run(fake)],
  ["virtualClock", () => virtualClock.run()],
  ["typedResume", () => typedResume.run(client)],
  ["undefinedOptions", () => undefinedOptions.run(client)],
];
let failed = 0;
try {
  for (const [name, run] of programs) {
    try {
      const result = await run();
      console.log(`ok   ${name} ${JSON.stringify(result).slice(0, 100)}`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${name}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }
} finally {
  await fake.close();
}
if (failed > 0) process.exitCode = 1;
