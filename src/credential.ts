import type { KeyCredential, TokenCredential } from "@azure/core-auth";

// core-auth's `isTokenCredential` and `AzureKeyCredential` are tiny, but importing core-auth loads
// core-util and its graph; tsdo's import path stays off it (see docs/architecture.md, start-up).

/** Whether `credential` is a `TokenCredential` (core-auth's test: a `getToken` method, and not a bare request signer). */
export function isTokenCredential(credential: unknown): credential is TokenCredential {
  const candidate = credential as { getToken?: unknown; signRequest?: unknown } | null | undefined;
  return typeof candidate?.getToken === "function" && (candidate.signRequest === undefined || candidate.getToken.length > 0);
}

/** A token as a `KeyCredential`; the key sits in a private field, so `util.inspect` never prints it. */
class TokenKeyCredential implements KeyCredential {
  readonly #key: string;
  constructor(key: string) {
    this.#key = key;
  }
  get key(): string {
    return this.#key;
  }
}

/**
 * Accepts a token string (trimmed: a pasted newline would otherwise break every request) or a
 * credential object. `what` names it in errors; `environmentVariable` names where a missing token
 * could have come from.
 */
export function toCredential(
  token: string | TokenCredential | KeyCredential | undefined,
  what: string,
  environmentVariable?: string,
): TokenCredential | KeyCredential {
  if (token !== undefined && typeof token !== "string") {
    if (isTokenCredential(token) || typeof (token as KeyCredential | null)?.key === "string") return token;
    throw new TypeError(`${what} must be a string, a TokenCredential or a KeyCredential`);
  }
  const value = (token ?? "").trim();
  if (value === "") {
    throw new TypeError(
      environmentVariable
        ? `No ${what}: pass one (new DigitalOceanClient(token)) or set the ${environmentVariable} environment variable.`
        : `The ${what} is empty.`,
    );
  }
  return new TokenKeyCredential(value);
}
