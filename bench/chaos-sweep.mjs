// The long chaos sweep: many seeded full applies on the sandbox under the suite's fault model,
// each followed (when it failed) by one rerun without faults, then a `plan --detailed-exitcode`
// and a duplicate count from the sandbox state. Prints one JSON report on stdout.
//
//   npm run build && node bench/chaos-sweep.mjs
//   npm run build && node bench/chaos-sweep.mjs crash    # kill -9 at every step boundary instead
//
// Environment: CHAOS_RUNS (default 100), CHAOS_SEED (first seed, default 1), CHAOS_SPEED (sandbox
// speed, default 100 = Azure's durations / 100), CHAOS_FAULTS (default: the suite's fault model
// in test/reliability/fault-model.ts), CHAOS_PARALLEL (runs at once, default 2).
// Imports the suite's own .ts helpers with Node 22's type stripping, so both count the same way.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyPhase,
  nthSucceeded,
  progressOf,
  repoRoot,
  runApply,
  runCli,
  useCli,
  watchApply,
} from "../test/reliability/apply-run.ts";
import {
  clearFailure,
  errorLines,
  findDuplicates,
  injectedFaults,
  readSandboxState,
  vaultSecretNames,
} from "../test/reliability/audit.ts";
import { CHAOS_FAULTS, CRASH_ANSWERS, CRASH_SECRETS } from "../test/reliability/fault-model.ts";

const runs = Number(process.env.CHAOS_RUNS ?? 100);
const firstSeed = Number(process.env.CHAOS_SEED ?? 1);
const mode = process.argv[2] === "crash" ? "crash" : "chaos";
// Crash mode kills inside long operations: an AKS create lasts 270 s / 180 = 1.5 s there.
const speed = Number(process.env.CHAOS_SPEED ?? (mode === "crash" ? 180 : 100));
const faults = process.env.CHAOS_FAULTS ?? CHAOS_FAULTS;
const parallel = Math.max(1, Number(process.env.CHAOS_PARALLEL ?? 2));

/** A failure message without names, ids and numbers, so equal causes group together. */
function cause(line) {
  const code =
    /\b(OperationFailed|TooManyRequests|ServiceUnavailable|PrincipalNotFound|ECONNRESET|socket hang up|[A-Z][a-zA-Z]+NotFound)\b/.exec(
      line,
    );
  if (code) return code[1];
  return line
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, "<id>")
    .replace(/\d+/g, "<n>")
    .slice(0, 120);
}

async function one(seed) {
  const root = mkdtempSync(join(tmpdir(), "aks-chaos-sweep-"));
  const dir = join(root, "sandbox");
  let kept = false;
  try {
    const first = await runApply({ dir, faults, seed, speed, timeoutMs: 600_000 });
    const out = first.stdout + first.stderr;
    const r = {
      seed,
      firstCode: first.code,
      firstMs: first.ms,
      clear: first.code === 0 ? true : first.code === 1 && clearFailure(out).ok,
      unclearWhy:
        first.code === 0
          ? undefined
          : (clearFailure(out).why ?? (first.code !== 1 ? `exit ${first.code}` : undefined)),
      causes: first.code === 0 ? [] : [...new Set(errorLines(out).map(cause))],
      rerunCode: undefined,
      injected: injectedFaults(dir),
    };
    const rerun = first.code !== 0 ? await runApply({ dir, speed, timeoutMs: 600_000 }) : undefined;
    r.rerunCode = rerun?.code;
    const plan = await runCli(["plan", `--sandbox=${dir}`, "--non-interactive", "--detailed-exitcode"], {
      timeoutMs: 600_000,
    });
    r.planCode = plan.code;
    r.duplicates = findDuplicates(readSandboxState(dir));
    const anomaly = !r.clear || (rerun && rerun.code !== 0) || plan.code !== 0 || r.duplicates.length > 0;
    if (anomaly) {
      // Kept for diagnosis: the sandbox folder (state, traffic log) and every run's output.
      writeFileSync(join(root, "first.txt"), out);
      if (rerun) writeFileSync(join(root, "rerun.txt"), rerun.stdout + rerun.stderr);
      writeFileSync(join(root, "plan.txt"), plan.stdout + plan.stderr);
      r.keptIn = root;
      kept = true;
    }
    return r;
  } finally {
    if (!kept) rmSync(root, { recursive: true, force: true });
  }
}

// A snapshot of the build: a rebuild of dist/ in the working tree during the sweep (others work
// here too) must not change the program under test halfway.
const snapshot = mkdtempSync(join(tmpdir(), "aks-chaos-build-"));
for (const part of ["bin", "dist", "package.json"])
  cpSync(join(repoRoot, part), join(snapshot, part), { recursive: true });
symlinkSync(join(repoRoot, "node_modules"), join(snapshot, "node_modules"));
useCli(join(snapshot, "bin", "aks-bootstrap.js"));
const git = (...args) => spawnSync("git", args, { cwd: repoRoot, encoding: "utf8" }).stdout.trim();
// The commit the build was taken at; "+changes" when tracked files differed from it.
const commit = `${git("rev-parse", "--short", "HEAD")}${git("status", "--porcelain", "--untracked-files=no") ? "+changes" : ""}`;
process.on("exit", () => rmSync(snapshot, { recursive: true, force: true }));

if (mode === "crash") await crashSweep();
else await chaosSweep();

async function chaosSweep() {
  const seeds = Array.from({ length: runs }, (_, i) => firstSeed + i);
  const results = [];
  const started = Date.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let seed = seeds.shift(); seed !== undefined; seed = seeds.shift()) {
        const r = await one(seed);
        results.push(r);
        process.stderr.write(
          `seed ${seed}: first ${r.firstCode}${r.rerunCode !== undefined ? `, rerun ${r.rerunCode}` : ""}, plan ${r.planCode}, duplicates ${r.duplicates.length} (${results.length}/${runs})\n`,
        );
      }
    }),
  );
  results.sort((a, b) => a.seed - b.seed);

  const sum = (f) => results.reduce((n, r) => n + f(r), 0);
  const injected = {};
  for (const r of results)
    for (const [k, v] of Object.entries(r.injected)) injected[k] = (injected[k] ?? 0) + v;
  const causes = {};
  for (const r of results) for (const c of r.causes) causes[c] = (causes[c] ?? 0) + 1;
  const firstMs = results.map((r) => r.firstMs).sort((a, b) => a - b);

  const report = {
    command: "node bench/chaos-sweep.mjs",
    commit,
    faults,
    speed,
    seeds: `${firstSeed}-${firstSeed + runs - 1}`,
    runs: results.length,
    convergedFirstTime: sum((r) => (r.firstCode === 0 ? 1 : 0)),
    failedClearly: sum((r) => (r.firstCode !== 0 && r.clear ? 1 : 0)),
    failedUnclearly: results.filter((r) => !r.clear).map((r) => ({ seed: r.seed, why: r.unclearWhy })),
    convergedAfterOneRerun: sum((r) => (r.firstCode !== 0 && r.rerunCode === 0 ? 1 : 0)),
    notConvergedAfterOneRerun: results
      .filter((r) => r.firstCode !== 0 && r.rerunCode !== 0)
      .map((r) => r.seed),
    keptForDiagnosis: results.filter((r) => r.keptIn).map((r) => ({ seed: r.seed, dir: r.keptIn })),
    planCleanAtEnd: sum((r) => (r.planCode === 0 ? 1 : 0)),
    duplicates: sum((r) => r.duplicates.length),
    duplicateDetails: results.flatMap((r) => r.duplicates.map((d) => ({ seed: r.seed, ...d }))),
    injectedFaults: injected,
    failureCauses: causes,
    firstApplyMs: { median: firstMs[Math.floor(firstMs.length / 2)], max: firstMs.at(-1) },
    wallMs: Date.now() - started,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exitCode =
    report.duplicates === 0 &&
    report.failedUnclearly.length === 0 &&
    report.notConvergedAfterOneRerun.length === 0 &&
    report.planCleanAtEnd === report.runs
      ? 0
      : 1;
}

/**
 * `node bench/chaos-sweep.mjs crash`: kill -9 at EVERY step boundary of a full apply (after 0, 1,
 * 2 ... steps finished) and at the first progress report of every long-running step, each on a
 * fresh sandbox, then one rerun. A probe run first finds how many steps and which long ones exist.
 */
async function crashSweep() {
  const setup = () => {
    const root = mkdtempSync(join(tmpdir(), "aks-crash-sweep-"));
    const answers = join(root, "aks-bootstrap.yaml");
    writeFileSync(answers, CRASH_ANSWERS);
    return { root, dir: join(root, "sandbox"), answers, cwd: root, env: CRASH_SECRETS, speed };
  };
  const probe = setup();
  const probeRun = watchApply(probe);
  const probed = await probeRun.exited;
  rmSync(probe.root, { recursive: true, force: true });
  if (probed.code !== 0) throw new Error(`the probe apply failed:\n${probed.stdout.slice(-2000)}`);
  const apply = applyPhase(probeRun.events);
  const boundaries = apply.filter((e) => e.type === "step-status" && e.status === "succeeded").length;
  const longSteps = [...new Set(apply.filter((e) => e.type === "progress").map((e) => e.stepId))];
  const points = [
    ...Array.from({ length: boundaries }, (_, n) => [
      `after ${n} steps finished`,
      n === 0 ? (e, all) => applyPhase(all).length > 0 && e.status === "applying" : nthSucceeded(n),
    ]),
    ...longSteps.map((id) => [`inside ${id}`, progressOf(id)]),
  ];
  const results = [];
  const started = Date.now();
  const queue = [...points];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
        const [label, at] = p;
        const s = setup();
        const r = { point: label };
        const run = watchApply(s);
        await run.waitFor(at, 120_000).catch(() => undefined);
        await run.kill9();
        const killed = await run.exited;
        r.killedMidRun = killed.signal === "SIGKILL";
        r.filesParse = [join(s.dir, "state.json"), join(s.dir, "secrets.json")].every((f) => {
          try {
            JSON.parse(readFileSync(f, "utf8"));
            return true;
          } catch {
            return !existsSync(f);
          }
        });
        const rerun = await runApply({ ...s, timeoutMs: 600_000 });
        r.rerunCode = rerun.code;
        const state = readSandboxState(s.dir);
        r.duplicates = findDuplicates(state);
        const names = vaultSecretNames(state).map((n) => n.split("/")[1]);
        r.lostSecrets = ["db-password", "api-key"].filter((n) => !names.includes(n));
        const printed = killed.stdout + killed.stderr + rerun.stdout + rerun.stderr;
        r.secretPrinted = Object.values(CRASH_SECRETS).some((v) => printed.includes(v));
        r.answersUnchanged = readFileSync(s.answers, "utf8") === CRASH_ANSWERS;
        const bad =
          !r.filesParse ||
          r.rerunCode !== 0 ||
          r.duplicates.length ||
          r.lostSecrets.length ||
          r.secretPrinted ||
          !r.answersUnchanged;
        if (bad) {
          writeFileSync(join(s.root, "killed.txt"), killed.stdout + killed.stderr);
          writeFileSync(join(s.root, "rerun.txt"), rerun.stdout + rerun.stderr);
          r.keptIn = s.root;
        } else rmSync(s.root, { recursive: true, force: true });
        results.push(r);
        process.stderr.write(
          `${label}: killed ${r.killedMidRun}, rerun ${r.rerunCode}, duplicates ${r.duplicates.length} (${results.length}/${points.length})\n`,
        );
      }
    }),
  );
  const count = (f) => results.filter(f).length;
  const report = {
    command: "node bench/chaos-sweep.mjs crash",
    commit,
    speed,
    stepBoundaries: boundaries,
    longRunningSteps: longSteps,
    points: results.length,
    killedMidRun: count((r) => r.killedMidRun),
    endedBeforeKill: results.filter((r) => !r.killedMidRun).map((r) => r.point),
    stateFilesParsed: count((r) => r.filesParse),
    answersUnchanged: count((r) => r.answersUnchanged),
    convergedOnRerun: count((r) => r.rerunCode === 0),
    duplicates: results.reduce((n, r) => n + r.duplicates.length, 0),
    lostSecrets: results.reduce((n, r) => n + r.lostSecrets.length, 0),
    secretPrinted: count((r) => r.secretPrinted),
    keptForDiagnosis: results.filter((r) => r.keptIn).map((r) => ({ point: r.point, dir: r.keptIn })),
    wallMs: Date.now() - started,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = report.keptForDiagnosis.length === 0 ? 0 : 1;
}
