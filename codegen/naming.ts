/**
 * Every rule that turns a spec name into a TypeScript name lives here, so the names users see
 * (groups, methods, argument and type names) follow one documented scheme.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Words that cannot name a function parameter in strict-mode code. */
const RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if implements import in instanceof interface let new null package private protected public return " +
    "static super switch this throw true try typeof var void while with yield await arguments eval"
  ).split(" "),
);

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** A property key as written in a type or object literal: bare when possible, quoted otherwise. */
export function propertyKey(name: string): string {
  return isIdentifier(name) ? name : JSON.stringify(name);
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Splits an operationId into its group (the prefix before the first `_`, verbatim) and method
 * name (the remaining `_`-separated segments in camelCase, inner capitals kept). Two operationIds
 * in the spec end in `.yml` by mistake; that suffix and any character that cannot appear in an
 * identifier are dropped.
 */
export function operationName(operationId: string): { group: string; method: string } {
  const [group = "", ...rest] = operationId.replace(/\.ya?ml$/, "").split("_");
  const segments = rest.map((segment) => segment.replace(/[^A-Za-z0-9$]/g, "")).filter((s) => s !== "");
  if (!isIdentifier(group) || segments.length === 0) {
    throw new Error(`operationId ${operationId} does not have the form <group>_<method>`);
  }
  const method = segments.map((segment, i) => (i === 0 ? lowerFirst(segment) : upperFirst(segment))).join("");
  return { group, method };
}

/** `droplet_id` → `dropletId`; used for positional argument names. */
export function argumentName(specName: string): string {
  const name = lowerFirst(pascalCase(specName));
  return RESERVED_WORDS.has(name) ? `${name}Value` : name;
}

/**
 * `ssh_key_id` → `SshKeyId`, `apiAgent` → `ApiAgent`, `nfs_action-2` → `NfsAction2`: words split at
 * every non-alphanumeric character, each word's first letter raised, inner capitals kept.
 */
export function pascalCase(name: string): string {
  const pascal = name
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "")
    .map((word) => acronymsAsWords(upperFirst(word)))
    .join("");
  return /^[0-9]/.test(pascal) ? `_${pascal}` : pascal;
}

/**
 * The one acronym rule of every generated name: an acronym is a word, capitalised like one
 * (`IPv6` → `Ipv6`, `apiAgentAPIKeyInfo` → `ApiAgentApiKeyInfo`, `floatingIPs` → `FloatingIps`).
 * A run of capitals keeps its last one when a lowercase word follows (`HTMLParser` → `HtmlParser`).
 */
export function acronymsAsWords(name: string): string {
  return name.replace(/[A-Z]{2,}/g, (run, offset: number) => {
    const keepLast = /^[a-z]{2,}/.test(name.slice(offset + run.length));
    return keepLast ? run[0]! + run.slice(1, -1).toLowerCase() + run.slice(-1) : run[0]! + run.slice(1).toLowerCase();
  });
}

/** The interface name of a group's methods: `dropletActions` → `DropletActionsOperations`. */
export function groupInterfaceName(group: string): string {
  return `${acronymsAsWords(upperFirst(group))}Operations`;
}

/** Prefix of the per-operation type names: `droplets` + `list` → `DropletsList`. */
export function operationTypePrefix(group: string, method: string): string {
  return acronymsAsWords(upperFirst(group) + upperFirst(method));
}
