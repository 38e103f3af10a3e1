// The process's peak RSS in KiB. On Linux, getrusage's maxRSS of a spawned child starts at its
// parent's peak (it survives fork and exec), so a probe spawned by the bench would report the
// bench's own size; /proc/self/status's VmHWM belongs to this process alone.
const { readFileSync } = require("node:fs");

exports.peakRssKb = function peakRssKb() {
  try {
    return Number(/VmHWM:\s*(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))[1]);
  } catch {
    return process.resourceUsage().maxRSS;
  }
};
