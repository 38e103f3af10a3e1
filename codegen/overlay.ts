/**
 * OpenAPI Overlay 1.0 (https://spec.openapis.org/overlay/v1.0.0.html), the subset tsdo's curated
 * corrections need: `update` (deep merge into each target; arrays append) and `remove`, with
 * targets written as plain JSONPath member chains (`$.components.schemas.droplet.properties['id']`).
 * Overlays are applied to the parsed document before any generator stage reads it, so every
 * correction is data with a reason beside it, not a special case in code.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { compare } from "./emit/imports.js";

export interface OverlayAction {
  readonly target: string;
  /** One line: why the spec is corrected here. */
  readonly description: string;
  readonly update?: unknown;
  readonly remove?: boolean;
}

export interface Overlay {
  readonly overlay: string;
  readonly info: { readonly title: string; readonly version: string };
  readonly actions: readonly OverlayAction[];
}

/** `codegen/overlays/`, seen from the compiled `build/codegen/overlay.js`. */
export const OVERLAYS_DIR = join(__dirname, "..", "..", "codegen", "overlays");

/** Every `*.yaml` overlay of a directory, in file-name order (so generation stays deterministic). */
export function loadOverlays(dir: string): Overlay[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".yaml"))
    .sort(compare)
    .map((file) => checkOverlay(parse(readFileSync(join(dir, file), "utf8")), file));
}

function checkOverlay(value: unknown, file: string): Overlay {
  const overlay = value as Overlay;
  if (typeof overlay?.overlay !== "string" || !overlay.overlay.startsWith("1.0")) throw new Error(`${file}: not an OpenAPI Overlay 1.0 document`);
  for (const action of overlay.actions ?? []) {
    if (typeof action.description !== "string" || action.description.trim() === "") throw new Error(`${file}: action on ${action.target} has no description (its reason)`);
    if ((action.update === undefined) === (action.remove !== true)) throw new Error(`${file}: action on ${action.target} needs exactly one of update or remove`);
  }
  return overlay;
}

/** Applies the overlays' actions in order to `doc`, in place. A target that selects nothing is an error. */
export function applyOverlays(doc: unknown, overlays: readonly Overlay[]): void {
  for (const overlay of overlays) {
    for (const action of overlay.actions) {
      const path = parseTarget(action.target);
      const parent = walk(doc, path.slice(0, -1), action.target);
      const key = path[path.length - 1]!;
      if (!isObject(parent) || !(key in parent)) throw new Error(`overlay "${overlay.info.title}": target ${action.target} selects nothing`);
      if (action.remove === true) {
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
      } else {
        parent[key] = merge(parent[key], action.update);
      }
    }
  }
}

/** `$.a.b['c-d'][0]` → `["a", "b", "c-d", "0"]`; wildcards and filters are not supported. */
export function parseTarget(target: string): string[] {
  if (!target.startsWith("$")) throw new Error(`overlay target ${target} must start with $`);
  const segments: string[] = [];
  const pattern = /\.([A-Za-z0-9_$-]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/y;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < target.length) {
    const match = pattern.exec(target);
    if (match === null) throw new Error(`overlay target ${target}: only member names and indexes are supported`);
    segments.push(match[1] ?? match[2]?.replace(/\\(.)/g, "$1") ?? match[3]!);
  }
  if (segments.length === 0) throw new Error(`overlay target ${target} selects the whole document`);
  return segments;
}

function walk(node: unknown, path: readonly string[], target: string): unknown {
  let current = node;
  for (const key of path) {
    if (!isObject(current) || !(key in current)) throw new Error(`overlay target ${target} selects nothing (at ${key})`);
    current = current[key];
  }
  return current;
}

/** Overlay `update` semantics: objects merge key by key, arrays append, anything else replaces. */
function merge(target: unknown, update: unknown): unknown {
  if (Array.isArray(target)) return [...target, ...(Array.isArray(update) ? update : [update])];
  if (isObject(target) && isObject(update) && !Array.isArray(update)) {
    const result: Record<string, unknown> = { ...target };
    for (const [key, value] of Object.entries(update)) result[key] = key in result ? merge(result[key], value) : value;
    return result;
  }
  return update;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
