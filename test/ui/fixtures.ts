import type { Change, EngineEvent, EventInput, StepInfo } from "../../src/engine/types.js";

/** Builds an event sequence with seq and time filled in; `at` moves the clock. */
export class EventScript {
  readonly events: EngineEvent[] = [];
  private seq = 0;
  time = 1_700_000_000_000;

  at(ms: number): this {
    this.time = 1_700_000_000_000 + ms;
    return this;
  }

  push(e: EventInput): EngineEvent {
    const event = { ...e, seq: ++this.seq, time: this.time } as EngineEvent;
    this.events.push(event);
    return event;
  }
}

export const demoSteps: StepInfo[] = [
  { id: "preflight/credential", title: "Signed-in credential", group: "preflight", dependsOn: [] },
  {
    id: "azure/resource-group/nonprod",
    title: "Resource group rg-demo-nonprod",
    group: "azure",
    dependsOn: [],
  },
  {
    id: "azure/registry/nonprod",
    title: "Container registry crdemononprod1a2b",
    group: "azure",
    dependsOn: ["azure/resource-group/nonprod"],
  },
  {
    id: "azure/aks/staging",
    title: "AKS cluster aks-demo-staging",
    group: "azure",
    dependsOn: ["azure/resource-group/nonprod"],
  },
  { id: "devops/project", title: "Project demo", group: "devops", dependsOn: [] },
  {
    id: "devops/pipeline/ci",
    title: "Pipeline demo-ci",
    group: "devops",
    dependsOn: ["devops/project", "repo/files"],
  },
  { id: "repo/files", title: "Pipeline files in demo", group: "repo", dependsOn: ["devops/project"] },
];

/** A run up to the point where the registry and the cluster are being created. */
export function runningScript(): EventScript {
  const s = new EventScript();
  s.push({ type: "run-start", mode: "apply", steps: demoSteps });
  s.push({
    type: "plan",
    stepId: "preflight/credential",
    title: "Signed-in credential",
    group: "preflight",
    change: { kind: "noop" },
  });
  s.push({
    type: "plan",
    stepId: "azure/resource-group/nonprod",
    title: "Resource group rg-demo-nonprod",
    group: "azure",
    change: { kind: "noop" },
  });
  s.push({
    type: "plan",
    stepId: "azure/registry/nonprod",
    title: "Container registry crdemononprod1a2b",
    group: "azure",
    change: { kind: "create" },
  });
  s.push({
    type: "plan",
    stepId: "azure/aks/staging",
    title: "AKS cluster aks-demo-staging",
    group: "azure",
    change: { kind: "update", fields: [{ field: "properties.kubernetesVersion", from: "1.32", to: "1.33" }] },
  });
  s.push({
    type: "plan",
    stepId: "devops/project",
    title: "Project demo",
    group: "devops",
    change: { kind: "create" },
  });
  s.push({
    type: "plan",
    stepId: "devops/pipeline/ci",
    title: "Pipeline demo-ci",
    group: "devops",
    change: { kind: "create" },
  });
  s.push({
    type: "plan",
    stepId: "repo/files",
    title: "Pipeline files in demo",
    group: "repo",
    change: { kind: "create" },
  });
  s.at(100).push({ type: "step-status", stepId: "preflight/credential", status: "succeeded" });
  s.at(200).push({ type: "step-status", stepId: "azure/resource-group/nonprod", status: "succeeded" });
  s.at(1000).push({ type: "step-status", stepId: "azure/registry/nonprod", status: "applying" });
  s.at(1000).push({ type: "step-status", stepId: "azure/aks/staging", status: "applying" });
  s.at(1000).push({ type: "step-status", stepId: "devops/project", status: "applying" });
  s.at(5000).push({ type: "progress", stepId: "azure/aks/staging", detail: "provisioning: Updating, 4s" });
  return s;
}

/** Continues a running script to a successful end. */
export function finishedScript(): EventScript {
  const s = runningScript();
  s.at(13_300).push({ type: "step-status", stepId: "azure/registry/nonprod", status: "succeeded" });
  s.at(14_000).push({ type: "step-status", stepId: "devops/project", status: "succeeded" });
  s.at(14_000).push({ type: "step-status", stepId: "repo/files", status: "applying" });
  s.at(15_000).push({ type: "step-status", stepId: "repo/files", status: "succeeded" });
  s.at(15_000).push({ type: "step-status", stepId: "devops/pipeline/ci", status: "applying" });
  s.at(16_000).push({ type: "step-status", stepId: "devops/pipeline/ci", status: "succeeded" });
  s.at(61_000).push({ type: "step-status", stepId: "azure/aks/staging", status: "succeeded" });
  s.push({
    type: "summary",
    mode: "apply",
    outcome: "succeeded",
    counts: { create: 4, update: 1, delete: 0, noop: 2 },
    failed: 0,
    skipped: 0,
    durationMs: 61_000,
  });
  return s;
}

/** The project creation fails; the repo files and the CI pipeline are skipped. */
export function failedScript(): EventScript {
  const s = runningScript();
  s.at(13_300).push({ type: "step-status", stepId: "azure/registry/nonprod", status: "succeeded" });
  s.at(3_000).push({
    type: "step-status",
    stepId: "devops/project",
    status: "failed",
    error: {
      message: "creating project demo: TF400813: the user is not authorized to access this resource",
      hint: "Ask an organization administrator for the Project Collection Administrators group, then rerun.",
      stack: "Error: TF400813\n    at createProject (steps/devops/project.ts:42:11)",
    },
  });
  s.push({ type: "step-status", stepId: "repo/files", status: "skipped", reason: "Project demo failed" });
  s.push({
    type: "step-status",
    stepId: "devops/pipeline/ci",
    status: "skipped",
    reason: "Project demo failed",
  });
  s.at(61_000).push({ type: "step-status", stepId: "azure/aks/staging", status: "succeeded" });
  s.push({
    type: "summary",
    mode: "apply",
    outcome: "failed",
    counts: { create: 1, update: 1, delete: 0, noop: 2 },
    failed: 1,
    skipped: 2,
    durationMs: 61_000,
  });
  return s;
}

/** Ctrl-C while the cluster and the project are being created. */
export function abortedScript(): EventScript {
  const s = runningScript();
  s.at(13_300).push({ type: "step-status", stepId: "azure/registry/nonprod", status: "succeeded" });
  s.at(20_000).push({
    type: "step-status",
    stepId: "azure/aks/staging",
    status: "aborted",
    reason: "interrupted",
  });
  s.push({ type: "step-status", stepId: "devops/project", status: "succeeded" });
  s.push({ type: "step-status", stepId: "repo/files", status: "aborted", reason: "interrupted" });
  s.push({ type: "step-status", stepId: "devops/pipeline/ci", status: "aborted", reason: "interrupted" });
  s.push({
    type: "summary",
    mode: "apply",
    outcome: "aborted",
    counts: { create: 2, update: 0, delete: 0, noop: 2 },
    failed: 0,
    skipped: 0,
    durationMs: 20_000,
  });
  return s;
}

/** A plan run: detect + diff only. */
export function planScript(): EventScript {
  const s = new EventScript();
  s.push({ type: "run-start", mode: "plan", steps: demoSteps });
  for (const info of demoSteps) s.push({ type: "step-status", stepId: info.id, status: "detecting" });
  const changes: Record<string, Change> = {
    "preflight/credential": { kind: "noop" },
    "azure/resource-group/nonprod": { kind: "noop" },
    "azure/registry/nonprod": {
      kind: "update",
      fields: [{ field: "adminUserEnabled", from: true, to: false }],
    },
    "azure/aks/staging": { kind: "create" },
    "devops/project": { kind: "noop", notes: ["already exists"] },
    "devops/pipeline/ci": { kind: "create", summary: "YAML .azure-pipelines/ci.yml" },
    "repo/files": {
      kind: "update",
      fields: [{ field: ".azure-pipelines/ci.yml", from: "hash 1a2b", to: "hash 3c4d" }],
    },
  };
  s.at(900);
  for (const info of demoSteps) {
    s.push({
      type: "plan",
      stepId: info.id,
      title: info.title,
      group: info.group,
      change: changes[info.id] ?? { kind: "noop" },
    });
    s.push({ type: "step-status", stepId: info.id, status: "planned" });
  }
  s.push({
    type: "summary",
    mode: "plan",
    outcome: "succeeded",
    counts: { create: 2, update: 2, delete: 0, noop: 3 },
    failed: 0,
    skipped: 0,
    durationMs: 900,
  });
  return s;
}

/**
 * An apply run that reuses a plan, as the engine sends it: no `plan` events, noop steps
 * succeed at once with reason "unchanged".
 */
export function reusedPlanScript(): EventScript {
  const s = new EventScript();
  s.push({ type: "run-start", mode: "apply", steps: demoSteps.slice(0, 3) });
  s.push({ type: "step-status", stepId: "preflight/credential", status: "succeeded", reason: "unchanged" });
  s.push({
    type: "step-status",
    stepId: "azure/resource-group/nonprod",
    status: "succeeded",
    reason: "unchanged",
  });
  s.at(1000).push({ type: "step-status", stepId: "azure/registry/nonprod", status: "applying" });
  s.at(3000).push({ type: "step-status", stepId: "azure/registry/nonprod", status: "succeeded" });
  s.push({
    type: "summary",
    mode: "apply",
    outcome: "succeeded",
    counts: { create: 1, update: 0, delete: 0, noop: 2 },
    failed: 0,
    skipped: 0,
    durationMs: 3000,
  });
  return s;
}
