// Importing nock (as the nock-based test files do) activates it for the whole process; suites that
// need it turn it on themselves (test/support/nock.ts). Off by default, every other suite talks to
// real sockets.
exports.mochaHooks = {
  beforeAll() {
    require("nock").restore();
  },
};
