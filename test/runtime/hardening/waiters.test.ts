// Waiters under a careless caller and a hostile server (issue 20, section 3): aborted waiters and
// the shared poll schedule, a thousand actions at once, and errors carrying resources with secrets.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { Console } from "node:console";
import { format, inspect } from "node:util";
import { waitForActions, type ActionState } from "../../../src/core/actions.js";
import { systemClock, type Clock } from "../../../src/core/clock.js";
import { PollSchedule } from "../../../src/core/pollSchedule.js";
import { waitUntilDone, type PollTarget } from "../../../src/core/waiter.js";
import { AbortError, ActionFailedError, DigitalOceanClient, NotFoundError, WaitFailedError, WaitTimeoutError } from "../../../src/index.js";
import { VirtualClock } from "../../../src/testing/virtualClock.js";
import { startServer, TOKEN, type TestServer } from "../policies/support.js";
import { assertSecretFree } from "./support.js";

/** Marks a wait's rejection as observed (the test asserts it after moving the clock). */
function observed<T>(waiting: Promise<T>): Promise<T> {
  waiting.catch(() => undefined);
  return waiting;
}

/** Actions that stay in progress; records when each id was read (virtual time). */
function inProgress(clock: VirtualClock) {
  const reads: { id: number; at: number }[] = [];
  const read = async (id: number): Promise<ActionState> => {
    reads.push({ id, at: clock.now() });
    return { id, type: "create", status: "in-progress" };
  };
  return { read, reads, firstReadOf: (id: number) => reads.find((entry) => entry.id === id)?.at };
}

/** CPU time (user + system) spent while `work` runs, in ms. */
async function cpuOf<T>(work: () => Promise<T>): Promise<{ result: PromiseSettledResult<T>; cpuMs: number; wallMs: number }> {
  const cpu = process.cpuUsage();
  const started = Date.now();
  const [result] = await Promise.allSettled([work()]);
  const used = process.cpuUsage(cpu);
  return { result: result!, cpuMs: (used.user + used.system) / 1000, wallMs: Date.now() - started };
}

describe("hardening: waiters", () => {
  describe("the shared poll schedule (virtual clock, 120 polls a minute: one slot per 500 ms)", () => {
    let clock: VirtualClock;
    let context: { schedule: PollSchedule };
    beforeEach(() => {
      clock = new VirtualClock(0);
      context = { schedule: new PollSchedule(clock) };
    });

    /** Starts `count` waits of one action each, every one on its own signal. */
    function startWaits(read: (id: number) => Promise<ActionState>, count: number) {
      const controllers = Array.from({ length: count }, () => new AbortController());
      const waits = controllers.map((controller, index) => observed(waitForActions(read, [index + 1], { abortSignal: controller.signal, timeoutInMs: 3_600_000 }, context)));
      return { abortAll: () => controllers.forEach((controller) => controller.abort()), waits };
    }

    it("defect: after 40 waiters queued for their first poll are aborted, the next wait polls on time (it starved for 20 s)", async () => {
      const { read, firstReadOf } = inProgress(clock);
      const { abortAll, waits } = startWaits(read, 40);
      await clock.advance(100);
      abortAll();
      for (const wait of waits) await assert.rejects(wait, AbortError);
      const startedAt = clock.now();
      const next = observed(waitForActions(read, [1000], { timeoutInMs: 60_000 }, context));
      await clock.advance(2000);
      const polledAt = firstReadOf(1000);
      assert.ok(polledAt !== undefined && polledAt - startedAt <= 500, `the next wait first polled ${polledAt === undefined ? "never" : `${polledAt - startedAt} ms`} after it started`);
      await clock.runUntilIdle();
      await assert.rejects(next, WaitTimeoutError);
    });

    it("defect: after 40 waiters between polls are aborted, the next wait polls on time (their next slots stayed taken)", async () => {
      const { read, reads, firstReadOf } = inProgress(clock);
      const { abortAll, waits } = startWaits(read, 40);
      await clock.advance(30_000);
      assert.ok(new Set(reads.map((entry) => entry.id)).size === 40, "every waiter polled at least once");
      abortAll();
      for (const wait of waits) await assert.rejects(wait, AbortError);
      const startedAt = clock.now();
      const next = observed(waitForActions(read, [1000], { timeoutInMs: 60_000 }, context));
      await clock.advance(2000);
      const polledAt = firstReadOf(1000);
      assert.ok(polledAt !== undefined && polledAt - startedAt <= 500, `the next wait first polled ${polledAt === undefined ? "never" : `${polledAt - startedAt} ms`} after it started`);
      await clock.runUntilIdle();
      await assert.rejects(next, WaitTimeoutError);
    });

    it("defect: a wait queued behind 40 waiters moves up as soon as they are aborted", async () => {
      const { read, firstReadOf } = inProgress(clock);
      const { abortAll } = startWaits(read, 40);
      const behind = observed(waitForActions(read, [1000], { timeoutInMs: 60_000 }, context));
      await clock.advance(1000);
      abortAll();
      const abortedAt = clock.now();
      await clock.advance(2000);
      const polledAt = firstReadOf(1000);
      assert.ok(polledAt !== undefined && polledAt - abortedAt <= 500, `the queued wait first polled ${polledAt === undefined ? "never" : `${polledAt - abortedAt} ms`} after the others were aborted`);
      await clock.runUntilIdle();
      await assert.rejects(behind, WaitTimeoutError);
    });

    it("defect: 40 waits on one caller signal, aborted together, leave the schedule free", async () => {
      const { read, firstReadOf } = inProgress(clock);
      const controller = new AbortController();
      const together = observed(waitForActions(read, Array.from({ length: 40 }, (_, index) => index + 1), { abortSignal: controller.signal }, context));
      await clock.advance(3000);
      controller.abort();
      await assert.rejects(together, AbortError);
      const startedAt = clock.now();
      const next = observed(waitForActions(read, [1000], { timeoutInMs: 60_000 }, context));
      await clock.advance(2000);
      const polledAt = firstReadOf(1000);
      assert.ok(polledAt !== undefined && polledAt - startedAt <= 500, `the next wait first polled ${polledAt === undefined ? "never" : `${polledAt - startedAt} ms`} after it started`);
      await clock.runUntilIdle();
      await assert.rejects(next, WaitTimeoutError);
    });

    it("defect: a waiter sleeping a long interval holds no slot meanwhile (a new wait used to queue behind its next poll)", async () => {
      const { read, firstReadOf } = inProgress(clock);
      const slow = observed(waitForActions(read, [1], { pollIntervalInMs: 60_000, timeoutInMs: 600_000 }, context));
      await clock.advance(1000);
      const next = observed(waitForActions(read, [2], { timeoutInMs: 60_000 }, context));
      await clock.advance(1000);
      assert.equal(firstReadOf(2), 1000);
      await clock.runUntilIdle();
      await assert.rejects(slow, WaitTimeoutError);
      await assert.rejects(next, WaitTimeoutError);
    });

    it("aborted waiters in line (real clock) leave no timer behind", async () => {
      const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
      await new Promise((resolve) => setImmediate(resolve)); // mocha arms its own test timer meanwhile
      const before = timers();
      const schedule = new PollSchedule(systemClock);
      const read = async (id: number): Promise<ActionState> => ({ id, type: "create", status: "in-progress" });
      const controller = new AbortController();
      const waits = Array.from({ length: 40 }, (_, index) => observed(waitForActions(read, [index + 1], { abortSignal: controller.signal }, { schedule })));
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(timers() > before + 30, `${timers() - before} timers while 40 waiters are in line`);
      controller.abort();
      for (const wait of waits) await assert.rejects(wait, AbortError);
      assert.equal(timers(), before);
    });

    it("waiters in line end with the clock's error when its sleeps end early (a closed client's clock does that)", async () => {
      const { read } = inProgress(clock);
      let close!: (error: Error) => void;
      const closed = new Promise<never>((_resolve, reject) => (close = reject));
      closed.catch(() => undefined);
      const closing: Clock = {
        now: () => clock.now(),
        sleep: (ms, signal) => Promise.race([clock.sleep(ms, signal), closed]),
        track: (work) => clock.track(work),
      };
      const schedule = new PollSchedule(closing);
      // Separate waits: in one wait, the first target the error reaches would stop the others.
      const waits = Array.from({ length: 10 }, (_, index) => observed(waitForActions(read, [index + 1], { timeoutInMs: 3_600_000 }, { schedule })));
      await clock.advance(1000);
      const error = new Error("the client is closed");
      close(error);
      await clock.advance(0);
      const settled = await Promise.race([Promise.allSettled(waits), new Promise((resolve) => setTimeout(resolve, 200, "still waiting"))]);
      assert.ok(Array.isArray(settled), "waiters in line were still waiting after their clock ended its sleeps");
      for (const result of settled) assert.ok(result.status === "rejected" && result.reason === error, String(result.status === "rejected" ? result.reason : "resolved"));
    });

    it("still spaces every poll of the client 500 ms apart, and a queued waiter still times out on time", async () => {
      const { read, reads } = inProgress(clock);
      const waiting = observed(waitForActions(read, Array.from({ length: 30 }, (_, index) => index + 1), { pollIntervalInMs: 0, timeoutInMs: 10_000 }, context));
      await clock.runUntilIdle();
      await assert.rejects(waiting, WaitTimeoutError);
      assert.equal(clock.now(), 10_000);
      const times = reads.map((entry) => entry.at);
      for (let index = 1; index < times.length; index++) assert.ok(times[index]! - times[index - 1]! >= 500, `polls at ${times[index - 1]} and ${times[index]}`);
      assert.ok(reads.length >= 19 && reads.length <= 21, `${reads.length} polls in 10 s`);
    });
  });

  describe("a thousand actions at once", () => {
    let server: TestServer;
    before(async () => {
      server = await startServer((req, res) => {
        const id = Number(/^\/v2\/actions\/(\d+)$/.exec(req.url ?? "")?.[1]);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ action: { id, status: "in-progress", type: "create" } }));
      });
    });
    after(() => server.close());

    const ids = Array.from({ length: 1000 }, (_, index) => ({ id: index + 1 }));

    it("defect: waitForAction over 1,000 actions with timeoutInMs 1000 rejects within the timeout plus one poll interval, CPU under 1 s (it took 7.7 s)", async () => {
      const client = new DigitalOceanClient(TOKEN, { endpoint: server.url, allowInsecureConnection: true });
      try {
        const { result, cpuMs, wallMs } = await cpuOf(() => client.waitForAction(ids, { timeoutInMs: 1000 }));
        assert.equal(result.status, "rejected");
        assert.ok((result as PromiseRejectedResult).reason instanceof WaitTimeoutError, String((result as PromiseRejectedResult).reason));
        // The timeout (1 s) plus the first poll interval (1 s), and a margin for a busy machine.
        assert.ok(wallMs < 2500, `rejected after ${wallMs} ms`);
        assert.ok(cpuMs < 1000, `${Math.round(cpuMs)} ms of CPU`);
      } finally {
        await client.close();
      }
    });

    it("defect: a caller's abort of 1,000 actions, or one of them failing, stops them all in linear time", async () => {
      const read = async (id: number): Promise<ActionState> => ({ id, type: "create", status: id === 1000 ? "errored" : "in-progress" });
      const failing = await cpuOf(() => waitForActions(read, ids.map((entry) => entry.id), { timeoutInMs: 60_000 }, { schedule: new PollSchedule(systemClock, 60_000_000) }));
      assert.ok(failing.result.status === "rejected" && failing.result.reason instanceof ActionFailedError, String((failing.result as PromiseRejectedResult).reason));
      assert.ok(failing.cpuMs < 1000, `${Math.round(failing.cpuMs)} ms of CPU to fail`);

      const controller = new AbortController();
      const aborted = await cpuOf(() => {
        const waiting = waitForActions(read, ids.slice(0, 999).map((entry) => entry.id), { abortSignal: controller.signal }, { schedule: new PollSchedule(systemClock) });
        setTimeout(() => controller.abort(), 50);
        return waiting;
      });
      assert.ok(aborted.result.status === "rejected" && aborted.result.reason instanceof AbortError, String((aborted.result as PromiseRejectedResult).reason));
      assert.ok(aborted.cpuMs < 1000, `${Math.round(aborted.cpuMs)} ms of CPU to abort`);
      assert.ok(aborted.wallMs < 1000, `aborted after ${aborted.wallMs} ms`);
    });
  });

  describe("option bounds", () => {
    it("defect: a timeoutInMs or pollIntervalInMs past Node's longest timer (24.8 days) is refused, not a timeout at once", async () => {
      const reads: number[] = [];
      const read = async (id: number): Promise<ActionState> => (reads.push(id), { id, type: "create", status: "in-progress" });
      const schedule = new PollSchedule(systemClock);
      for (const options of [{ timeoutInMs: 30 * 86_400_000 }, { timeoutInMs: 2 ** 31 }, { pollIntervalInMs: 3e9 }]) {
        // The abort only ends a wait that was not refused.
        const error = await waitForActions(read, [1], { ...options, abortSignal: AbortSignal.timeout(300) }, { schedule }).then(
          () => assert.fail("the wait resolved"),
          (caught: Error) => caught,
        );
        assert.ok(error instanceof TypeError && !(error instanceof WaitTimeoutError), `${JSON.stringify(options)}: ${String(error)}`);
        assert.match(error.message, /timeoutInMs|pollIntervalInMs/);
        assert.ok(error.message.length < 300);
      }
      assert.deepEqual(reads, []);
      // The grace is only compared with the clock: any finite length is fine.
      const controller = new AbortController();
      const waiting = observed(waitForActions(read, [2], { notFoundGraceInMs: 3e9, timeoutInMs: 2 ** 31 - 1, abortSignal: controller.signal } as never, { schedule }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort();
      await assert.rejects(waiting, AbortError);
      assert.deepEqual(reads, [2]);
    });
  });

  describe("errors that carry a resource with secrets", () => {
    const SECRETS = [
      "pg-SECRET-password-5d1c",
      "postgresql://doadmin:pg-uri-SECRET-77aa@db.example:25060/defaultdb",
      "pg-private-SECRET-90ff",
      "postgresql://doadmin:private-uri-SECRET-3b2e@private-db.example:25060/defaultdb",
      "user-SECRET-password-c0de",
      "apiVersion: v1\nclusters: kubeconfig-SECRET-token-e1e1",
      "#cloud-config user-data-SECRET-4242",
      "mysql-SECRET-key-a9a9",
    ];
    /** A database cluster as the API returns it right after its create, and more. */
    const database = () => ({
      id: "9cc10173-e9ea-4176-9dbc-a4cee4c4ff30",
      name: "backend-db",
      engine: "pg",
      status: "creating",
      connection: { uri: SECRETS[1], database: "defaultdb", host: "db.example", port: 25060, user: "doadmin", password: SECRETS[0], ssl: true },
      private_connection: { uri: SECRETS[3], host: "private-db.example", user: "doadmin", password: SECRETS[2] },
      users: [{ name: "doadmin", role: "primary", password: SECRETS[4], mysql_settings: { auth_plugin: "caching_sha2_password" }, access_key: SECRETS[7] }],
      kubeconfig: SECRETS[5],
      user_data: SECRETS[6],
    });

    /** Every way a program, a logger or an error reporter shows an error, beyond assertSecretFree's. */
    function views(error: Error): Record<string, string> {
      let logged = "";
      const sink = new Writable({ write: (chunk, _encoding, done) => void ((logged += String(chunk)), done()) });
      const logger = new Console({ stdout: sink, stderr: sink });
      logger.log(error);
      logger.error("failed:", error);
      logger.dir(error, { depth: Infinity, showHidden: true });
      const clone = structuredClone(error);
      const record: Record<string, string> = {
        "console.log": logged,
        "format(%o)": format("%o", error),
        "format(%j)": format("%j", error),
        "JSON.stringify(err, null, 2)": JSON.stringify(error, null, 2),
        "JSON.stringify({ ...err })": JSON.stringify({ ...error }),
        "for-in keys": JSON.stringify(Object.fromEntries(Object.keys(Object.assign({}, error)).map((key) => [key, (error as unknown as Record<string, unknown>)[key]]))),
        "structuredClone: message, stack, String, JSON, inspect": [clone.message, clone.stack, String(clone), JSON.stringify(clone), inspect(clone, { showHidden: true, depth: Infinity })].join("\n"),
      };
      for (const depth of [0, 1, 2, 5, Infinity]) {
        for (const options of [{}, { showHidden: true }, { showHidden: true, getters: true }, { showHidden: true, getters: true, customInspect: false }]) {
          record[`inspect(depth ${depth}, ${JSON.stringify(options)})`] = inspect(error, { depth, ...options });
        }
      }
      return record;
    }

    function assertNoSecretShows(error: Error): void {
      assertSecretFree(error, SECRETS);
      for (const [view, text] of Object.entries(views(error))) {
        for (const secret of SECRETS) assert.ok(!text.includes(secret), `${error.name}'s ${view} shows ${JSON.stringify(secret)}:\n${text.slice(0, 2000)}`);
      }
    }

    /** The visible, non-secret facts: id, name and state in inspect, JSON and the message. */
    function assertUsefulFactsShow(error: WaitFailedError | WaitTimeoutError, state: string): void {
      const shown = `${inspect(error)}\n${JSON.stringify(error)}`;
      for (const fact of ["9cc10173-e9ea-4176-9dbc-a4cee4c4ff30", "backend-db", state]) assert.ok(shown.includes(fact), `${fact} does not show in:\n${shown}`);
      assert.equal(error.state, state);
      assert.equal(error.resourceId, "9cc10173-e9ea-4176-9dbc-a4cee4c4ff30");
      assert.equal(error.resourceName, "backend-db");
      assert.ok(error.message.includes(state), error.message);
    }

    /** A target reading `answers` in turn (a 404 for `undefined`), judged as a database cluster is. */
    function databaseTarget(answers: (object | undefined)[]): PollTarget<Record<string, unknown>> {
      return {
        label: "database cluster 9cc10173",
        read: async () => {
          const answer = answers.length > 1 ? answers.shift() : answers[0];
          if (answer === undefined) throw new NotFoundError("404 not found (GET /v2/databases/9cc10173)", 404, { id: "not_found" });
          return answer as Record<string, unknown>;
        },
        judge: (resource) => ({ verdict: resource.status === "online" ? "success" : resource.status === "errored" ? "failure" : "retry", state: resource.status as string }),
        onNotFound: "failure",
        firstIntervalInMs: 1000,
        maxIntervalInMs: 5000,
      };
    }

    async function rejectionOf(target: PollTarget<Record<string, unknown>>, options: { timeoutInMs: number; notFoundGraceInMs?: number }): Promise<Error> {
      const clock = new VirtualClock(0);
      const waiting = observed(waitUntilDone([target], options, { schedule: new PollSchedule(clock), defaultTimeoutInMs: 60_000 }));
      await clock.runUntilIdle();
      return waiting.then(
        () => assert.fail("the wait resolved"),
        (error: Error) => error,
      );
    }

    it("defect: a WaitTimeoutError carrying a database cluster shows none of its secrets in any view", async () => {
      const error = await rejectionOf(databaseTarget([database()]), { timeoutInMs: 10_000 });
      assert.ok(error instanceof WaitTimeoutError, String(error));
      assertNoSecretShows(error);
      assertUsefulFactsShow(error, "creating");
    });

    it("defect: a WaitFailedError for a failure state shows none of the resource's secrets in any view", async () => {
      const error = await rejectionOf(databaseTarget([database(), { ...database(), status: "errored" }]), { timeoutInMs: 60_000 });
      assert.ok(error instanceof WaitFailedError, String(error));
      assertNoSecretShows(error);
      assertUsefulFactsShow(error, "errored");
    });

    it("defect: a WaitFailedError for a 404 after the grace shows none of the last seen resource's secrets", async () => {
      const error = await rejectionOf(databaseTarget([database(), undefined]), { timeoutInMs: 60_000, notFoundGraceInMs: 0 });
      assert.ok(error instanceof WaitFailedError, String(error));
      assert.equal(error.state, "not_found");
      assert.ok(error.cause instanceof NotFoundError);
      assertNoSecretShows(error);
      assert.equal(error.resourceName, "backend-db");
      assert.equal((error.getResource() as { connection: { password: string } }).connection.password, SECRETS[0]);
    });

    it("hands the resource, secrets and all, to code that asks for it with getResource()", async () => {
      const seen = database();
      const timedOut = await rejectionOf(databaseTarget([seen]), { timeoutInMs: 10_000 });
      assert.ok(timedOut instanceof WaitTimeoutError);
      assert.deepEqual(timedOut.getResource(), seen);
      assert.equal((timedOut.getResource() as ReturnType<typeof database>).users[0]!.password, SECRETS[4]);
      const failed = new WaitFailedError("database cluster x is errored", seen, "errored");
      assert.equal(failed.getResource(), seen);
      // None of the error's own properties leads to it; a clone does not carry it.
      assert.ok(!Reflect.ownKeys(failed).some((key) => (failed as unknown as Record<PropertyKey, unknown>)[key] === seen));
      assert.equal((structuredClone(failed) as Partial<WaitFailedError>).getResource, undefined);
      assert.equal(new WaitTimeoutError("x", 5, undefined, undefined).getResource(), undefined);
    });

    it("defect: a resource passed where its id belongs is refused without echoing it (its passwords were in the TypeError)", async () => {
      const server = await startServer((_req, res) => void res.end("{}"));
      const client = new DigitalOceanClient(TOKEN, { endpoint: server.url, allowInsecureConnection: true });
      const huge = { id: `x${"y".repeat(5_000_000)}` };
      try {
        const refusals: [string, () => Promise<unknown>][] = [
          ["waitForAction(database)", () => client.waitForAction(database() as never)],
          ["waitForAction([database])", () => client.waitForAction([database()] as never)],
          ["waitForAction([{ id: 5 MB }])", () => client.waitForAction([huge] as never)],
          ["waitFor.databaseCluster(database)", () => client.waitFor.databaseCluster(database() as never)],
          ["waitFor.databaseCluster(5 MB id, extra)", () => (client.waitFor.databaseCluster as (...args: unknown[]) => Promise<unknown>)(huge.id, "x", {})],
        ];
        for (const [call, refused] of refusals) {
          const error = await refused().then(
            () => assert.fail(`${call} resolved`),
            (caught: Error) => caught,
          );
          assert.ok(error instanceof TypeError, `${call}: ${String(error)}`);
          assert.ok(error.message.length < 300, `${call}: a ${error.message.length}-character message`);
          for (const secret of SECRETS) assert.ok(!error.message.includes(secret), `${call}: ${error.message}`);
          assert.ok(!error.message.includes("yyyy"), `${call}: ${error.message.slice(0, 300)}`);
        }
        assert.equal(server.requests.length, 0);
      } finally {
        await client.close();
        await server.close();
      }
    });

    it("defect: a resource waiter's timeout through the client, on a loopback server, shows no secret", async () => {
      const server = await startServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ database: database() }));
      });
      const client = new DigitalOceanClient(TOKEN, { endpoint: server.url, allowInsecureConnection: true });
      try {
        const error = await client.waitFor.databaseCluster("9cc10173-e9ea-4176-9dbc-a4cee4c4ff30", { timeoutInMs: 300 }).then(
          () => assert.fail("the wait resolved"),
          (caught: Error) => caught,
        );
        assert.ok(error instanceof WaitTimeoutError, String(error));
        assertNoSecretShows(error);
        assertUsefulFactsShow(error, "creating");
        assert.equal((error.getResource() as { connection?: { password?: string } }).connection?.password, SECRETS[0]);
      } finally {
        await client.close();
        await server.close();
      }
    });
  });
});
