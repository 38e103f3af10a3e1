// One fresh process: import a client and construct it (ESM), then report the time that took and
// the process's peak RSS. With "bare" it imports nothing: the baseline a start is compared to.
import { peakRssKb } from "./peak-rss.cjs";

const started = performance.now();
const which = process.argv[2];
if (which === "tsdo") new (await import("../dist/esm/index.js")).DigitalOceanClient("t");
if (which === "tsdo on undici") {
  const [{ DigitalOceanClient }, { UndiciHttpClient }] = await Promise.all([import("../dist/esm/index.js"), import("../dist/esm/undici/index.js")]);
  new DigitalOceanClient("t", { httpClient: new UndiciHttpClient() });
}
if (which === "dots-wrapper") (await import("dots-wrapper")).default.createApiClient({ token: "t" });
if (which === "@digitalocean/dots") {
  const { createDigitalOceanClient, DigitalOceanApiKeyAuthenticationProvider } = await import("@digitalocean/dots");
  const { FetchRequestAdapter } = await import("@microsoft/kiota-http-fetchlibrary");
  createDigitalOceanClient(new FetchRequestAdapter(new DigitalOceanApiKeyAuthenticationProvider("t")));
}
console.log(JSON.stringify({ ms: performance.now() - started, maxRssKb: peakRssKb() }));
