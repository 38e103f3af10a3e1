// The fixture API, in its own process so that its CPU never counts as a client's. It answers
// GET /v2/droplets from pre-built bodies (no work per request beyond writing them) and counts
// requests; the parent asks for the count over IPC.
import { createServer } from "node:http";
import { dropletPage } from "./fixture.mjs";

const LIST_TOTAL = 20;
const PAGINATION_TOTAL = 10_000;
let requests = 0;
// A reset an hour ahead, as DigitalOcean sends it; the limit is far above what the run can use.
const RESET = String(Math.floor(Date.now() / 1000) + 3600);
const bodies = new Map();

const server = createServer((req, res) => {
  requests++;
  const url = new URL(req.url, origin);
  if (req.headers.authorization === undefined) {
    res.writeHead(401, { "content-type": "application/json" });
    return res.end('{"id":"unauthorized","message":"Unable to authenticate you."}');
  }
  if (url.pathname !== "/v2/droplets") {
    res.writeHead(404, { "content-type": "application/json" });
    return res.end('{"id":"not_found","message":"The resource you were accessing could not be found."}');
  }
  const page = Number(url.searchParams.get("page") ?? 1);
  const perPage = Number(url.searchParams.get("per_page") ?? 20);
  // per_page 200 is the pagination run's: a 10,000-droplet account; anything else the 20-droplet list.
  const total = perPage === 200 ? PAGINATION_TOTAL : LIST_TOTAL;
  const key = `${page}/${perPage}`;
  let body = bodies.get(key);
  if (body === undefined) bodies.set(key, (body = Buffer.from(dropletPage(origin, page, perPage, total))));
  res.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    "content-length": body.length,
    "ratelimit-limit": "1000000",
    "ratelimit-remaining": "999999",
    "ratelimit-reset": RESET,
    "x-request-id": "4d5a5d5c-1d1e-4e4d-9d9c-8c8b8a898887",
  });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
let origin = "";
server.listen(0, "127.0.0.1", () => {
  origin = `http://127.0.0.1:${server.address().port}`;
  process.send({ origin });
});
process.on("message", (message) => {
  if (message === "count") process.send({ requests });
  if (message === "reset") (requests = 0), process.send({ requests });
});
process.on("disconnect", () => process.exit(0));
