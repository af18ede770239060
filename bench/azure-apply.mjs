// Wall time of a full Azure apply (preflight + every Azure step) on the sandbox, as a ratio to
// the critical path: the longest dependency chain of the same steps, each weighted by the time
// it was really busy (detect + apply, i.e. the sandbox's scaled operation times plus HTTP).
// A ratio near 1 means nothing waited for what it did not need. Target: at most 1.1.
// Needs `npm run build` first. BENCH_SPEED (default 200) scales Azure's operation times.
import { startSandbox } from "../dist/src/sandbox/index.js";
import { createAzureClients } from "../dist/src/clients/azure.js";
import { answersSchema } from "../dist/src/answers/schema.js";
import { deriveNames } from "../dist/src/answers/names.js";
import { applyRun } from "../dist/src/engine/runner.js";
import { azureSteps, preflightSteps } from "../dist/steps/azure/index.js";

const speed = Number(process.env.BENCH_SPEED ?? 200);
const sandbox = await startSandbox({ speed });
try {
  const target = sandbox.target();
  const answers = answersSchema.parse({
    app: "bench",
    azure: { tenantId: sandbox.tenantId, subscriptionId: sandbox.subscriptionId, location: sandbox.location },
    devops: { organizationUrl: "https://dev.azure.com/bench", project: "bench", repository: "bench" },
    keyVault: { secrets: [{ name: "db-password", env: "DB_PASSWORD" }] },
  });
  const deps = {
    answers,
    names: deriveNames(answers),
    target,
    azure: createAzureClients(target),
    devops: {
      organizationUrl: "",
      api: () => Promise.reject(new Error("unused")),
      rest: () => Promise.reject(new Error("unused")),
    },
    secretValue: async () => "bench-secret-value",
    options: { replaceEditedFiles: false },
  };
  const steps = [...preflightSteps(deps), ...azureSteps(deps)];
  const busyFrom = new Map();
  const busy = new Map();
  const started = Date.now();
  const result = await applyRun(steps, {
    onEvent: (e) => {
      if (e.type !== "step-status") return;
      if (e.status === "detecting" && !busyFrom.has(e.stepId)) busyFrom.set(e.stepId, e.time);
      if (["succeeded", "failed"].includes(e.status) && busyFrom.has(e.stepId))
        busy.set(e.stepId, e.time - busyFrom.get(e.stepId));
    },
  });
  const wallMs = Date.now() - started;
  if (result.outcome !== "succeeded") throw new Error(`apply ${result.outcome}: ${result.failed.join(", ")}`);

  // Longest path through the dependency graph, weighted by each step's busy time.
  const byId = new Map(steps.map((s) => [s.id, s]));
  const finish = new Map();
  const pathTo = new Map();
  const visit = (id) => {
    if (finish.has(id)) return finish.get(id);
    const step = byId.get(id);
    let best = 0;
    let via;
    for (const dep of step.dependsOn) {
      const f = visit(dep);
      if (f > best) [best, via] = [f, dep];
    }
    finish.set(id, best + (busy.get(id) ?? 0));
    pathTo.set(id, via);
    return finish.get(id);
  };
  let criticalMs = 0;
  let last;
  for (const s of steps) if (visit(s.id) > criticalMs) [criticalMs, last] = [visit(s.id), s.id];
  const path = [];
  for (let id = last; id; id = pathTo.get(id)) path.unshift(`${id} ${busy.get(id) ?? 0}ms`);
  const ratio = wallMs / criticalMs;
  console.log(
    JSON.stringify(
      {
        bench: "azure-apply",
        speed,
        steps: steps.length,
        wallMs,
        criticalPathMs: criticalMs,
        ratio: Number(ratio.toFixed(3)),
        target: 1.1,
        ok: ratio <= 1.1,
        criticalPath: path,
      },
      null,
      2,
    ),
  );
} finally {
  await sandbox.close();
}
