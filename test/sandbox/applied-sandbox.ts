import { startSandbox, type Sandbox, type SandboxOptions } from "../../src/sandbox/index.js";
import { answersSchema, type Answers } from "../../src/answers/schema.js";
import { deriveNames, type Names } from "../../src/answers/names.js";
import { createAzureClients } from "../../src/clients/azure.js";
import { createDevopsClients } from "../../src/clients/devops.js";
import { applyRun } from "../../src/engine/runner.js";
import type { StepDeps } from "../../steps/deps.js";
import type { Step } from "../../src/engine/types.js";
import { azureSteps, preflightSteps } from "../../steps/azure/index.js";
import { devopsSteps } from "../../steps/devops/index.js";
import { repoSteps } from "../../steps/repo/index.js";

/**
 * A sandbox after a real apply (every step family, composed as the CLI does), in-process and
 * fast: the starting point of the pipeline-run tests.
 */
export interface AppliedSandbox {
  readonly sandbox: Sandbox;
  readonly answers: Answers;
  readonly names: Names;
}

/** Answers for the demo app on this sandbox, and every step family over it, composed as the CLI does. */
export function stepFamilies(
  sandbox: Sandbox,
  extraAnswers: Record<string, unknown> = {},
): { answers: Answers; deps: StepDeps; steps: () => Step[] } {
  const target = sandbox.target();
  const answers = answersSchema.parse({
    app: "demo",
    azure: { tenantId: sandbox.tenantId, subscriptionId: sandbox.subscriptionId, location: sandbox.location },
    devops: { organizationUrl: sandbox.organizationUrl, project: "demo", repository: "demo" },
    keyVault: { secrets: [{ name: "db-password", env: "DB_PASSWORD" }] },
    ...extraAnswers,
  });
  const deps: StepDeps = {
    answers,
    names: deriveNames(answers),
    target,
    azure: createAzureClients(target),
    devops: createDevopsClients(target),
    secretValue: async () => "a-test-secret-value",
    options: { replaceEditedFiles: false },
  };
  const steps = () => [
    ...preflightSteps(deps),
    ...azureSteps(deps),
    ...devopsSteps(deps),
    ...repoSteps(deps),
  ];
  return { answers, deps, steps };
}

export async function appliedSandbox(
  opts: SandboxOptions,
  extraAnswers: Record<string, unknown> = {},
): Promise<AppliedSandbox> {
  const sandbox = await startSandbox(opts);
  const { answers, deps, steps } = stepFamilies(sandbox, extraAnswers);
  const failures: string[] = [];
  const run = await applyRun(steps(), {
    onEvent: (e) => {
      if (e.type === "step-status" && e.status === "failed")
        failures.push(`${e.stepId}: ${e.error?.message}`);
    },
  });
  if (run.outcome !== "succeeded") {
    await sandbox.close();
    throw new Error(`apply failed: ${failures.join("; ")}`);
  }
  return { sandbox, answers, names: deps.names };
}
