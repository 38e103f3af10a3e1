import { AzureKeyCredential, isTokenCredential, type KeyCredential, type TokenCredential } from "@azure/core-auth";

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
  return new AzureKeyCredential(value);
}
