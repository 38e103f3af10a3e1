import type { FallbackTable } from "./fallback.js";
import { fallbackResponses } from "./generated/fallbackResponses.js";

/**
 * The fake's default canned answers, one per operation of the spec (generated): read it to see
 * what an operation answers, or to build a `fallback` override from it.
 */
export const defaultFallbackTable: FallbackTable = Object.freeze({ ...fallbackResponses });
