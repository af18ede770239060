import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { answersSchema } from "../../src/answers/schema.js";
import { deriveNames } from "../../src/answers/names.js";
import { createDevopsClients } from "../../src/clients/devops.js";
import { applyRun, planRun } from "../../src/engine/runner.js";
import type { StepDeps } from "../../steps/deps.js";
import { ids } from "../../steps/ids.js";
import { projectStep, type ObservedProjectDetail } from "../../steps/devops/project.js";
import { devopsSignInStep } from "../../steps/devops/preflight-auth.js";

describe("project step", () => {
  let sandbox: Sandbox;
  let deps: StepDeps;

  beforeAll(async () => {
    // Slow enough that a project stays "createPending" for a while (12 s / 4), even on a busy machine.
    sandbox = await startSandbox({ speed: 4 });
    const target = sandbox.target();
    const answers = answersSchema.parse({
      app: "demo",
      azure: {
        tenantId: sandbox.tenantId,
        subscriptionId: sandbox.subscriptionId,
        location: sandbox.location,
      },
      devops: { organizationUrl: sandbox.organizationUrl, project: "half-made", repository: "half-made" },
    });
    deps = { answers, names: deriveNames(answers), devops: createDevopsClients(target), target } as StepDeps;
  });
  afterAll(async () => sandbox?.close());

  test("a project left pending by an interrupted run is waited for, not recreated", async () => {
    // Given a project whose creation was queued but has not finished
    const queued = await deps.devops.rest("POST", "_apis/projects?api-version=7.1", {
      name: "half-made",
      capabilities: {
        versioncontrol: { sourceControlType: "Git" },
        processTemplate: { templateTypeId: "adcc42ab-9882-485e-a3ed-7678f01f66bc" },
      },
    });
    expect(queued.status).toBe(202);
    // When the project step plans and applies
    const plan = await planRun([devopsSignInStep(deps), projectStep(deps, { afterSignIn: true })]);
    expect(plan.changes.get(ids.devops.project)).toMatchObject({
      kind: "update",
      fields: [{ field: "state", to: "wellFormed" }],
    });
    const result = await applyRun([devopsSignInStep(deps), projectStep(deps, { afterSignIn: true })]);
    // Then it waited for the same project, which is now usable
    expect(result.outcome).toBe("succeeded");
    const observed = result.observed.get(ids.devops.project) as ObservedProjectDetail;
    expect(observed.state.toLowerCase()).toBe("wellformed");
    const state = sandbox.state() as { devops: { projects: Record<string, { name: string }> } };
    expect(Object.values(state.devops.projects).map((p) => p.name)).toEqual(["half-made"]);
  });
});
