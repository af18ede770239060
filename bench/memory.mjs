// Peak resident memory (max RSS) of a full apply through the built CLI on a fresh sandbox,
// next to a bare `node -e 0` measured the same way. Measured by `/usr/bin/time -v` (the kernel's
// own accounting of the process) when it exists, else by a preload that reports
// process.resourceUsage().maxRSS at exit. The sandbox is embedded in the CLI process (that is
// how `--sandbox` runs), so the figure includes the emulated clouds: an upper bound for the
// product alone. Target: < 250 MB. Needs `npm run build` first.
import { loadavg } from "node:os";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { bin, cleanEnv, freshDir } from "./lib/cli.mjs";

const timeBin = "/usr/bin/time";
// BENCH_MAXRSS=hook forces the in-process measurement (e.g. to compare the two).
const useTime =
  process.env.BENCH_MAXRSS !== "hook" &&
  existsSync(timeBin) &&
  spawnSync(timeBin, ["-v", "true"]).status === 0;

function peakMB(args, cwd) {
  if (useTime) {
    const r = spawnSync(timeBin, ["-v", process.execPath, ...args], {
      cwd,
      env: cleanEnv(),
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr.slice(-1500)}`);
    const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
    return kb / 1024;
  }
  const hook = join(cwd, "max-rss-hook.mjs");
  writeFileSync(
    hook,
    'process.on("exit", () => process.stderr.write(`\\nmaxRSS=${process.resourceUsage().maxRSS}\\n`));\n',
  );
  const r = spawnSync(process.execPath, ["--import", hook, ...args], {
    cwd,
    env: cleanEnv(),
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr.slice(-1500)}`);
  return Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1]) / 1024;
}

const cwd = freshDir("memory");
const bare = peakMB(["-e", "0"], cwd);
const apply = peakMB([bin, "apply", "--sandbox=sb", "--non-interactive", "--yes", "--output", "json"], cwd);
const rerun = peakMB([bin, "apply", "--sandbox=sb", "--non-interactive", "--yes", "--output", "json"], cwd);
const mb = (x) => Number(x.toFixed(1));
console.log(
  JSON.stringify({
    bench: "memory",
    loadAverage1m: Number(loadavg()[0].toFixed(1)),
    method: useTime ? "/usr/bin/time -v (max RSS)" : "process.resourceUsage().maxRSS at exit",
    nodeBareMB: mb(bare),
    fullApplyPeakMB: mb(apply),
    noopRerunPeakMB: mb(rerun),
    target: "fullApplyPeakMB < 250",
    ok: apply < 250,
    note: "CLI and embedded sandbox share the process",
  }),
);
