// A no-op rerun (apply on a sandbox the same apply just converged), through the built CLI:
//   - requests per managed object, from the sandbox's traffic.jsonl lines of the rerun only.
//     Excluded, as per-process authentication and discovery rather than reads of objects: the
//     Entra token endpoint and its OpenID discovery (service "login"), azure-devops-node-api's
//     area/location discovery (OPTIONS requests and _apis/ResourceAreas), and Key Vault's 401
//     challenge (the unauthenticated first request every Key Vault client makes). Preflight
//     reads (subscription, resource providers, Kubernetes versions, permissions, name
//     availability, the Azure DevOps sign-in check) are counted apart: they check the
//     environment, not an object. Target: at most 1 read per managed object, and no writes.
//   - wall time of the same rerun with BENCH_LATENCY_MS (default 50) added to every HTTP request
//     on the client side. The sandbox has no latency option (its speed option only scales
//     long-running operations), so bench/lib/latency-hook.mjs is preloaded into the CLI process
//     and delays each response by that much, for every client (Azure SDK, Key Vault, MSAL,
//     azure-devops-node-api) without touching product code. (Latency added minus none) / latency
//     = the number of round trips the run really waits for one after another.
// Needs `npm run build` first.
import { loadavg } from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, depth, events, freshDir, latencyHook, runCli, runsOf } from "./lib/cli.mjs";

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 50);
const cwd = freshDir("noop");
const args = ["apply", "--sandbox=sb", "--non-interactive", "--yes", "--output", "json"];
const trafficPath = join(cwd, "sb", "traffic.jsonl");
const lines = () => readFileSync(trafficPath, "utf8").split("\n").filter(Boolean);

await runCli(args, { cwd });
const before = lines().length;
const rerun = await runCli(args, { cwd });
const traffic = lines()
  .slice(before)
  .map((l) => JSON.parse(l));
const runs = runsOf(events(rerun.stdout));
const plan = runs.find((r) => r.mode === "plan");
if (runs.length !== 1 || plan.summary.outcome !== "succeeded")
  throw new Error("the rerun was not a successful no-op (it planned changes or failed)");

const path = (e) => new URL(e.url).pathname;
const excluded = (e) =>
  e.service === "login" ||
  (e.service === "devops" && (e.method === "OPTIONS" || /\/_apis\/ResourceAreas$/i.test(path(e)))) ||
  (e.service === "vault" && e.status === 401);
const preflight = (e) =>
  /^\/subscriptions\/[^/]+$/i.test(path(e)) ||
  /^\/subscriptions\/[^/]+\/providers\/[^/]+$/i.test(path(e)) ||
  /kubernetesVersions$|\/checkNameAvailability$|\/Microsoft\.Authorization\/permissions$|\/_apis\/connectionData$/i.test(
    path(e),
  );
const counted = traffic.filter((e) => !excluded(e));
const preflightReads = counted.filter(preflight);
const objectReads = counted.filter((e) => !preflight(e));
const writes = objectReads.filter((e) => e.method !== "GET");

// Managed objects, counted from the converged state: our Azure resources (not the sandbox's
// seed role assignment, not what AKS creates in its node resource groups), Key Vault secrets,
// and every Azure DevOps object including each pipeline permission entry and each repo file.
const state = JSON.parse(readFileSync(join(cwd, "sb", "state.json"), "utf8"));
const azure = Object.values(state.resources).filter(
  (r) => !/\/resourcegroups\/mc_/i.test(r.id) && !r.id.endsWith("00000000-0000-4000-8000-000000000001"),
).length;
const secrets = Object.values(state.vaults).reduce((n, v) => n + Object.keys(v.secrets ?? {}).length, 0);
const d = state.devops;
const devops = [
  "projects",
  "repositories",
  "serviceEndpoints",
  "environments",
  "checks",
  "variableGroups",
  "definitions",
  "policies",
  "pipelinePermissions",
]
  .map((k) => Object.keys(d[k] ?? {}).length)
  .reduce((a, b) => a + b, 0);
const repoFiles = Object.values(d.repositories).reduce((n, r) => n + Object.keys(r.blobs ?? {}).length, 0);
const objects = azure + secrets + devops + repoFiles;

const engine = (r) => {
  const rs = runsOf(events(r.stdout));
  return rs.at(-1).summary.time - rs[0].events[0].time;
};
// BENCH_RUNS (default 3) more reruns without and with latency, interleaved; medians reported.
const plain = [{ wallMs: rerun.wallMs, engineMs: engine(rerun) }];
const slow = [];
for (let i = 0; i < Number(process.env.BENCH_RUNS ?? 3); i++) {
  const l = await runCli(args, {
    cwd,
    env: cleanEnv({ BENCH_LATENCY_MS: String(latencyMs) }),
    nodeArgs: ["--import", latencyHook],
  });
  slow.push({ wallMs: l.wallMs, engineMs: engine(l) });
  if (i > 0) {
    const p = await runCli(args, { cwd });
    plain.push({ wallMs: p.wallMs, engineMs: engine(p) });
  }
}
const median = (xs, k) => [...xs].map((x) => x[k]).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perObject = objectReads.length / objects;
const byService = (xs) => xs.reduce((m, e) => ({ ...m, [e.service]: (m[e.service] ?? 0) + 1 }), {});
console.log(
  JSON.stringify({
    bench: "noop-rerun",
    loadAverage1m: Number(loadavg()[0].toFixed(1)),
    managedObjects: { total: objects, azure, keyVaultSecrets: secrets, devops, repoFiles },
    steps: plan.steps.length,
    requestsTotal: traffic.length,
    excludedAuthAndDiscovery: traffic.length - counted.length,
    preflightReads: preflightReads.length,
    objectReads: objectReads.length,
    objectReadsByService: byService(objectReads),
    writes: writes.length,
    readsPerManagedObject: Number(perObject.toFixed(3)),
    target: "readsPerManagedObject <= 1 and writes == 0",
    ok: perObject <= 1 && writes.length === 0,
    wallMs: Math.round(median(plain, "wallMs")),
    engineMs: median(plain, "engineMs"),
    latencyMs,
    wallMsWithLatency: Math.round(median(slow, "wallMs")),
    engineMsWithLatency: median(slow, "engineMs"),
    roundTripsWaitedFor: Number(
      ((median(slow, "engineMs") - median(plain, "engineMs")) / latencyMs).toFixed(1),
    ),
    runsEach: slow.length,
    graphDepthSteps: depth(plan),
  }),
);
