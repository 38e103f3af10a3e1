// The CommonJS twin of probe-import.mjs: require a client and construct it in a fresh process.
const { peakRssKb } = require("./peak-rss.cjs");

const started = performance.now();
const which = process.argv[2];
if (which === "tsdo") new (require("../dist/cjs/index.js").DigitalOceanClient)("t");
if (which === "tsdo on undici") new (require("../dist/cjs/index.js").DigitalOceanClient)("t", { httpClient: new (require("../dist/cjs/undici/index.js").UndiciHttpClient)() });
if (which === "dots-wrapper") require("dots-wrapper").createApiClient({ token: "t" });
console.log(JSON.stringify({ ms: performance.now() - started, maxRssKb: peakRssKb() }));
