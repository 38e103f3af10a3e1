import { notFound } from "../errors.js";
import { paginate } from "../pagination.js";
import { stringParam } from "../params.js";
import { noContent, ok, type FakeRequest, type StatefulRoute } from "../route.js";
import type { FakeState } from "../state.js";
import type { Snapshot } from "../types.js";
import { removeImage } from "./images.js";

function requireSnapshot(state: FakeState, request: FakeRequest): Snapshot {
  const snapshot = state.snapshots.get(stringParam(request, "snapshot_id"));
  if (!snapshot) throw notFound();
  return snapshot;
}

/** Droplet and volume snapshots together, as `/v2/snapshots` shows them. */
export const snapshotRoutes: StatefulRoute[] = [
  {
    operationId: "snapshots_list",
    handle: (request, { state }) => {
      const resourceType = request.query.get("resource_type");
      const snapshots = [...state.snapshots.values()].filter((snapshot) => resourceType === null || snapshot.resource_type === resourceType);
      return paginate(request, "snapshots", snapshots);
    },
  },
  {
    operationId: "snapshots_get",
    handle: (request, { state }) => ok({ snapshot: requireSnapshot(state, request) }),
  },
  {
    operationId: "snapshots_delete",
    handle: (request, { state }) => {
      const snapshot = requireSnapshot(state, request);
      const image = snapshot.resource_type === "droplet" ? state.images.get(Number(snapshot.id)) : undefined;
      if (image) removeImage(state, image);
      else state.snapshots.delete(snapshot.id);
      return noContent();
    },
  },
];
