import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../src/sandbox/index.js";
import { applyRun, planRun, type RunResult } from "../../src/engine/runner.js";
import type { Step } from "../../src/engine/types.js";
import type { StepDeps } from "../../steps/deps.js";
import { ids } from "../../steps/ids.js";
import type { ObservedPipeline, ObservedProject, ObservedRepository } from "../../steps/observed.js";
import { pipelineYamlPaths } from "../../steps/devops/variables.js";
import { stepFamilies } from "../sandbox/applied-sandbox.js";

/** A sandbox and every step family over it, composed as the CLI does. */
async function familiesOn(
  opts: SandboxOptions,
): Promise<{ sandbox: Sandbox; deps: StepDeps; steps: () => Step[] }> {
  const sandbox = await startSandbox(opts);
  const { deps, steps } = stepFamilies(sandbox);
  return { sandbox, deps, steps };
}

/**
 * Every family together against one sandbox, as the CLI composes them: the Azure side feeds
 * the connections, the connections feed the federated credentials, the pushed YAML feeds the
 * pipelines.
 */
describe("Azure, repo and Azure DevOps steps together", () => {
  let sandbox: Sandbox;
  let deps: StepDeps;
  let steps: () => Step[];
  let first: RunResult;
  const failures: string[] = [];

  beforeAll(async () => {
    ({ sandbox, deps, steps } = await familiesOn({ speed: 2000 }));
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

describe("the same under throttling and dropped connections", () => {
  let sandbox: Sandbox | undefined;
  afterAll(async () => sandbox?.close());

  test("a seeded fault plan (429 with and without Retry-After, 503, resets) still converges", async () => {
    // Given a sandbox that throttles, sheds load and drops connections on a fixed seed
    const bed = await familiesOn({
      speed: 2000,
      faults: "429=0.1,429-no-retry-after=0.05,503=0.05,reset=0.05",
      seed: 7,
    });
    sandbox = bed.sandbox;
    const failed: string[] = [];
    // When everything is applied
    const result = await applyRun(bed.steps(), {
      onEvent: (e) => {
        if (e.type === "step-status" && e.status === "failed")
          failed.push(`${e.stepId}: ${e.error?.message}`);
      },
    });
    // Then it succeeds, and Azure DevOps did answer with faults along the way
    expect(failed).toEqual([]);
    expect(result.outcome).toBe("succeeded");
    const devopsFaults = readFileSync(bed.sandbox.trafficLogPath, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { service: string; fault?: string })
      .filter((l) => l.service === "devops" && l.fault)
      .map((l) => l.fault);
    expect(new Set(devopsFaults)).toEqual(new Set(["429", "429-no-retry-after", "503", "reset"]));
  });
});
