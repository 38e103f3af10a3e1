import { randomUUID } from "node:crypto";
import { isoNow } from "./clock.js";
import { echoRequest } from "./echo.js";
import { fallbackResponses } from "./generated/fallbackResponses.js";

/**
 * A new resource shaped by the spec: the generated canned answer of `operationId` (under
 * `envelope`) as the template, what the request said echoed in, then `fields` on top. So the
 * families the fake builds stay valid for the spec without hand-writing every field.
 */
export function fromTemplate<T extends Record<string, unknown>>(operationId: string, envelope: string, request: unknown, fields: Partial<T>): T {
  const canned = (fallbackResponses[operationId]?.body as Record<string, unknown> | undefined)?.[envelope];
  if (typeof canned !== "object" || canned === null) throw new Error(`tsdo/testing: no canned ${envelope} for ${operationId}`);
  return { ...echoRequest(structuredClone(canned) as T, request), id: randomUUID(), created_at: isoNow(), ...fields };
}
