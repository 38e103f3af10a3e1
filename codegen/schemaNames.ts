/**
 * TypeScript names for `components/schemas` entries.
 *
 * Names are the PascalCase of the schema name. The spec has a few names that only differ in a
 * `-2` suffix (`version` / `version-2`) and names that would shadow a global type (`error` →
 * `Error`); a numeric suffix or a shadowed `Error` would be confusing, so such a schema is named
 * after the place that first uses it instead (`version-2`, the body of
 * `databases_update_major_version`, becomes `DatabasesUpdateMajorVersionRequest`).
 */
import { operationName, operationTypePrefix, pascalCase } from "./naming.js";
import { HTTP_METHODS, type Schema, type Spec, schemaRefName } from "./spec.js";

/** Global types a generated model must not shadow (ES2022 lib and the parts of @types/node users meet). */
const GLOBAL_TYPE_NAMES = new Set([
  "Array", "Boolean", "Date", "Error", "Function", "Map", "Number", "Object", "Partial", "Pick", "Promise",
  "Readonly", "Record", "RegExp", "Required", "Set", "String", "Symbol", "Omit", "Exclude", "Extract",
  "Request", "Response", "Headers", "Blob", "File", "URL", "Buffer", "Event", "EventTarget",
]);

/**
 * The naming table: the type name of a schema whose spec name is not the name a user would
 * guess for the resource (a plural for one item, an implementation suffix, a generic word).
 * Every other schema is named by the rules above; the acronym rule applies to all names.
 */
export const TYPE_NAMES: Readonly<Record<string, string>> = {
  sshKeys: "SshKey",
  tags: "Tag",
  snapshots: "Snapshot",
  one_clicks: "OneClick",
  volume_full: "Volume",
  cluster_read: "KubernetesCluster",
  cluster: "KubernetesClusterCreate",
  database_cluster_read: "DatabaseCluster",
  database_cluster: "DatabaseClusterCreate",
  database_replica_read: "DatabaseReplica",
  database_replica: "DatabaseReplicaCreate",
  apps_deployment: "Deployment",
  domains: "LoadBalancerDomain",
  vpc_nat_gateway_get: "VpcNatGateway",
  invoice_preview: "Invoice",
  vectordbVectorDB: "VectorDatabase",
};

const DUPLICATE_SUFFIX = /-\d+$/;

/** Prefix for a schema whose plain name would shadow a global type. */
const SHADOW_PREFIX = "Api";

/** Maps each component schema name to its TypeScript type name (unique, deterministic). */
export function componentTypeNames(spec: Spec): Map<string, string> {
  const referrers = firstReferrers(spec);
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const reserved = new Set(Object.values(TYPE_NAMES));
  const claim = (schemaName: string, typeName: string): void => {
    names.set(schemaName, typeName);
    taken.add(typeName);
  };
  for (const [schemaName] of spec.schemas) {
    // `version-2` is the spec's second `version`: the suffix marks a duplicate, not a meaning.
    let candidate = TYPE_NAMES[schemaName] ?? pascalCase(schemaName.replace(DUPLICATE_SUFFIX, ""));
    if (GLOBAL_TYPE_NAMES.has(candidate)) candidate = SHADOW_PREFIX + candidate;
    // A table name belongs to its schema, even when another schema's plain name is the same.
    if (!taken.has(candidate) && (TYPE_NAMES[schemaName] !== undefined || !reserved.has(candidate))) {
      claim(schemaName, candidate);
      continue;
    }
    const context = referrers.get(schemaName);
    if (context !== undefined && !taken.has(context)) {
      claim(schemaName, context);
      continue;
    }
    // Last resort (the spec never needs it today): a counter keeps names unique and stable.
    let n = 2;
    while (taken.has(`${candidate}${n}`)) n++;
    claim(schemaName, `${candidate}${n}`);
  }
  return names;
}

/**
 * For each schema, a name describing where it is first referenced: `NfsActionsResponseAction` for
 * the `action` property of `nfs_actions_response`, `<Group><Method>Request` for an operation's body.
 * Component schemas are scanned first, then operations, both in spec order.
 */
function firstReferrers(spec: Spec): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (schema: Schema | undefined, context: string, seen: Set<Schema>): void => {
    if (schema === undefined || seen.has(schema)) return;
    seen.add(schema);
    if (schema.$ref !== undefined) {
      const name = schemaRefName(schema.$ref);
      if (name !== undefined && !found.has(name)) found.set(name, context);
      return;
    }
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      visit(property, context + pascalCase(key), seen);
    }
    const nested = [schema.items, ...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
    if (typeof schema.additionalProperties === "object") nested.push(schema.additionalProperties);
    for (const child of nested) visit(child, context, seen);
  };
  for (const [name, schema] of spec.schemas) visit(schema, pascalCase(name), new Set());
  for (const pathItem of Object.values(spec.doc.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation === undefined) continue;
      const { group, method: methodName } = operationName(operation.operationId);
      const prefix = operationTypePrefix(group, methodName);
      for (const parameter of operation.parameters ?? []) {
        visit(spec.deref(parameter).schema, `${prefix}Params`, new Set());
      }
      if (operation.requestBody !== undefined) {
        for (const media of Object.values(spec.deref(operation.requestBody).content ?? {})) {
          visit(media.schema, `${prefix}Request`, new Set());
        }
      }
      for (const response of Object.values(operation.responses ?? {})) {
        for (const media of Object.values(spec.deref(response).content ?? {})) {
          visit(media.schema, `${prefix}Response`, new Set());
        }
      }
    }
  }
  return found;
}
