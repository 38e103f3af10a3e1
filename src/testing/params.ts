import { notFound } from "./errors.js";
import type { FakeRequest } from "./route.js";

/** A path parameter that must be a positive integer id; anything else names no resource (404). */
export function integerParam(request: FakeRequest, name: string): number {
  const value = request.params[name] ?? "";
  if (!/^\d+$/.test(value)) throw notFound();
  return Number(value);
}

/** A path parameter as given. */
export function stringParam(request: FakeRequest, name: string): string {
  return request.params[name] ?? "";
}

/** The origin the client reached this fake at, for absolute links in answers. */
export function originOf(request: FakeRequest): string {
  return request.url.origin;
}
