import { unprocessable } from "./errors.js";
import type { FakeRequest } from "./route.js";

/**
 * Typed reads of a JSON request body. A missing required field or a value of the wrong type is
 * refused with 422 `unprocessable_entity`, as DigitalOcean refuses it, naming the field.
 */
export class BodyFields {
  private constructor(private readonly fields: Readonly<Record<string, unknown>>) {}

  /** The request's body as an object; a missing body counts as `{}` so each required field is named. */
  static of(request: FakeRequest): BodyFields {
    return this.from(request.body);
  }

  /** Any value read as a request body would be (seeding reads plain objects this way). */
  static from(value: unknown): BodyFields {
    const body = value ?? {};
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw unprocessable("The request body must be a JSON object.");
    }
    return new this(body as Record<string, unknown>);
  }

  has(name: string): boolean {
    return this.fields[name] !== undefined && this.fields[name] !== null;
  }

  raw(name: string): unknown {
    return this.fields[name];
  }

  string(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined || value === "") throw unprocessable(`${name} is required.`);
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.read(name, "a string", (value): value is string => typeof value === "string");
  }

  integer(name: string): number {
    const value = this.optionalInteger(name);
    if (value === undefined) throw unprocessable(`${name} is required.`);
    return value;
  }

  optionalInteger(name: string): number | undefined {
    return this.read(name, "an integer", (value): value is number => Number.isInteger(value));
  }

  optionalBoolean(name: string): boolean | undefined {
    return this.read(name, "a boolean", (value): value is boolean => typeof value === "boolean");
  }

  stringArray(name: string): string[] {
    const value = this.optionalStringArray(name);
    if (value === undefined) throw unprocessable(`${name} is required.`);
    return value;
  }

  optionalStringArray(name: string): string[] | undefined {
    return this.read(name, "an array of strings", (value): value is string[] =>
      Array.isArray(value) && value.every((item) => typeof item === "string"),
    );
  }

  integerArray(name: string): number[] {
    const value = this.optionalIntegerArray(name);
    if (value === undefined) throw unprocessable(`${name} is required.`);
    return value;
  }

  optionalIntegerArray(name: string): number[] | undefined {
    return this.read(name, "an array of integers", (value): value is number[] =>
      Array.isArray(value) && value.every((item) => Number.isInteger(item)),
    );
  }

  /** A required string that must be one of `allowed`. */
  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.string(name);
    if (!(allowed as readonly string[]).includes(value)) {
      throw unprocessable(`${name} must be one of: ${allowed.join(", ")}.`);
    }
    return value as T;
  }

  /** An optional string that must be one of `allowed` when present. */
  optionalOneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    return this.has(name) ? this.oneOf(name, allowed) : undefined;
  }

  /** `null` counts as absent: DigitalOcean's nullable fields (`tags: null`) mean "none given". */
  private read<T>(name: string, expected: string, isValid: (value: unknown) => value is T): T | undefined {
    const value = this.fields[name];
    if (value === undefined || value === null) return undefined;
    if (!isValid(value)) throw unprocessable(`${name} must be ${expected}.`);
    return value;
  }
}
