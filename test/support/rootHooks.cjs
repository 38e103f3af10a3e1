// Importing nock (as the nock-based test files do) activates it for the whole process; suites that
// need it turn it on themselves (test/support/nock.ts). Off by default, every other suite talks to
// real sockets.
//
// tsdo loads @azure/core-rest-pipeline with the first request (src/core/azureCore.ts); the suites
// run with it loaded, as an application is once it has sent anything. The state before that is
// tested in fresh processes (test/runtime/startup.test.ts).
//
// Clients with the same token share one rate budget per process; tests reuse tokens, so each test
// starts with a fresh budget (a 429 one test provokes would otherwise hold back the next).
exports.mochaHooks = {
  async beforeAll() {
    require("nock").restore();
    await require("../../build/src/core/azureCore.js").loadCore();
  },
  afterEach() {
    require("../../build/src/pipeline/rateLimitPolicy.js").defaultRateLimitStore.clear();
  },
};
