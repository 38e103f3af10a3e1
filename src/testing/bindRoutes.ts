import { operationGroups } from "../operations/tables.js";
import type { Route, StatefulRoute } from "./route.js";

/** Method and path of every operation, by operationId, from the generated operation table. */
const operationsById: ReadonlyMap<string, Pick<Route, "method" | "path">> = new Map(
  Object.values(operationGroups).flatMap((table) => Object.values(table).map((spec) => [spec.id, { method: spec.method, path: spec.path }] as const)),
);

/** Gives each stateful route its method and path; an operationId the spec lacks is a bug in the fake, caught at load. */
export function bindRoutes(routes: readonly StatefulRoute[]): Route[] {
  return routes.map((route) => {
    const operation = operationsById.get(route.operationId);
    if (operation === undefined) throw new Error(`tsdo/testing: no operation ${route.operationId} in the operation table`);
    return { ...route, ...operation };
  });
}
