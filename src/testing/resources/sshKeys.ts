import { createHash } from "node:crypto";
import { notFound, unprocessable } from "../errors.js";
import { paginate } from "../pagination.js";
import { stringParam } from "../params.js";
import { noContent, ok, type FakeRequest, type StatefulRoute } from "../route.js";
import type { FakeState } from "../state.js";
import type { SshKey } from "../types.js";
import { BodyFields } from "../validation.js";

const publicKeyFormat = /^(ssh-rsa|ssh-dss|ssh-ed25519|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) ([A-Za-z0-9+/]+={0,2})(\s.*)?$/;

/**
 * DigitalOcean identifies keys by the MD5 fingerprint of the key's base64 blob (`3b:16:…`).
 * Returns `undefined` for text that is not an OpenSSH public key line.
 */
export function fingerprintOf(publicKey: string): string | undefined {
  const match = publicKeyFormat.exec(publicKey.trim());
  if (!match) return undefined;
  const digest = createHash("md5").update(Buffer.from(match[2]!, "base64")).digest("hex");
  return digest.match(/../g)!.join(":");
}

/** Adds a key, refusing what DigitalOcean refuses: a malformed key or one already on the account. */
export function addSshKey(state: FakeState, fields: BodyFields): SshKey {
  const name = fields.string("name");
  const publicKey = fields.string("public_key").trim();
  const fingerprint = fingerprintOf(publicKey);
  if (fingerprint === undefined) throw unprocessable("Key invalid, type not supported or malformed.");
  for (const existing of state.sshKeys.values()) {
    if (existing.fingerprint === fingerprint) throw unprocessable("SSH Key is already in use on your account.");
  }
  const key: SshKey = { id: state.nextId(), fingerprint, public_key: publicKey, name };
  state.sshKeys.set(key.id, key);
  return key;
}

/** A key by id or by fingerprint, as the API accepts either. */
export function findSshKey(state: FakeState, identifier: string | number): SshKey | undefined {
  if (typeof identifier === "number" || /^\d+$/.test(identifier)) return state.sshKeys.get(Number(identifier));
  for (const key of state.sshKeys.values()) if (key.fingerprint === identifier) return key;
  return undefined;
}

function requireSshKey(state: FakeState, request: FakeRequest): SshKey {
  const key = findSshKey(state, stringParam(request, "ssh_key_identifier"));
  if (!key) throw notFound();
  return key;
}

export const sshKeyRoutes: StatefulRoute[] = [
  {
    operationId: "sshKeys_list",
    handle: (request, { state }) => paginate(request, "ssh_keys", [...state.sshKeys.values()]),
  },
  {
    operationId: "sshKeys_create",
    handle: (request, { state }) => ok({ ssh_key: addSshKey(state, BodyFields.of(request)) }, 201),
  },
  {
    operationId: "sshKeys_get",
    handle: (request, { state }) => ok({ ssh_key: requireSshKey(state, request) }),
  },
  {
    operationId: "sshKeys_update",
    handle: (request, { state }) => {
      const key = requireSshKey(state, request);
      const name = BodyFields.of(request).optionalString("name");
      if (name !== undefined && name !== "") key.name = name;
      return ok({ ssh_key: key });
    },
  },
  {
    operationId: "sshKeys_delete",
    handle: (request, { state }) => {
      state.sshKeys.delete(requireSshKey(state, request).id);
      return noContent();
    },
  },
];
