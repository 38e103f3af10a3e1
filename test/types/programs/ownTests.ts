// The user's own test on tsdo/testing: a fake, a client wired to it, typed answers, a reset.
import assert from "node:assert/strict";
import type { DigitalOceanClient, SshKey } from "tsdo";
import type { FakeDigitalOcean } from "tsdo/testing";

export async function run(client: DigitalOceanClient, fake: FakeDigitalOcean): Promise<SshKey> {
  const { ssh_key } = await client.sshKeys.create({ name: "ci", public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ci" });
  assert.equal(fake.executionCount("sshKeys_create"), 1);
  const { ssh_key: again } = await client.sshKeys.get(ssh_key.id);
  assert.equal(again.fingerprint, ssh_key.fingerprint);
  return again;
}
