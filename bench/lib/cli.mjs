// Shared by the benches: run the built CLI as a user does, and read its --output json events.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const bin = fileURLToPath(new URL("../../bin/aks-bootstrap.js", import.meta.url));
export const latencyHook = fileURLToPath(new URL("./latency-hook.mjs", import.meta.url));

export const freshDir = (label) => mkdtempSync(join(tmpdir(), `aks-bootstrap-bench-${label}-`));

/** Environment without anything that would reach real Azure or change the answers. */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(AZURE_|AKS_BOOTSTRAP_|MSI_|IDENTITY_|BENCH_LATENCY_MS)/.test(k)) env[k] = v;
  return { ...env, NO_COLOR: "1", ...extra };
}

/**
 * Runs `node [nodeArgs] bin/aks-bootstrap.js args` in `cwd`; resolves with exit code, output and
 * wall time (spawn to exit). Rejects on a non-zero exit unless `allowFailure`.
 */
export function runCli(
  args,
  { cwd, env = cleanEnv(), nodeArgs = [], prefix = [], allowFailure = false } = {},
) {
  return new Promise((resolve, reject) => {
    const argv = [...prefix, process.execPath, ...nodeArgs, bin, ...args];
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0 && !allowFailure)
        reject(new Error(`aks-bootstrap ${args.join(" ")} exited ${code}\n${stderr.slice(-2000)}`));
      else resolve({ code, stdout, stderr, wallMs });
    });
  });
}

/** NDJSON events of `--output json`. */
export const events = (stdout) =>
  stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));

/** Splits a plan-then-apply event stream into its runs (each starts with run-start). */
export function runsOf(evs) {
  const runs = [];
  for (const e of evs) {
    if (e.type === "run-start") runs.push({ mode: e.mode, steps: e.steps, events: [] });
    runs.at(-1)?.events.push(e);
  }
  return runs.map((r) => ({ ...r, summary: r.events.find((e) => e.type === "summary") }));
}

/**
 * Active time of each step in one run, from its own step-status events: from the first
 * "detecting" or "applying" (emitted once the step holds a concurrency slot, so waiting for a
 * slot does not count) to "planned", "succeeded" or "failed". A step that reuses the plan's
 * reading and has nothing to do is active 0 ms.
 */
export function activeTimes(run) {
  const from = new Map();
  const active = new Map();
  for (const e of run.events) {
    if (e.type !== "step-status") continue;
    if ((e.status === "detecting" || e.status === "applying") && !from.has(e.stepId))
      from.set(e.stepId, e.time);
    if (["planned", "succeeded", "failed"].includes(e.status))
      active.set(e.stepId, from.has(e.stepId) ? e.time - from.get(e.stepId) : 0);
  }
  return active;
}

/** Longest path through the run's dependency graph, each step weighing its active time. */
export function criticalPath(run, active = activeTimes(run)) {
  const byId = new Map(run.steps.map((s) => [s.id, s]));
  const finish = new Map();
  const via = new Map();
  const visit = (id) => {
    if (finish.has(id)) return finish.get(id);
    let best = 0;
    let prev;
    for (const dep of byId.get(id).dependsOn) {
      const f = visit(dep);
      if (f > best) [best, prev] = [f, dep];
    }
    finish.set(id, best + (active.get(id) ?? 0));
    via.set(id, prev);
    return finish.get(id);
  };
  let ms = 0;
  let last;
  for (const s of run.steps) if (visit(s.id) >= ms) [ms, last] = [visit(s.id), s.id];
  const path = [];
  for (let id = last; id; id = via.get(id)) path.unshift(`${id} ${active.get(id) ?? 0}ms`);
  const sumMs = [...active.values()].reduce((a, b) => a + b, 0);
  return { ms, path, sumMs };
}

/** Longest chain of steps (number of steps), ignoring times. */
export function depth(run) {
  const byId = new Map(run.steps.map((s) => [s.id, s]));
  const memo = new Map();
  const d = (id) => {
    if (!memo.has(id)) memo.set(id, 1 + Math.max(0, ...byId.get(id).dependsOn.map(d)));
    return memo.get(id);
  };
  return Math.max(...run.steps.map((s) => d(s.id)));
}
