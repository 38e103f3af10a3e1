// Compile-time: tsdo/testing's records carry a `Fake` prefix so they are never mistaken for the
// models, and each fits the model the API's `get` answers (typed from the operation signatures, so
// a renamed model needs no change here). A record that drifts from its model fails to compile.
import assert from "node:assert/strict";
import type { EnvelopeOf, OperationGroups } from "../../src/index.js";
import type * as Fake from "../../src/testing/index.js";

type Answer<G extends keyof OperationGroups, M extends keyof OperationGroups[G], K extends string> = EnvelopeOf<OperationGroups[G][M], K>;
/** `true` only when every `TFake` is a valid `TModel`. */
type Fits<TFake, TModel> = [TFake] extends [TModel] ? true : false;

const fits: {
  account: Fits<Fake.FakeAccount, Answer<"account", "get", "account">>;
  action: Fits<Fake.FakeAction, Answer<"actions", "get", "action">>;
  // One known gap: the fake keeps an image's region slugs as strings, the model as the spec's enum.
  droplet: Fits<Omit<Fake.FakeDroplet, "image">, Omit<Answer<"droplets", "get", "droplet">, "image">>;
  dropletImage: Fits<Omit<Fake.FakeImage, "regions">, Omit<Answer<"images", "get", "image">, "regions">>;
  sshKey: Fits<Fake.FakeSshKey, Answer<"sshKeys", "get", "ssh_key">>;
  volume: Fits<Fake.FakeVolume, Answer<"volumes", "get", "volume">>;
  vpc: Fits<Fake.FakeVpc, Answer<"vpcs", "get", "vpc">>;
  domain: Fits<Fake.FakeDomain, Answer<"domains", "get", "domain">>;
  domainRecord: Fits<Fake.FakeDomainRecord, Answer<"domains", "getRecord", "domain_record">>;
  project: Fits<Fake.FakeProject, Answer<"projects", "get", "project">>;
  firewall: Fits<Fake.FakeFirewall, Answer<"firewalls", "get", "firewall">>;
  vpcPeering: Fits<Fake.FakeVpcPeering, Answer<"vpcPeerings", "get", "vpc_peering">>;
} = { account: true, action: true, droplet: true, dropletImage: true, sshKey: true, volume: true, vpc: true, domain: true, domainRecord: true, project: true, firewall: true, vpcPeering: true };

describe("tsdo/testing's exported record types", () => {
  it("fit the models the API answers with (checked by the compiler)", () => {
    assert.ok(Object.values(fits).every((fit) => fit));
  });
});
