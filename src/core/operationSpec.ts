/**
 * The data the generator emits for one operation. The runtime (`runOperation`) needs nothing
 * else to validate, encode and send a call and to parse its answer, which keeps generated code
 * a table of plain objects rather than hundreds of hand-shaped functions.
 */

/** HTTP methods that occur in DigitalOcean's API. */
export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "PATCH" | "HEAD";

/**
 * How a successful response body is read.
 * - `json`: parsed JSON (an empty body gives `undefined`).
 * - `none`: the operation answers 204 or declares no body; the result is `undefined`.
 * - `text`: a string (`text/csv`, `application/yaml`).
 * - `binary`: a `Uint8Array` (`application/pdf`, `application/octet-stream`).
 * - `events`: a `text/event-stream` answer is an async iterable of parsed events; operations that
 *   may also answer JSON (streaming is chosen by the request) are parsed by the response's
 *   `Content-Type`.
 */
export type ResponseKind = "json" | "none" | "text" | "binary" | "events";

/** How a request body is sent: `json` is serialized with `Content-Type: application/json`, `binary` is sent as given. */
export type RequestBodyKind = "json" | "binary";

/**
 * Where an operation is sent when it declares its own `servers` in the spec.
 * - `inference`: DigitalOcean's serverless inference host (`https://inference.do-ai.run`), overridable
 *   with the client option `inferenceEndpoint`.
 * - `agent`: a provisioned agent's own host (`https://{agent_url}`), set with the client option `agentEndpoint`.
 * - `absolute`: the single path parameter is a complete URL (a presigned upload URL) and is used as is.
 */
export type OperationServer = "inference" | "agent" | "absolute";

export interface OperationSpec {
  /** The spec's operationId, verbatim; error messages and logs name the operation by it. */
  readonly id: string;
  readonly method: HttpMethod;
  /** Path template as in the spec, e.g. `/v2/droplets/{droplet_id}`. */
  readonly path: string;
  /** Path parameter names in the order they appear in `path`; the method takes them positionally in this order. */
  readonly pathParams?: readonly string[];
  /** Names of query parameters, as the spec writes them. */
  readonly query?: readonly string[];
  /** Names of header parameters, as the spec writes them. */
  readonly headers?: readonly string[];
  /** Query or header parameters the spec marks required (validated before sending). */
  readonly requiredParams?: readonly string[];
  /** Present iff the operation takes a request body. */
  readonly body?: RequestBodyKind;
  /** True iff the spec marks the request body required. */
  readonly bodyRequired?: boolean;
  /** How a successful response is read. */
  readonly response: ResponseKind;
  /**
   * For paged operations (those with a `page` query parameter): the property of the response
   * that holds the item array; the method then returns a `PagedResult`.
   */
  readonly paged?: string;
  /** Set when the operation is sent somewhere other than the client's endpoint. */
  readonly server?: OperationServer;
  /** Set on creates that can be made recoverable (`{ recoverable: true }`): how to find what they made. */
  readonly recover?: RecoverSpec;
}

/**
 * How a create's result can be found again without its id (see `src/core/recoverable.ts`): by a
 * marker tag in the body, looked up with the group's list operation.
 */
export interface RecoverSpec {
  /** The body property that takes the resource's tags (where the marker goes). */
  readonly tags: string;
  /** The answer property that holds the created resource. */
  readonly item: string;
  /** The group's method that lists resources of this kind (same path parameters as the create). */
  readonly list: string;
  /** The list answer's property that holds the items. */
  readonly listItems: string;
  /** The list's query parameter that filters by tag; when absent, every page is read and filtered here. */
  readonly byTag?: string;
  /** The answer's `links` property, when it has one (a recovered answer carries it empty). */
  readonly links?: string;
  /** The body property of a multi-create (`names: [...]`), when the operation has one. */
  readonly names?: string;
  /** The answer property that holds a multi-create's resources. */
  readonly items?: string;
}

/** An operation group's table: method name → operation data. */
export type OperationTable = Readonly<Record<string, OperationSpec>>;

/**
 * A row as `src/operations/tables.ts` writes it, without what it can derive: `pathParams` left out
 * are the path's `{names}` in order, and `response` left out is "json". 659 rows are the largest
 * part of the bundle and of the source V8 keeps in memory.
 */
export type OperationRow = Omit<OperationSpec, "response"> & { readonly response?: ResponseKind };

/** An operation group's rows, as `src/operations/tables.ts` writes them. */
export type OperationRows = Readonly<Record<string, OperationRow>>;

/** The `{names}` of a path template, in order: a row's path parameters unless it lists its own. */
export function pathPlaceholders(path: string): string[] {
  return Array.from(path.matchAll(/\{([^}]+)\}/g), (match) => match[1] as string);
}

/** The full `OperationSpec` of a row. */
export function specOf(row: OperationRow): OperationSpec {
  const pathParams = row.pathParams ?? pathPlaceholders(row.path);
  return { ...row, pathParams, response: row.response ?? "json" };
}

/**
 * The tables by group name, each made by its maker the first time it is read and kept: a group's
 * rows cost nothing (no objects, no compiled code) until a client uses the group.
 */
export function lazyTables<T extends Record<string, () => OperationRows>>(makers: T): { readonly [K in keyof T]: OperationTable } {
  const tables = {} as Record<string, OperationTable>;
  for (const [name, make] of Object.entries(makers)) {
    Object.defineProperty(tables, name, {
      configurable: true,
      enumerable: true,
      get() {
        const table: Record<string, OperationSpec> = {};
        for (const [method, row] of Object.entries(make())) table[method] = specOf(row);
        Object.defineProperty(tables, name, { value: table, enumerable: true });
        return table;
      },
    });
  }
  return tables as { readonly [K in keyof T]: OperationTable };
}
