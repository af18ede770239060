// A drift plan on a full deployment: how many times it reads each object, and how close its wall
// time comes to the floor set by the dependency graph (one round trip per level).
//
// Full sandbox deployment, then every drift kind, then a plan with BENCH_LATENCY_MS (default 50)
// added to every HTTP round trip. Prints reads per object (from the sandbox traffic log) and
// wall time / (latency x graph depth): 1.0 would mean every level of the graph costs one round
// trip; sequential reads inside a step (list then get, paging, token fetches) push it up.
//
// Latency is injected by the sandbox (its latencyMs option): every request waits that long
// before it is answered, whichever client sent it. Deployment and drift run without it; the
// sandbox is then restarted on the same state folder with the latency for the plans.
//
// Needs `npm run build` first.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { performance } from "node:perf_hooks";
import { join } from "node:path";
import { startSandbox } from "../dist/src/sandbox/index.js";
import { parseArgs } from "../dist/src/cli/args.js";
import { allSteps, openSession } from "../dist/src/cli/session.js";
import { applyRun, planRun } from "../dist/src/engine/runner.js";
import { buildGraph, graphDepth } from "../dist/src/engine/graph.js";
import { applyDrift, driftKinds } from "../dist/src/sandbox/drift/index.js";

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 50);
/** Steps running at once during the measured plan; unset = the engine's default (as the CLI runs). */
const concurrency = process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : undefined;

async function sessionOn(sandbox, dir) {
  return openSession(
    parseArgs(["plan", "--sandbox", "--non-interactive"]),
    { env: {}, cwd: dir, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
    { sandbox },
  );
}

function trafficLines(path) {
  try {
    return readFileSync(path, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

/**
 * An object read = GET/HEAD on a URL (case folded, api-version left out: the query often names
 * the object, e.g. `items?path=...`, `endpoints?endpointNames=...`); token calls aside.
 */
function readsByObject(lines) {
  const reads = new Map();
  for (const l of lines) {
    if (l.service === "login" || (l.method !== "GET" && l.method !== "HEAD")) continue;
    // Key Vault's bodiless first request, answered 401 with the auth challenge, reads nothing.
    if (l.status === 401) continue;
    const u = new URL(l.url);
    // Polling an operation is not reading an object.
    // Operation polling and the organization's connection data (auth check, API locations)
    // are not reads of a managed object.
    if (/operation(s|results|statuses)|\/_apis\/connectiondata$/i.test(u.pathname)) continue;
    u.searchParams.delete("api-version");
    const key = `${l.service} ${u.pathname.toLowerCase()}${u.search ? `?${decodeURIComponent(u.searchParams.toString())}` : ""}`;
    reads.set(key, (reads.get(key) ?? 0) + 1);
  }
  return reads;
}

const dir = mkdtempSync(join(tmpdir(), "aksb-bench-drift-"));
const stateDir = join(dir, ".sandbox");
let sandbox = await startSandbox({ dir: stateDir, speed: 10_000 });
try {
  const setup = await sessionOn(sandbox, dir);
  const deployed = await applyRun(await allSteps(setup.deps));
  if (deployed.failed.length) throw new Error(`deployment failed: ${deployed.failed.join(", ")}`);
  const drift = await applyDrift({
    target: setup.target,
    answers: setup.answers,
    names: setup.names,
    kinds: driftKinds,
  });
  await sandbox.close();
  sandbox = await startSandbox({ dir: stateDir, speed: 10_000, latencyMs });
  const session = await sessionOn(sandbox, dir);

  // Warm: tokens and API location lookups are cached per client, as they are on a rerun.
  await planRun(await allSteps(session.deps));
  const from = trafficLines(sandbox.trafficLogPath).length;
  const planSteps = await allSteps(session.deps);
  // Per step: round trips spent between "detecting" and "planned" (sequential reads inside it).
  const detecting = new Map();
  const roundTrips = new Map();
  const onEvent = (e) => {
    if (e.type !== "step-status") return;
    if (e.status === "detecting") detecting.set(e.stepId, performance.now());
    else if (e.status === "planned" && detecting.has(e.stepId))
      roundTrips.set(e.stepId, Math.round((performance.now() - detecting.get(e.stepId)) / latencyMs));
  };
  const started = performance.now();
  const plan = await planRun(planSteps, { onEvent, ...(concurrency ? { concurrency } : {}) });
  const wallMs = performance.now() - started;

  const lines = trafficLines(sandbox.trafficLogPath).slice(from);
  const reads = readsByObject(lines);
  const counts = [...reads.values()];
  const repeated = [...reads].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1]);
  const depth = graphDepth(buildGraph(planSteps));
  const changed = [...plan.changes].filter(([, c]) => c.kind !== "noop").length;
  console.log(
    JSON.stringify(
      {
        bench: "drift-plan",
        steps: planSteps.length,
        driftKinds: drift.length,
        plannedChanges: changed,
        failed: plan.failed.length,
        requests: lines.length,
        objectsRead: reads.size,
        readsPerObject: {
          mean: Number((counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length)).toFixed(2)),
          max: Math.max(0, ...counts),
        },
        readMoreThanOnce: repeated.map(([k, n]) => `${n}x ${k}`),
        latencyMs,
        concurrency: concurrency ?? "engine default",
        graphDepth: depth,
        wallMs: Math.round(wallMs),
        stepsWithSequentialRoundTrips: [...roundTrips]
          .filter(([, n]) => n >= 2)
          .sort((a, b) => b[1] - a[1])
          .map(([id, n]) => `${n} ${id}`),
        wallOverLatencyTimesDepth: Number((wallMs / (latencyMs * depth)).toFixed(2)),
      },
      null,
      2,
    ),
  );
} finally {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
}
