import { AzureKeyCredential, isTokenCredential, type KeyCredential, type TokenCredential } from "@azure/core-auth";

/**
 * Accepts a token string (trimmed: a pasted newline would otherwise break every request) or a
 * credential object. `environmentVariable` names where a missing token could have come from.
 */
export function toCredential(token: string | TokenCredential | KeyCredential | undefined, environmentVariable?: string): TokenCredential | KeyCredential {
  if (token !== undefined && typeof token !== "string") {
    if (isTokenCredential(token) || typeof (token as KeyCredential).key === "string") return token;
    throw new TypeError("The token must be a string, a TokenCredential or a KeyCredential");
  }
  const value = (token ?? "").trim();
  if (value === "") {
    const fromEnvironment = environmentVariable ? ` or set the ${environmentVariable} environment variable` : "";
    throw new TypeError(`No API token: pass one (new DigitalOceanClient(token))${fromEnvironment}.`);
  }
  return new AzureKeyCredential(value);
}
