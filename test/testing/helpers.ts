import type { DigitalOceanClient } from "../../src/index.js";
import { createTestClient, startFakeDigitalOcean, type FakeDigitalOcean } from "../../src/testing/index.js";

/**
 * A fake on the virtual clock for the enclosing suite, reset after each test and closed after it;
 * `set` receives it and a client on it with retries off (call in a `describe` body).
 */
export function useVirtualFake(set: (fake: FakeDigitalOcean, client: DigitalOceanClient) => void): void {
  let fake: FakeDigitalOcean | undefined;
  before(async () => {
    fake = await startFakeDigitalOcean({ clock: "virtual" });
    set(fake, createTestClient(fake, { retryOptions: { maxRetries: 0 } }));
  });
  afterEach(() => fake?.reset());
  after(() => fake?.close());
}

/** One HTTP exchange with the fake, read whole. */
export interface Exchange<TBody> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text (`""` when empty); typed by the caller. */
  body: TBody;
}

/** DigitalOcean's error body. */
export interface ErrorBody {
  id: string;
  message: string;
  request_id: string;
}

/** A list answer's paging parts. */
export interface Paged {
  links: { pages?: { first?: string; prev?: string; next?: string; last?: string } };
  meta: { total: number };
}

/** Sends a request to the fake with its token (or `token`, or none when `null`) using plain `fetch`. */
export async function call<TBody = unknown>(
  fake: Pick<FakeDigitalOcean, "url" | "token">,
  method: string,
  path: string,
  requestBody?: unknown,
  options: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<Exchange<TBody>> {
  const token = options.token === undefined ? fake.token : options.token;
  const headers: Record<string, string> = { ...options.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (requestBody !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(fake.url + path, {
    method,
    headers,
    ...(requestBody !== undefined ? { body: typeof requestBody === "string" ? requestBody : JSON.stringify(requestBody) } : {}),
  });
  const text = await response.text();
  const isJson = (response.headers.get("content-type") ?? "").includes("json");
  const body: unknown = isJson && text !== "" ? JSON.parse(text) : text;
  return { status: response.status, headers: response.headers, body: body as TBody };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` holds (or fails after `timeoutInMs`). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutInMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutInMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(10);
  }
}

/** A syntactically valid OpenSSH public key line, distinct per `seed`. */
export function publicKey(seed: number): string {
  const type = Buffer.from("ssh-ed25519");
  const blob = Buffer.alloc(4 + type.length + 4 + 32);
  blob.writeUInt32BE(type.length, 0);
  type.copy(blob, 4);
  blob.writeUInt32BE(32, 4 + type.length);
  blob.fill(seed % 256, 8 + type.length);
  return `ssh-ed25519 ${blob.toString("base64")} test-${seed}`;
}
