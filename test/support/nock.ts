import nock from "nock";

/**
 * Turns nock on for the enclosing suite only. While active, nock replaces Node's sockets for every
 * request in the process (passing allowed hosts through its own socket stand-ins), so suites that
 * test real transport behaviour (resets, stalls, keep-alive) must run with it off: the root hook in
 * `rootHooks.cjs` turns it off once every test file has loaded (importing nock turns it on).
 */
export function useNock(): void {
  before(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => nock.cleanAll());
  after(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
  });
}
