/**
 * The fake answers errors the way DigitalOcean does: a short `id` derived from the status, a
 * human `message` and the `request_id` that is also sent as `x-request-id`. Handlers throw
 * `FakeApiError`; the server turns it into that body, so no handler formats errors itself.
 */

/** DigitalOcean's error ids for the statuses the fake produces. */
const errorIdByStatus: Readonly<Record<number, string>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  412: "precondition_failed",
  422: "unprocessable_entity",
  429: "too_many_requests",
  500: "server_error",
  502: "bad_gateway",
  503: "service_unavailable",
  504: "gateway_timeout",
};

/** The id DigitalOcean uses for `status`; statuses it has no name for fall back by class. */
export function errorIdFor(status: number): string {
  return errorIdByStatus[status] ?? (status >= 500 ? "server_error" : "bad_request");
}

/** A failed request, thrown from any handler and answered as `{ id, message, request_id }`. */
export class FakeApiError extends Error {
  readonly id: string;

  constructor(
    readonly status: number,
    message: string,
    id: string = errorIdFor(status),
  ) {
    super(message);
    this.name = "FakeApiError";
    this.id = id;
  }
}

export function notFound(message = "The resource you were accessing could not be found."): FakeApiError {
  return new FakeApiError(404, message);
}

export function unprocessable(message: string): FakeApiError {
  return new FakeApiError(422, message);
}

export function badRequest(message: string): FakeApiError {
  return new FakeApiError(400, message);
}
