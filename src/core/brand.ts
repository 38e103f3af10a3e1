/**
 * `instanceof` that holds across copies of tsdo. An app whose own code is CommonJS while one of its
 * dependencies imports tsdo as ESM loads both builds (dist/cjs and dist/esm), and so two classes of
 * each name: without this, a `NotFoundError` thrown by a client of one build is not an
 * `instanceof NotFoundError` imported from the other (the dual-package hazard).
 *
 * Each branded class's prototype carries `Symbol.for("tsdo.brand.<Name>")`, which every copy of
 * tsdo names alike, and the class answers `instanceof` with the ordinary prototype check or, failing
 * that, with that brand. Brands live on prototypes, so an instance costs nothing, and instances of
 * subclasses carry their parents' brands through the prototype chain: a `NotFoundError` of one build
 * is a `DigitalOceanError`, a `TsdoError` and a `RestError` of the other, and never a
 * `ConflictError`. A user's own subclass of a tsdo class has no brand and keeps the ordinary check.
 */

/** The brand each branded class answers `instanceof` with. */
const brands = new WeakMap<object, symbol>();
const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];

/**
 * Brands each class under its key, the class's public name (given as a key rather than read from
 * `name`, which a user's minifier may change in one build and not the other).
 */
export function brandClasses(classes: Readonly<Record<string, abstract new (...args: never) => unknown>>): void {
  for (const [name, branded] of Object.entries(classes)) {
    const brand = Symbol.for(`tsdo.brand.${name}`);
    Object.defineProperty(branded.prototype, brand, { value: true });
    brands.set(branded, brand);
    // RestError has its own, which also recognises core's RestErrors and then asks isBrandedInstance.
    if (!Object.hasOwn(branded, Symbol.hasInstance)) Object.defineProperty(branded, Symbol.hasInstance, { value: brandedHasInstance });
  }
}

/** Whether `value` is an instance of `type`, or of the class of the same name of another copy of tsdo. */
export function isBrandedInstance(type: object, value: unknown): boolean {
  if (ordinaryHasInstance.call(type, value)) return true;
  const brand = brands.get(type);
  return brand !== undefined && typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

// Inherited by subclasses as a static: `this` is the class on the right of `instanceof`.
function brandedHasInstance(this: object, value: unknown): boolean {
  return isBrandedInstance(this, value);
}
