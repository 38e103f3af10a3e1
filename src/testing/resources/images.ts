import { applicationImageSlugs } from "../catalog.js";
import { isoNow } from "../clock.js";
import { FakeApiError, notFound, unprocessable } from "../errors.js";
import { paginate } from "../pagination.js";
import { integerParam, stringParam } from "../params.js";
import { noContent, ok, type FakeRequest, type StatefulRoute } from "../route.js";
import type { FakeState } from "../state.js";
import type { Image, Distribution } from "../types.js";
import { BodyFields } from "../validation.js";
import { ensureTags } from "./tags.js";

/** The spec's list of distributions; any other value is stored as `Unknown`, as DigitalOcean does. */
const distributions: readonly Distribution[] = [
  "Arch Linux", "CentOS", "CoreOS", "Debian", "Fedora", "Fedora Atomic", "FreeBSD", "Gentoo", "openSUSE", "RancherOS",
  "Rocky Linux", "Ubuntu", "Unknown",
];

/** An image by id or, for public images, by slug. */
export function findImage(state: FakeState, reference: string | number): Image | undefined {
  if (typeof reference === "number" || /^\d+$/.test(reference)) return state.images.get(Number(reference));
  for (const image of state.images.values()) if (image.slug === reference) return image;
  return undefined;
}

function requireImage(state: FakeState, request: FakeRequest): Image {
  const image = findImage(state, stringParam(request, "image_id"));
  if (!image) throw notFound();
  return image;
}

function requirePrivateImage(state: FakeState, request: FakeRequest): Image {
  const image = state.images.get(integerParam(request, "image_id"));
  if (!image) throw notFound();
  if (image.public) throw new FakeApiError(403, "Public images cannot be changed.");
  return image;
}

function distributionOf(value: string | undefined): Distribution {
  return distributions.find((distribution) => distribution === value) ?? "Unknown";
}

/** Removes an image, and the droplet-snapshot record that shares its id. */
export function removeImage(state: FakeState, image: Image): void {
  state.images.delete(image.id);
  state.snapshots.delete(String(image.id));
  for (const droplet of state.droplets.values()) {
    droplet.snapshot_ids = droplet.snapshot_ids.filter((id) => id !== image.id);
    droplet.backup_ids = droplet.backup_ids.filter((id) => id !== image.id);
  }
}

export const imageRoutes: StatefulRoute[] = [
  {
    operationId: "images_list",
    handle: (request, { state }) => {
      const type = request.query.get("type");
      const onlyPrivate = request.query.get("private") === "true";
      const tagName = request.query.get("tag_name");
      const images = [...state.images.values()].filter((image) => {
        const application = image.slug !== null && applicationImageSlugs.has(image.slug);
        if (type === "application" && !application) return false;
        if (type === "distribution" && (application || !image.public)) return false;
        if (onlyPrivate && image.public) return false;
        return tagName === null || image.tags.includes(tagName);
      });
      return paginate(request, "images", images);
    },
  },
  {
    operationId: "images_create_custom",
    handle: (request, { state }) => {
      const fields = BodyFields.of(request);
      const name = fields.string("name");
      const url = fields.string("url");
      if (!/^https?:\/\/\S+$/.test(url)) throw unprocessable("url must be an http(s) URL of the image file.");
      const region = fields.string("region");
      if (!state.region(region)?.available) throw unprocessable(`${region} is not a valid region.`);
      const distribution = distributionOf(fields.optionalString("distribution"));
      const description = fields.optionalString("description") ?? "";
      const tags = ensureTags(state, fields.optionalStringArray("tags") ?? []);
      const image: Image = {
        id: state.nextId(),
        name,
        type: "custom",
        distribution,
        slug: null,
        public: false,
        regions: [region],
        created_at: isoNow(),
        min_disk_size: 0,
        size_gigabytes: 0,
        description,
        tags,
        status: "available",
      };
      state.images.set(image.id, image);
      // The import is instant in the fake; the first answer still says NEW, as DigitalOcean's does.
      return ok({ image: { ...image, status: "NEW" } }, 202);
    },
  },
  {
    operationId: "images_get",
    handle: (request, { state }) => ok({ image: requireImage(state, request) }),
  },
  {
    operationId: "images_update",
    handle: (request, { state }) => {
      const image = requirePrivateImage(state, request);
      const fields = BodyFields.of(request);
      const name = fields.optionalString("name");
      const distribution = fields.optionalString("distribution");
      const description = fields.optionalString("description");
      if (name !== undefined && name !== "") image.name = name;
      if (distribution !== undefined) image.distribution = distributionOf(distribution);
      if (description !== undefined) image.description = description;
      return ok({ image });
    },
  },
  {
    operationId: "images_delete",
    handle: (request, { state }) => {
      removeImage(state, requirePrivateImage(state, request));
      return noContent();
    },
  },
  {
    operationId: "imageActions_list",
    handle: (request, { state }) => {
      const image = requirePrivateImage(state, request);
      return paginate(request, "actions", state.actionsOn("image", image.id));
    },
  },
  {
    operationId: "imageActions_post",
    handle: (request, { state, actions }) => {
      const image = requirePrivateImage(state, request);
      const fields = BodyFields.of(request);
      const type = fields.oneOf("type", ["convert", "transfer"]);
      if (type === "transfer") {
        const region = fields.string("region");
        if (!state.region(region)?.available) throw unprocessable(`${region} is not a valid region.`);
        const action = actions.start({
          type,
          resourceType: "image",
          resourceId: image.id,
          regionSlug: region,
          complete: () => {
            if (!image.regions.includes(region)) image.regions.push(region);
          },
        });
        return ok(action, 201);
      }
      if (image.type !== "backup") throw unprocessable("Only backups can be converted to snapshots.");
      const action = actions.start({
        type,
        resourceType: "image",
        resourceId: image.id,
        regionSlug: image.regions[0] ?? "nyc1",
        complete: () => {
          image.type = "snapshot";
        },
      });
      // Unlike other action endpoints, this one answers the action itself, not `{ action }`.
      return ok(action, 201);
    },
  },
  {
    operationId: "imageActions_get",
    handle: (request, { state }) => {
      const image = requirePrivateImage(state, request);
      const action = state.actions.get(integerParam(request, "action_id"));
      if (!action || action.resource_type !== "image" || action.resource_id !== image.id) throw notFound();
      return ok(action);
    },
  },
];
