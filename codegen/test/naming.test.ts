import assert from "node:assert/strict";
import { acronymsAsWords, argumentName, groupInterfaceName, operationName, operationTypePrefix, pascalCase, propertyKey } from "../naming.js";
import { componentTypeNames } from "../schemaNames.js";
import { fixtureSpec } from "./fixture.js";

describe("codegen naming", () => {
  it("splits operationIds into group and camelCase method", () => {
    const cases: [string, string, string][] = [
      ["droplets_list", "droplets", "list"],
      ["apps_list_alerts", "apps", "listAlerts"],
      ["droplets_destroy_withAssociatedResourcesDangerous", "droplets", "destroyWithAssociatedResourcesDangerous"],
      ["invoices_get_pdfByUUID", "invoices", "getPdfByUUID"],
      ["oneClicks_install_kubernetes", "oneClicks", "installKubernetes"],
      ["reservedIPsActions_post", "reservedIPsActions", "post"],
      ["floatingIPsAction_get", "floatingIPsAction", "get"],
      ["vpcnatgateways_list", "vpcnatgateways", "list"],
      ["droplets_get_DestroyAssociatedResourcesStatus", "droplets", "getDestroyAssociatedResourcesStatus"],
      ["registries_list_repositoriesV2", "registries", "listRepositoriesV2"],
    ];
    for (const [id, group, method] of cases) assert.deepEqual(operationName(id), { group, method }, id);
  });

  it("drops a mistaken .yml suffix and characters that cannot appear in an identifier", () => {
    assert.deepEqual(operationName("monitoring_get_appRestartCountMetrics.yml"), { group: "monitoring", method: "getAppRestartCountMetrics" });
    assert.deepEqual(operationName("monitoring_get_droplet_autoscale_current_cpu_utilization.yml"), {
      group: "monitoring",
      method: "getDropletAutoscaleCurrentCpuUtilization",
    });
    assert.deepEqual(operationName("genai_list-things_v2!"), { group: "genai", method: "listthingsV2" });
  });

  it("rejects operationIds without a method part", () => {
    assert.throws(() => operationName("droplets"), /<group>_<method>/);
  });

  it("builds type, argument and key names", () => {
    assert.equal(pascalCase("ssh_key_id"), "SshKeyId");
    assert.equal(pascalCase("apiAgent"), "ApiAgent");
    assert.equal(pascalCase("nfs_action-2"), "NfsAction2");
    assert.equal(pascalCase("1password"), "_1password");
    assert.equal(argumentName("droplet_id"), "dropletId");
    assert.equal(argumentName("default"), "defaultValue");
    assert.equal(groupInterfaceName("dropletActions"), "DropletActionsOperations");
    assert.equal(groupInterfaceName("floatingIPs"), "FloatingIpsOperations");
  });

  it("writes every acronym as a word", () => {
    assert.equal(acronymsAsWords("IPv6"), "Ipv6");
    assert.equal(pascalCase("apiAgentAPIKeyInfo"), "ApiAgentApiKeyInfo");
    assert.equal(pascalCase("vectordbVectorDB"), "VectordbVectorDb");
    assert.equal(acronymsAsWords("HTMLParser"), "HtmlParser");
    assert.equal(operationTypePrefix("reservedIPv6", "get"), "ReservedIpv6Get");
    assert.equal(propertyKey("per_page"), "per_page");
    assert.equal(propertyKey("X-Dangerous"), '"X-Dangerous"');
  });

  it("names component schemas without numeric suffixes or shadowed globals", () => {
    const names = componentTypeNames(fixtureSpec());
    assert.equal(names.get("droplet"), "Droplet");
    assert.equal(names.get("version"), "Version");
    // The spec's second `version` is named after its first use, the body of databases_update_major_version.
    assert.equal(names.get("version-2"), "DatabasesUpdateMajorVersionRequest");
    assert.equal(names.get("error"), "ApiError");
    assert.equal(new Set(names.values()).size, names.size);
  });
});
