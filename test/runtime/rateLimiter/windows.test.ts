// The window arithmetic against DigitalOcean's description: each request counts for one full window
// after it is made (a sliding log, not fixed buckets), and ratelimit-reset is when the oldest
// counted request expires. All on an injected clock.
import assert from "node:assert/strict";
import { MemoryRateLimitStore } from "../../../src/rateLimiter/memoryStore.js";
import { compileRules, DIGITALOCEAN_RATE_LIMITS, type RateLimitWindow, type WindowDemand } from "../../../src/rateLimiter/rules.js";
import { slotTime } from "../../../src/rateLimiter/slidingLog.js";
import type { AcquireRequest } from "../../../src/rateLimiter/store.js";

const HOUR: RateLimitWindow = { name: "hour", limit: 5, windowInMs: 60_000 };
const MINUTE: RateLimitWindow = { name: "minute", limit: 3, windowInMs: 1_000 };
const general: WindowDemand[] = [HOUR, MINUTE].map((window) => ({ window, cost: 1, general: true }));
const hourOnly: WindowDemand[] = [{ window: HOUR, cost: 1, general: true }];

/** A store on a fake clock; `windows` are what every request counts in (the first is the headers'). */
function setup(windows: WindowDemand[] = general) {
  const clock = { now: 1_000_000 };
  const store = new MemoryRateLimitStore(() => clock.now);
  /** Acquires; a recorded request is answered at once unless `answered` is false (then it stays in flight). */
  const take = (request: Partial<AcquireRequest> = {}, answered = true) => {
    const result = store.acquire("k", { demands: windows, ahead: 0, reserve: 0, ...request });
    if (answered && result.waitInMs === 0 && !request.ahead) {
      store.observe("k", { reading: undefined, blockForMs: undefined, sentAt: result.now, slot: result.slot, demands: request.demands ?? windows });
    }
    return result;
  };
  const read = (limit: number, remaining: number, resetAtMs: number, sentAt = clock.now) =>
    store.observe("k", { reading: { limit, remaining, resetAtMs }, blockForMs: undefined, sentAt, slot: "", demands: windows });
  return { clock, store, take, read };
}

describe("rate limiter: window arithmetic", () => {
  it("slides: each request frees its slot one window after it was made, not at a bucket edge", () => {
    const { clock, take } = setup();
    for (let i = 0; i < 3; i++) {
      assert.equal(take().waitInMs, 0);
      clock.now += 100;
    }
    // Three in the 1 s window: the fourth waits until the first (made 300 ms ago) expires.
    assert.deepEqual(take(), { waitInMs: 700, general: true, now: clock.now, slot: "" });
    clock.now += 700;
    assert.equal(take().waitInMs, 0);
    // The next frees when the second expires, 100 ms later.
    assert.equal(take().waitInMs, 100);
  });

  it("the hourly window holds once the minute window has room again", () => {
    const { clock, take } = setup();
    for (let i = 0; i < 5; i++) {
      assert.equal(take().waitInMs, 0, `request ${i}`);
      clock.now += 1_000;
    }
    // 5 in the last minute: the next waits for the first to leave the hour window (made 5 s ago).
    assert.equal(take().waitInMs, 55_000);
  });

  it("estimates the wait of a call queued behind others, a window further per full round", () => {
    assert.equal(slotTime(0, 0, 2, 1000, 0, () => NaN), 0);
    assert.equal(slotTime(0, 0, 2, 1000, 1, () => NaN), 0);
    assert.equal(slotTime(0, 0, 2, 1000, 2, () => NaN), 1000);
    assert.equal(slotTime(0, 2, 2, 1000, 0, (i) => [300, 600][i]!), 300);
    assert.equal(slotTime(0, 2, 2, 1000, 1, (i) => [300, 600][i]!), 600);
    assert.equal(slotTime(0, 2, 2, 1000, 2, (i) => [300, 600][i]!), 1300);
    const { take } = setup();
    take();
    // One recorded: with two queued ahead, the fourth unit of a 3-per-second window waits a second.
    assert.equal(take({ ahead: 2 }).waitInMs, 1000);
    // An estimate records nothing.
    assert.equal(take().waitInMs, 0);
  });

  it("takes phantom entries when the server counted more, the oldest where ratelimit-reset puts it", () => {
    const { clock, take, read } = setup(hourOnly);
    take();
    clock.now += 10_000;
    // Someone else made 3 requests: the server counts 4, and its oldest expires in 20 s.
    read(5, 1, clock.now + 20_000);
    assert.equal(take().waitInMs, 0);
    // Full (1 ours + 3 phantoms + 1): the budget frees when the server said, at ratelimit-reset.
    assert.equal(take().waitInMs, 20_000);
    // The other two phantoms are spread evenly from there to the reading (at -10 s and +10 s from
    // our own request): the first of them is the next to leave, 40 s after ratelimit-reset.
    clock.now += 20_000;
    assert.equal(take().waitInMs, 0);
    assert.equal(take().waitInMs, 20_000);
  });

  it("puts phantoms in the short window too when they fall inside it", () => {
    const { clock, take, read } = setup();
    take();
    clock.now += 100;
    // Two unknown requests, made since our oldest: the 3-per-second window is full.
    read(5, 2, clock.now + 59_900);
    assert.equal(take().general, true);
    assert.ok(take().waitInMs > 0);
  });

  it("puts the oldest phantom at reset - window when it is older than our own entries", () => {
    const { clock, take, read } = setup(hourOnly);
    clock.now += 1_000;
    read(5, 0, clock.now + 30_000);
    // 5 counted, none ours: the budget frees exactly at ratelimit-reset.
    assert.equal(take().waitInMs, 30_000);
  });

  it("ignores stale readings that arrive after fresher ones", () => {
    const { clock, take, read } = setup(hourOnly);
    take();
    take();
    const reset = clock.now + 60_000;
    // The reading of the second request arrives first, then the older one of the first.
    read(5, 1, reset);
    read(5, 3, reset);
    // Still 4 counted (2 ours + 2 phantoms): one slot left.
    assert.equal(take().waitInMs, 0);
    clock.now += 1_000;
    assert.ok(take().waitInMs > 0);
  });

  it("lets the server win where it shows headroom our log does not, and follows ratelimit-limit", () => {
    const { clock, take, read } = setup(hourOnly);
    for (let i = 0; i < 3; i++) take();
    clock.now += 1_000;
    for (let i = 0; i < 2; i++) take();
    assert.ok(take().waitInMs > 0, "5 of 5 used locally");
    // A request sent and answered now: the server counts 2, not the 3 answered long before plus
    // this one (say one was refused), and allows 8 an hour.
    read(8, 6, clock.now + 59_000, clock.now);
    for (let i = 0; i < 5; i++) assert.equal(take().waitInMs, 0, `slot ${i}`);
    assert.ok(take().waitInMs > 0);
  });

  it("does not drop entries sent with or after the reading's request (the server may not have seen them yet)", () => {
    const { clock, take, read } = setup(hourOnly);
    const sentAt = clock.now;
    for (let i = 0; i < 3; i++) take();
    clock.now += 1_000;
    for (let i = 0; i < 2; i++) take();
    // The first request's answer, a second late: the server had counted only it.
    read(5, 4, clock.now + 59_000, sentAt);
    assert.ok(take().waitInMs > 0);
  });

  it("moves a request's entries to when its response arrived: the server counted it on arrival", () => {
    const { clock, store, take } = setup(hourOnly);
    const sent = take({}, false);
    for (let i = 0; i < 4; i++) take();
    clock.now += 300;
    store.observe("k", { reading: undefined, blockForMs: undefined, sentAt: sent.now, slot: sent.slot, demands: hourOnly });
    // Four entries expire 60 s after they were sent; the answered one 60 s after its answer.
    clock.now += 60_000 - 300;
    assert.equal(take().waitInMs, 0);
    for (let i = 0; i < 3; i++) take();
    assert.equal(take().waitInMs, 300);
  });

  it("keeps a request in flight from expiring until its answer, however slow", () => {
    const { clock, take } = setup(hourOnly);
    for (let i = 0; i < 5; i++) take({}, false);
    // A minute on, no answer yet: the server may still count them, so they still hold their slots.
    clock.now += 60_000;
    assert.ok(take().waitInMs > 0);
  });

  it("a 429 blocks every call until retry-after", () => {
    const { store, take } = setup();
    store.observe("k", { reading: undefined, blockForMs: 2_500, sentAt: 0, slot: "", demands: general });
    assert.deepEqual(take(), { waitInMs: 2_500, general: true, now: 1_000_000, slot: "" });
  });

  it("keeps a share of every limit for interactive calls", () => {
    const { take } = setup();
    const window: RateLimitWindow = { name: "wide", limit: 20, windowInMs: 1_000 };
    const demands = [{ window, cost: 1, general: true }];
    let background = 0;
    while (take({ demands, reserve: 0.25 }).waitInMs === 0) background++;
    assert.equal(background, 15);
    let interactive = 0;
    while (take({ demands }).waitInMs === 0) interactive++;
    assert.equal(interactive, 5);
  });
});

describe("rate limiter: DigitalOcean's rules", () => {
  const rules = compileRules(DIGITALOCEAN_RATE_LIMITS);
  const names = (method: string, path: string, body?: unknown) => rules.demandsOf(method, path, body).map(({ window, cost }) => `${window.name}×${cost}`);

  it("counts every request in the hour and minute windows, and the special routes in theirs", () => {
    assert.deepEqual(names("GET", "/v2/droplets"), ["hour×1", "minute×1"]);
    assert.deepEqual(names("POST", "/v2/floating_ips"), ["hour×1", "minute×1", "reserved-ip-create×1"]);
    assert.deepEqual(names("POST", "/v2/reserved_ips"), ["hour×1", "minute×1", "reserved-ip-create×1"]);
    assert.deepEqual(names("GET", "/v2/reserved_ips"), ["hour×1", "minute×1"]);
    assert.deepEqual(names("GET", "/v2/account/keys"), ["hour×1", "minute×1", "ssh-keys-list×1"]);
    assert.deepEqual(names("GET", "/v2/account/keys/12"), ["hour×1", "minute×1"]);
    assert.deepEqual(names("GET", "/v2/cdn/endpoints/abc"), ["hour×1", "minute×1", "cdn-endpoints×1"]);
    assert.deepEqual(names("GET", "/v2/cdn/endpointsX"), ["hour×1", "minute×1"]);
  });

  it("counts a CDN purge's files entries, not the request", () => {
    assert.deepEqual(names("DELETE", "/v2/cdn/endpoints/abc/cache", JSON.stringify({ files: ["a.css", "b/*", "c.js"] })), [
      "hour×1",
      "minute×1",
      "cdn-endpoints×1",
      "cdn-purge-files×3",
    ]);
  });

  it("refuses rules that cannot work, naming them", () => {
    assert.throws(() => compileRules({ windows: [], routes: [] }), /at least one window/);
    assert.throws(() => compileRules({ windows: [{ name: "w", limit: 0, windowInMs: 1 }], routes: [] }), /"w" needs a positive integer limit/);
    assert.throws(() => compileRules({ windows: [{ name: "w", limit: 1, windowInMs: -1 }], routes: [] }), /"w" needs a positive windowInMs/);
    assert.throws(
      () => compileRules({ windows: [{ name: "w", limit: 1, windowInMs: 1 }], routes: [{ name: "w", limit: 2, windowInMs: 1, path: "/x" }] }),
      /two windows named "w"/,
    );
  });
});
