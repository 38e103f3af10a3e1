// Mocha's dot reporter, plus a results file per run so .ci/run can print one
// "N passed, N failed" line over every suite `npm test` runs (unit and conformance).
const { mkdirSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const Mocha = require("mocha");

class SummaryReporter extends Mocha.reporters.Dot {
  constructor(runner, options) {
    super(runner, options);
    const suite = (options.reporterOptions && options.reporterOptions.suite) || "unit";
    runner.once("end", () => {
      const dir = join(__dirname, "..", "..", "build", "results");
      mkdirSync(dir, { recursive: true });
      const { passes, failures, pending } = runner.stats;
      writeFileSync(join(dir, `${suite}.json`), JSON.stringify({ passed: passes, failed: failures, skipped: pending }) + "\n");
    });
  }
}

module.exports = SummaryReporter;
