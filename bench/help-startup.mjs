// `aks-bootstrap --help` start-up time as a ratio to a bare `node -e 0`, measured side by side
// (interleaved runs, median of each). Needs `npm run build` first. Target: at most 3x.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../bin/aks-bootstrap.js", import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 15);

function time(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bare = [];
const help = [];
const version = [];
time(["-e", "0"]); // warm the file cache
time([bin, "--help"]);
for (let i = 0; i < runs; i++) {
  bare.push(time(["-e", "0"]));
  help.push(time([bin, "--help"]));
  version.push(time([bin, "--version"]));
}
const b = median(bare);
const result = {
  bench: "help-startup",
  runs,
  nodeBareMs: +b.toFixed(1),
  helpMs: +median(help).toFixed(1),
  versionMs: +median(version).toFixed(1),
  helpRatio: +(median(help) / b).toFixed(2),
  versionRatio: +(median(version) / b).toFixed(2),
  target: "helpRatio <= 3",
};
console.log(JSON.stringify(result));
