import type { PipelineRequest, PipelineResponse, RestError as CoreRestError, RestErrorOptions } from "@azure/core-rest-pipeline";
import { coreIfLoaded, onCoreLoaded } from "./azureCore.js";
import { brandClasses, isBrandedInstance } from "./brand.js";

/**
 * The base of tsdo's errors. tsdo's errors must be core's `RestError` (so `isRestError(err)` and
 * `instanceof RestError` hold), yet core is loaded only by the first request (src/core/azureCore.ts).
 * So this class stands in until then, with RestError's fields; when core loads it is re-parented
 * onto core's RestError (class and prototype), after which its constructor runs RestError's
 * (which redacts `Authorization` in `util.inspect`) and every tsdo error, whenever made, is an
 * `instanceof` core's RestError. Errors are thrown only by requests, so every error a call throws
 * is made after that.
 */
class RestErrorBase extends Error {
  static readonly REQUEST_SEND_ERROR = "REQUEST_SEND_ERROR";
  static readonly PARSE_ERROR = "PARSE_ERROR";
  // Declared, not initialised: a field initialiser would run after RestError's constructor and
  // reset what it set.
  declare code?: string;
  declare statusCode?: number;
  declare request?: PipelineRequest;
  declare response?: PipelineResponse;
  declare details?: unknown;

  constructor(message: string, options: RestErrorOptions = {}) {
    // Once re-parented, this is RestError's constructor, which sets the fields itself.
    super(message, options as ErrorOptions);
    if (coreIfLoaded() === undefined) {
      this.name = "RestError";
      this.code = options.code;
      this.statusCode = options.statusCode;
      Object.defineProperty(this, "request", { value: options.request, enumerable: false });
      Object.defineProperty(this, "response", { value: options.response, enumerable: false });
    }
  }

  // tsdo's `RestError` export is this class: it recognises core's own RestErrors too, as core's
  // class does, and tsdo's errors from another build of tsdo (src/core/brand.ts).
  static override [Symbol.hasInstance](value: unknown): boolean {
    const core = coreIfLoaded();
    if ((this as unknown) === RestError && core !== undefined && value instanceof core.RestError) return true;
    return isBrandedInstance(this, value);
  }
}

// Exported as `RestError`, and named so, as core's class is (in stacks and `util.inspect`).
Object.defineProperty(RestErrorBase, "name", { value: "RestError" });
brandClasses({ RestError: RestErrorBase });

onCoreLoaded(({ RestError }) => {
  Object.setPrototypeOf(RestErrorBase, RestError);
  Object.setPrototypeOf(RestErrorBase.prototype, RestError.prototype);
});

/** `@azure/core-rest-pipeline`'s `RestError`: the class of every error a tsdo request throws. */
export const RestError = RestErrorBase as unknown as typeof CoreRestError;
/** `@azure/core-rest-pipeline`'s `RestError`. */
export type RestError = CoreRestError;

/** Whether `error` is a `RestError` (core's `isRestError`, answerable before core is loaded). */
export function isRestError(error: unknown): error is RestError {
  return error instanceof RestErrorBase || (coreIfLoaded()?.isRestError(error) ?? false);
}
