import { expect, test } from "vitest";
import { startSandbox } from "../../src/sandbox/index.js";
import { answersSchema } from "../../src/answers/schema.js";
import { deriveNames } from "../../src/answers/names.js";
import { createAzureClients } from "../../src/clients/azure.js";
import { createDevopsClients } from "../../src/clients/devops.js";
import { applyRun, planRun } from "../../src/engine/runner.js";
import type { StepDeps } from "../../steps/deps.js";
import { azureSteps, preflightSteps } from "../../steps/azure/index.js";
import { devopsSteps } from "../../steps/devops/index.js";
import { repoSteps } from "../../steps/repo/index.js";
import type { Step } from "../../src/engine/types.js";

test("full", async () => {
  const sandbox = await startSandbox({ speed: 2000 });
  const target = sandbox.target();
  const answers = answersSchema.parse({
    app: "demo",
    azure: { tenantId: sandbox.tenantId, subscriptionId: sandbox.subscriptionId, location: sandbox.location },
    devops: {
      organizationUrl: sandbox.organizationUrl,
      project: "demo",
      repository: "demo",
      minimumReviewers: 0,
    },
    keyVault: { secrets: [{ name: "db-password", env: "DB_PASSWORD" }] },
  });
  const deps: StepDeps = {
    answers,
    names: deriveNames(answers),
    target,
    azure: createAzureClients(target),
    devops: createDevopsClients(target),
    secretValue: async () => "s3cret-value-xyz",
    options: { replaceEditedFiles: false },
  };
  const steps = [
    ...preflightSteps(deps),
    ...azureSteps(deps),
    ...devopsSteps(deps),
    ...repoSteps(deps),
  ] as Step[];
  const t0 = Date.now();
  const fails: string[] = [];
  const r = await applyRun(steps, {
    onEvent: (e) => {
      if (e.type === "step-status" && e.status === "failed") fails.push(`${e.stepId}: ${e.error?.message}`);
    },
  });
  console.log("apply", Date.now() - t0, r.outcome, fails, r.skipped);
  const p = await planRun(steps);
  console.log(
    [...p.changes]
      .filter(([, c]) => c.kind !== "noop")
      .map(([id, c]) => `${id}: ${JSON.stringify(c)}`)
      .join("\n"),
  );
  await sandbox.close();
  expect(r.outcome).toBe("succeeded");
}, 120_000);
