// The clients the benchmark compares, each reduced to one call: list the first page of droplets
// (per_page 20) and return the parsed droplets. Raw node:http is the limit the others are held to.
import { Agent as HttpAgent, get as httpGet } from "node:http";

const TOKEN = "dop_v1_benchmarktoken0000000000000000000000000000000000000000000000";
const PATH = "/v2/droplets?page=1&per_page=20";

/** Each entry: a name and `create(origin)` → `() => Promise<droplets>`. Loaded lazily, so that one client's import never slows another's. */
export const clients = [
  {
    name: "raw node:http",
    async create(origin) {
      const agent = new HttpAgent({ keepAlive: true });
      return () =>
        new Promise((resolve, reject) => {
          httpGet(origin + PATH, { agent, headers: { authorization: `Bearer ${TOKEN}`, accept: "application/json" } }, (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk) => (text += chunk));
            res.on("end", () => resolve(JSON.parse(text).droplets));
            res.on("error", reject);
          }).on("error", reject);
        });
    },
  },
  {
    name: "undici.request",
    async create(origin) {
      const { Agent, request } = await import("undici");
      const dispatcher = new Agent();
      const headers = { authorization: `Bearer ${TOKEN}`, accept: "application/json" };
      return async () => (await (await request(origin + PATH, { dispatcher, headers })).body.json()).droplets;
    },
  },
  {
    name: "fetch",
    async create(origin) {
      const headers = { authorization: `Bearer ${TOKEN}`, accept: "application/json" };
      return async () => (await (await fetch(origin + PATH, { headers })).json()).droplets;
    },
  },
  {
    name: "tsdo",
    async create(origin) {
      const { DigitalOceanClient } = await import("../dist/esm/index.js");
      const client = new DigitalOceanClient(TOKEN, { endpoint: origin, allowInsecureConnection: true, rateLimitOptions: BENCH_LIMITS });
      return async () => (await client.droplets.list({ page: 1, per_page: 20 })).droplets;
    },
  },
  {
    name: "tsdo on undici",
    async create(origin) {
      const { DigitalOceanClient } = await import("../dist/esm/index.js");
      const { UndiciHttpClient } = await import("../dist/esm/undici/index.js");
      const client = new DigitalOceanClient(TOKEN, { endpoint: origin, allowInsecureConnection: true, httpClient: new UndiciHttpClient(), rateLimitOptions: BENCH_LIMITS });
      return async () => (await client.droplets.list({ page: 1, per_page: 20 })).droplets;
    },
  },
  {
    name: "dots-wrapper",
    async create(origin) {
      const { createApiClient } = (await import("dots-wrapper")).default;
      const client = createApiClient({ token: TOKEN, endpoint: `${origin}/v2` });
      return async () => (await client.droplet.listDroplets({ page: 1, per_page: 20 })).data.droplets;
    },
  },
  {
    name: "@digitalocean/dots",
    async create(origin) {
      const { createDigitalOceanClient, DigitalOceanApiKeyAuthenticationProvider } = await import("@digitalocean/dots");
      const { FetchRequestAdapter } = await import("@microsoft/kiota-http-fetchlibrary");
      const adapter = new FetchRequestAdapter(new DigitalOceanApiKeyAuthenticationProvider(TOKEN));
      const client = createDigitalOceanClient(adapter);
      adapter.baseUrl = origin;
      return async () => (await client.v2.droplets.get({ queryParameters: { page: 1, perPage: 20 } })).droplets;
    },
  },
];

// tsdo's rate limiter stays in place, keeping its log and taking a slot per request, but with a
// limit this loopback server can never reach: DigitalOcean's real 250 a minute would make the
// throughput rows measure the limit, not the client. Its cost alone: `npm run bench:rate-limit`.
const BENCH_LIMITS = { windows: [{ name: "bench", limit: 1_000_000, windowInMs: 1000 }], routes: [] };

/** Throws unless `droplets` is the fixture's first page, parsed: 20 droplets with the right names. */
export function checkDroplets(name, droplets) {
  if (!Array.isArray(droplets) || droplets.length !== 20) throw new Error(`${name}: expected 20 droplets, got ${droplets?.length}`);
  if (droplets[0].name !== "bench-web-00001" || droplets[19].name !== "bench-web-00020") throw new Error(`${name}: the droplets were not parsed (names ${droplets[0].name}, ${droplets[19].name})`);
  const memory = droplets[19].memory;
  if (memory !== 2048) throw new Error(`${name}: droplet memory ${memory}, expected 2048`);
}
