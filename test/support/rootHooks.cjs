// Importing nock (as the nock-based test files do) activates it for the whole process; suites that
// need it turn it on themselves (test/support/nock.ts). Off by default, every other suite talks to
// real sockets.
//
// Clients with the same token share one rate budget per process; tests reuse tokens, so each test
// starts with a fresh budget (a 429 one test provokes would otherwise hold back the next).
exports.mochaHooks = {
  beforeAll() {
    require("nock").restore();
  },
  afterEach() {
    require("../../build/src/pipeline/rateLimitPolicy.js").defaultRateLimitStore.clear();
  },
};
