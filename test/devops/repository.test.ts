import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ItemContentType, VersionControlChangeType } from "azure-devops-node-api/interfaces/GitInterfaces.js";
import { startSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { answersSchema } from "../../src/answers/schema.js";
import { deriveNames } from "../../src/answers/names.js";
import { createDevopsClients } from "../../src/clients/devops.js";
import { applyRun, planRun } from "../../src/engine/runner.js";
import type { Step } from "../../src/engine/types.js";
import type { StepDeps } from "../../steps/deps.js";
import { ids } from "../../steps/ids.js";
import { devopsSignInStep } from "../../steps/devops/preflight-auth.js";
import { projectStep, type ObservedProjectDetail } from "../../steps/devops/project.js";
import { repositoryStep, type ObservedRepositoryDetail } from "../../steps/devops/repository.js";

const ZERO = "0000000000000000000000000000000000000000";

describe("repository step", () => {
  let sandbox: Sandbox;
  let deps: StepDeps;
  const steps = (): Step[] => [
    devopsSignInStep(deps),
    projectStep(deps, { afterSignIn: true }),
    repositoryStep(deps),
  ];

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
        repository: "app",
        defaultBranch: "main",
      },
    });
    deps = { answers, names: deriveNames(answers), devops: createDevopsClients(target), target } as StepDeps;
  });
  afterAll(async () => sandbox?.close());

  test("a new repository is created empty, on the answers' default branch", async () => {
    const result = await applyRun(steps());
    expect(result.failed).toEqual([]);
    expect(result.observed.get(ids.devops.repository)).toMatchObject({
      name: "app",
      empty: true,
      defaultBranch: "main",
    });
  });

  test("a repository whose default is another branch is switched to the answers' branch when it exists", async () => {
    // Given commits on trunk (first, so the repository's default) and on main
    const project = (await planRun(steps())).observed.get(ids.devops.project) as ObservedProjectDetail;
    const git = await (await deps.devops.api()).getGitApi();
    const repo = await git.getRepository("app", project.id);
    const change = (path: string) => ({
      changeType: VersionControlChangeType.Add,
      item: { path },
      newContent: { content: "hello", contentType: ItemContentType.RawText },
    });
    const first = await git.createPush(
      {
        refUpdates: [{ name: "refs/heads/trunk", oldObjectId: ZERO }],
        commits: [{ comment: "first", changes: [change("/a.txt")] }],
      },
      repo.id!,
      project.id,
    );
    const trunkHead = first.refUpdates?.[0]?.newObjectId ?? first.commits?.[0]?.commitId;
    await git.createPush(
      {
        refUpdates: [{ name: "refs/heads/main", oldObjectId: ZERO }],
        commits: [{ comment: "second", parents: [trunkHead!], changes: [change("/b.txt")] }],
      },
      repo.id!,
      project.id,
    );
    expect((await git.getRepository(repo.id!, project.id)).defaultBranch).toBe("refs/heads/trunk");

    // When planned and applied
    const plan = await planRun(steps());
    expect(plan.changes.get(ids.devops.repository)).toEqual({
      kind: "update",
      fields: [{ field: "defaultBranch", from: "trunk", to: "main" }],
    });
    const errors: string[] = [];
    const result = await applyRun(steps(), {
      onEvent: (e) => {
        if (e.type === "step-status" && e.status === "failed") errors.push(String(e.error?.message));
      },
    });
    // Then main is the default, and what the step publishes says so
    expect(errors).toEqual([]);
    expect(result.failed).toEqual([]);
    expect((await git.getRepository(repo.id!, project.id)).defaultBranch).toBe("refs/heads/main");
    const observed = result.observed.get(ids.devops.repository) as ObservedRepositoryDetail;
    expect(observed).toMatchObject({ defaultBranch: "main", empty: false });
    expect([...observed.branches].sort()).toEqual(["main", "trunk"]);
  });
});
