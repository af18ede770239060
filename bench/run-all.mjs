// Runs every bench script in bench/ (not this one, not bench/lib/), one after another so they do
// not compete for the CPU, and prints ONE compact JSON line per bench, in file-name order. A
// bench that fails prints {"bench", "error"} and makes the exit code 1; a missed target does
// not (its line says "ok": false). Needs `npm run build` first (`npm run bench` does it).
// Long sweeps (chaos-sweep: 100 seeded applies, minutes) print a "skipped" line unless named
// (`node bench/run-all.mjs chaos-sweep`) or BENCH_INCLUDE_LONG=1.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith(".mjs") && f !== self)
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

const LONG = new Set(["chaos-sweep.mjs"]);
const includeLong = process.env.BENCH_INCLUDE_LONG === "1";

let failed = 0;
for (const file of benches) {
  const name = file.replace(/\.mjs$/, "");
  if (LONG.has(file) && !includeLong && !only.some((o) => file.startsWith(o))) {
    console.log(JSON.stringify({ bench: name, skipped: `long; run: node bench/${file}` }));
    continue;
  }
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(here, file)], { encoding: "utf8", maxBuffer: 64 << 20 });
  const seconds = Number(((Date.now() - started) / 1000).toFixed(1));
  let result;
  try {
    if (r.status !== 0) throw new Error(`exited ${r.status}: ${(r.stderr || r.stdout).trim().slice(-600)}`);
    const out = r.stdout.trim();
    // Most benches print one line; some pretty-print one object.
    try {
      result = JSON.parse(out);
    } catch {
      result = JSON.parse(
        out
          .split("\n")
          .filter((l) => l.startsWith("{"))
          .at(-1) ?? "",
      );
    }
  } catch (err) {
    failed++;
    result = { bench: name, error: err instanceof Error ? err.message : String(err) };
  }
  console.log(JSON.stringify({ ...result, bench: result.bench ?? name, benchSeconds: seconds }));
}
process.exitCode = failed ? 1 : 0;
