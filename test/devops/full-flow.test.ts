import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { startSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { answersSchema } from "../../src/answers/schema.js";
import { deriveNames } from "../../src/answers/names.js";
import { createAzureClients } from "../../src/clients/azure.js";
import { createDevopsClients } from "../../src/clients/devops.js";
import { applyRun, planRun, type RunResult } from "../../src/engine/runner.js";
import type { Step } from "../../src/engine/types.js";
import type { StepDeps } from "../../steps/deps.js";
import { ids } from "../../steps/ids.js";
import type { ObservedPipeline, ObservedProject, ObservedRepository } from "../../steps/observed.js";
import { azureSteps, preflightSteps } from "../../steps/azure/index.js";
import { devopsSteps } from "../../steps/devops/index.js";
import { repoSteps } from "../../steps/repo/index.js";
import { pipelineYamlPaths } from "../../steps/devops/variables.js";

/**
 * Every family together against one sandbox, as the CLI composes them: the Azure side feeds
 * the connections, the connections feed the federated credentials, the pushed YAML feeds the
 * pipelines. (The reviewer policy is left to devops-steps.test.ts: minimumReviewers 0 here.)
 */
describe("Azure, repo and Azure DevOps steps together", () => {
  let sandbox: Sandbox;
  let deps: StepDeps;
  let steps: () => Step[];
  let first: RunResult;
  const failures: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 2000 });
    const target = sandbox.target();
    const answers = answersSchema.parse({
      app: "demo",
      azure: {
        tenantId: sandbox.tenantId,
        subscriptionId: sandbox.subscriptionId,
        location: sandbox.location,
      },
      devops: {
        organizationUrl: sandbox.organizationUrl,
        project: "demo",
        repository: "demo",
        minimumReviewers: 0,
      },
      keyVault: { secrets: [{ name: "db-password", env: "DB_PASSWORD" }] },
    });
    deps = {
      answers,
      names: deriveNames(answers),
      target,
      azure: createAzureClients(target),
      devops: createDevopsClients(target),
      secretValue: async () => "a-test-secret-value",
      options: { replaceEditedFiles: false },
    };
    steps = () => [...preflightSteps(deps), ...azureSteps(deps), ...devopsSteps(deps), ...repoSteps(deps)];
    // Given an empty subscription and organization, when everything is applied
    first = await applyRun(steps(), {
      onEvent: (e) => {
        if (e.type === "step-status" && e.status === "failed")
          failures.push(`${e.stepId}: ${e.error?.message}`);
      },
    });
  });
  afterAll(async () => sandbox?.close());

  test("a fresh apply succeeds", () => {
    expect(failures).toEqual([]);
    expect(first.outcome).toBe("succeeded");
  });

  test("each pipeline runs the YAML pushed to the repository, and CD's pipeline resource names CI", async () => {
    const project = first.observed.get(ids.devops.project) as ObservedProject;
    const repo = first.observed.get(ids.devops.repository) as ObservedRepository;
    const git = await (await deps.devops.api()).getGitApi();
    for (const kind of ["pr", "ci", "cd"] as const) {
      const pipeline = first.observed.get(ids.devops.pipeline(kind)) as ObservedPipeline;
      expect(pipeline.yamlPath).toBe(pipelineYamlPaths[kind]);
      const item = await git.getItem(
        repo.id,
        pipelineYamlPaths[kind],
        project.id,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        true,
      );
      expect(item?.content, kind).toBeTruthy();
    }
    const cd = await git.getItem(
      repo.id,
      pipelineYamlPaths.cd,
      project.id,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      true,
    );
    const doc = parse(cd.content ?? "") as { resources?: { pipelines?: { source?: string }[] } };
    const ci = first.observed.get(ids.devops.pipeline("ci")) as ObservedPipeline;
    expect(doc.resources?.pipelines?.map((p) => p.source)).toEqual([ci.name]);
  });

  test("a rerun plans no change", async () => {
    const plan = await planRun(steps());
    expect([...plan.changes].filter(([, c]) => c.kind !== "noop").map(([id]) => id)).toEqual([]);
  });
});
