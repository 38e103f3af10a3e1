import { notFound, unprocessable } from "../errors.js";
import { paginate } from "../pagination.js";
import { originOf, stringParam } from "../params.js";
import { noContent, ok, type FakeRequest, type StatefulRoute } from "../route.js";
import type { FakeState } from "../state.js";
import { BodyFields } from "../validation.js";

const tagNameFormat = /^[a-zA-Z0-9_\-:]+$/;

/** Checks tag names as DigitalOcean does (letters, digits, `_`, `-`, `:`; at most 255) and creates the missing ones. */
export function ensureTags(state: FakeState, names: readonly string[]): string[] {
  const invalid = names.find((name) => !tagNameFormat.test(name) || name.length > 255);
  if (invalid !== undefined) {
    throw unprocessable(`Tag name "${invalid}" may only contain letters, numbers, colons, dashes and underscores.`);
  }
  for (const name of names) if (!state.tags.has(name)) state.tags.set(name, { name });
  return [...new Set(names)];
}

type TaggableType = "droplet" | "image" | "volume" | "volume_snapshot";

/** The tag lists of every taggable resource, by type and id, so tags can be counted and changed in one place. */
function taggedResources(state: FakeState): { type: TaggableType; id: string; path: string; tags: string[] }[] {
  return [
    ...[...state.droplets.values()].map((droplet) => ({ type: "droplet" as const, id: String(droplet.id), path: `/v2/droplets/${droplet.id}`, tags: droplet.tags })),
    ...[...state.images.values()].map((image) => ({ type: "image" as const, id: String(image.id), path: `/v2/images/${image.id}`, tags: image.tags })),
    ...[...state.volumes.values()].map((volume) => ({ type: "volume" as const, id: volume.id, path: `/v2/volumes/${volume.id}`, tags: volume.tags })),
    ...[...state.snapshots.values()]
      .filter((snapshot) => snapshot.resource_type === "volume")
      .map((snapshot) => ({ type: "volume_snapshot" as const, id: snapshot.id, path: `/v2/volumes/snapshots/${snapshot.id}`, tags: snapshot.tags })),
  ];
}

function presentTag(state: FakeState, name: string, origin: string): unknown {
  const tagged = taggedResources(state).filter((resource) => resource.tags.includes(name));
  const summary = (type: TaggableType) => {
    const ofType = tagged.filter((resource) => resource.type === type);
    const last = ofType.at(-1);
    return last ? { count: ofType.length, last_tagged_uri: origin + last.path } : { count: 0 };
  };
  const last = tagged.at(-1);
  return {
    name,
    resources: {
      count: tagged.length,
      ...(last ? { last_tagged_uri: origin + last.path } : {}),
      droplets: summary("droplet"),
      imgages: summary("image"), // sic: the spec's spelling
      volumes: summary("volume"),
      volume_snapshots: summary("volume_snapshot"),
      databases: { count: 0 },
    },
  };
}

function requireTag(state: FakeState, request: FakeRequest): string {
  const name = stringParam(request, "tag_id");
  if (!state.tags.has(name)) throw notFound();
  return name;
}

/** Reads `{ resources: [{ resource_id, resource_type }] }` and finds each resource's tag list. */
function resourceTagLists(state: FakeState, request: FakeRequest): string[][] {
  const fields = BodyFields.of(request);
  const entries = fields.raw("resources");
  if (!Array.isArray(entries) || entries.length === 0) throw unprocessable("resources is required.");
  const all = taggedResources(state);
  return entries.map((entry: unknown) => {
    const item = BodyFields.from(entry);
    const type = item.oneOf<TaggableType>("resource_type", ["droplet", "image", "volume", "volume_snapshot"]);
    const id = item.string("resource_id");
    const found = all.find((resource) => resource.type === type && resource.id === id);
    if (!found) throw unprocessable(`The ${type} ${id} was not found.`);
    return found.tags;
  });
}

export const tagRoutes: StatefulRoute[] = [
  {
    operationId: "tags_list",
    handle: (request, { state }) =>
      paginate(request, "tags", [...state.tags.keys()].map((name) => presentTag(state, name, originOf(request)))),
  },
  {
    operationId: "tags_create",
    handle: (request, { state }) => {
      const [name] = ensureTags(state, [BodyFields.of(request).string("name")]);
      return ok({ tag: presentTag(state, name!, originOf(request)) }, 201);
    },
  },
  {
    operationId: "tags_get",
    handle: (request, { state }) => ok({ tag: presentTag(state, requireTag(state, request), originOf(request)) }),
  },
  {
    operationId: "tags_delete",
    handle: (request, { state }) => {
      const name = requireTag(state, request);
      for (const resource of taggedResources(state)) removeFrom(resource.tags, name);
      state.tags.delete(name);
      return noContent();
    },
  },
  {
    operationId: "tags_assign_resources",
    handle: (request, { state }) => {
      const name = requireTag(state, request);
      for (const tags of resourceTagLists(state, request)) if (!tags.includes(name)) tags.push(name);
      return noContent();
    },
  },
  {
    operationId: "tags_unassign_resources",
    handle: (request, { state }) => {
      const name = requireTag(state, request);
      for (const tags of resourceTagLists(state, request)) removeFrom(tags, name);
      return noContent();
    },
  },
];

function removeFrom(list: string[], item: string): void {
  const index = list.indexOf(item);
  if (index >= 0) list.splice(index, 1);
}
