import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

// Under `exactOptionalPropertyTypes`, `foo?: T` refuses `foo: undefined`, so a user's
// `byPage({ continuationToken: saved?.token })` does not compile. Every optional member of the
// public surface's hand-written options and settings must take `undefined` (and the code must read
// `undefined` as "not given"). This reads the API reports (review/*.api.md, the public surface as
// api-extractor sees it), so a new option without `| undefined` fails here.

const root = resolve(__dirname, "../../..");
const reports = ["tsdo", "tsdo-testing", "tsdo-undici", "tsdo-redis"].map((name) => join(root, "review", `${name}.api.md`));

/** Generated declarations: models are the API's own shapes (request and answer bodies), from codegen. */
const generated = new Set(
  readdirSync(join(root, "src/models"))
    .filter((file) => file.endsWith(".ts"))
    .flatMap((file) => [...readFileSync(join(root, "src/models", file), "utf8").matchAll(/^export (?:interface|type) (\w+)/gm)].map((match) => match[1]!)),
);

/**
 * Declarations whose optional members describe what something holds, not what a caller passes;
 * `?: T` says exactly that the member may be absent.
 */
const answers: ReadonlyMap<string, string> = new Map([
  ["ServerSentEvent", "an event as parsed from the stream"],
  ["FakeApp", "the fake's stored state"],
  ["FakeBackupPolicy", "the fake's stored state"],
  ["FakeFirewallRuleTarget", "the fake's stored state"],
  ["FakeKubernetesCluster", "the fake's stored state"],
]);

/**
 * Seeds of the fake: request bodies of the resources they stand for (read the way the fake reads a
 * create's body, where `undefined` is absent), not yet widened; see issue 21's report.
 */
const seeds = new Set(["FakeSeed", "DropletSeed", "VolumeSeed", "FirewallSeed", "DatabaseClusterSeed", "LoadBalancerSeed", "CertificateSeed"]);

interface Offence {
  readonly report: string;
  readonly declaration: string;
  readonly line: string;
}

function offences(): Offence[] {
  const found: Offence[] = [];
  for (const path of reports) {
    let declaration = "";
    for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
      const start = /^(?:export )?(?:declare )?(?:abstract )?(?:interface|type|class|function|const) (\w+)/.exec(line);
      if (start) declaration = start[1]!;
      // A property (not a parameter: those sit after `(` or `,` on a signature's line).
      const member = /^\s+(?:readonly )?[\w$"]+\?: (.*);$/.exec(line);
      if (!member) continue;
      const type = member[1]!;
      if (/\bundefined\b|^unknown$|^any$/.test(type)) continue;
      // Generated bodies (and the `stream` switch generated operations add to them) are codegen's.
      if ((generated.has(declaration) && !declaration.endsWith("Params")) || declaration.endsWith("Operations")) continue;
      if (answers.has(declaration) || seeds.has(declaration)) continue;
      found.push({ report: path.slice(root.length + 1), declaration, line: line.trim() });
    }
  }
  return found;
}

describe("optional members of the public surface take undefined", () => {
  it("every optional member of a hand-written option or settings type, and of every generated *Params, is `?: T | undefined`", () => {
    const found = offences();
    assert.deepEqual(
      found.map((offence) => `${offence.report} ${offence.declaration}: ${offence.line}`),
      [],
      "add `| undefined` (and read undefined as not given), then npm run api-report",
    );
  });

  it("no options or settings type is re-exported as is from another package (whose members may refuse undefined)", () => {
    const main = readFileSync(reports[0]!, "utf8");
    // api-extractor imports a re-exported type without `type`: `import { PageSettings } from '@azure/core-paging'`.
    const reexported = [...main.matchAll(/^import \{ (\w+) \} from '([^']+)';\r?$/gm)].map((match) => `${match[1]} (${match[2]})`).filter((name) => /Settings|Options/.test(name));
    assert.deepEqual(reexported, []);
  });

  it("the check sees the declarations it is about", () => {
    // Guards the parser: these are in the reports, with optional members.
    const text = reports.map((path) => readFileSync(path, "utf8")).join("\n");
    for (const name of ["PageSettings", "GeneratedClientOptions", "WaitOptions", "FakeDigitalOceanOptions", "UndiciHttpClientOptions", "RedisRateLimitStoreOptions"]) {
      assert.match(text, new RegExp(`export (?:interface|type) ${name}\\b`), name);
    }
  });
});
