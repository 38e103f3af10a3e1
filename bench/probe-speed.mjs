// One fresh process per client and repetition: warm up, then measure at each concurrency. A client
// alone in its process, as in an application; no other client's code, heap or JIT state around it.
import { checkDroplets, clients } from "./clients.mjs";

const [name, origin, warmupMs, measureMs] = process.argv.slice(2);
const call = await clients.find((c) => c.name === name).create(origin);
checkDroplets(name, await call());

/** Calls at `concurrency` for `ms`; requests/s and this process's CPU (user + system) per call. */
async function drive(concurrency, ms) {
  let calls = 0;
  let stop = false;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const timer = setTimeout(() => (stop = true), ms);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!stop) {
        if ((await call()).length !== 20) throw new Error(`${name}: a page without 20 droplets`);
        calls++;
      }
    }),
  );
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { calls, rps: calls / seconds, cpuUs: (used.user + used.system) / calls };
}

const result = { calls: 1 };
for (const concurrency of [1, 16]) {
  const warm = await drive(concurrency, Number(warmupMs));
  const run = await drive(concurrency, Number(measureMs));
  result.calls += warm.calls + run.calls;
  result[concurrency] = { rps: run.rps, cpuUs: run.cpuUs };
}
console.log(JSON.stringify(result));
