import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IGitApi } from "azure-devops-node-api/GitApi.js";
import {
  GitVersionType,
  PullRequestStatus,
  VersionControlChangeType,
  ItemContentType,
} from "azure-devops-node-api/interfaces/GitInterfaces.js";
import { answersSchema, type Answers, type AnswersInput } from "../../src/answers/schema.js";
import { deriveNames } from "../../src/answers/names.js";
import type { AzureClients } from "../../src/clients/azure.js";
import { createDevopsClients } from "../../src/clients/devops.js";
import { applyRun, planRun, type RunResult } from "../../src/engine/runner.js";
import type { Change, EngineEvent, Step } from "../../src/engine/types.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import type { StepDeps } from "../../steps/deps.js";
import { projectStep } from "../../steps/devops/project.js";
import { repositoryStep } from "../../steps/devops/repository.js";
import { ids } from "../../steps/ids.js";
import { parseHeader, bodyHash } from "../../steps/repo/managed-file.js";
import { repoSteps } from "../../steps/repo/index.js";
import { fastSandbox, traffic } from "../sandbox/helpers.js";

/**
 * The repo step against the sandbox's Azure DevOps Git: the real azure-devops-node-api client,
 * project and repository created by their own steps.
 */
let sandbox: Sandbox;
let git: IGitApi;
let repoId = "";
const project = "Shop";

function deps(overrides: Partial<AnswersInput["pipeline"]> = {}, replaceEditedFiles = false): StepDeps {
  const answers: Answers = answersSchema.parse({
    app: "shop",
    azure: { tenantId: sandbox.tenantId, subscriptionId: sandbox.subscriptionId, location: sandbox.location },
    devops: { organizationUrl: sandbox.organizationUrl, project, repository: "shop" },
    pipeline: overrides,
    keyVault: { secrets: [{ name: "db-password", env: "DB_PASSWORD" }] },
  });
  const target = sandbox.target();
  return {
    answers,
    names: deriveNames(answers),
    target,
    azure: {} as AzureClients, // the repo family never touches Azure
    devops: createDevopsClients(target),
    secretValue: async () => undefined,
    options: { replaceEditedFiles },
  };
}

function steps(d: StepDeps): Step[] {
  return [projectStep(d) as Step, repositoryStep(d) as Step, ...repoSteps(d)];
}

async function run(
  kind: "plan" | "apply",
  d: StepDeps,
): Promise<{ result: RunResult; events: EngineEvent[] }> {
  const events: EngineEvent[] = [];
  const result = await (kind === "plan" ? planRun : applyRun)(steps(d), { onEvent: (e) => events.push(e) });
  expect(result.failed, JSON.stringify(events.filter((e) => e.type === "step-status" && e.error))).toEqual(
    [],
  );
  return { result, events };
}

const filesChange = (r: RunResult) => r.changes.get(ids.repo.files) as Change;
const pushes = () =>
  traffic(sandbox).filter((t) => t.method === "POST" && /\/pushes(\?|$)/.test(new URL(t.url).pathname + "?"));

async function fileAt(path: string, branch = "main"): Promise<string | undefined> {
  const item = await git.getItem(
    repoId,
    `/${path}`,
    project,
    undefined,
    undefined,
    false,
    false,
    false,
    { version: branch, versionType: GitVersionType.Branch },
    true,
  );
  return item?.content;
}

async function headOf(branch: string): Promise<string> {
  const refs = await git.getRefs(repoId, project, `heads/${branch}`);
  return refs.find((r) => r.name === `refs/heads/${branch}`)!.objectId!;
}

describe("repo files step against the sandbox", () => {
  beforeAll(async () => {
    sandbox = await fastSandbox();
    git = await (await deps().devops.api()).getGitApi();
  });
  afterAll(async () => sandbox?.close());

  it("pushes every generated file and the starter app into the empty repository in one commit", async () => {
    // Given a project and repository that do not exist yet
    const d = deps();
    // When applying
    const { result } = await run("apply", d);
    repoId = (result.observed.get(ids.devops.repository) as { id: string }).id;
    // Then the plan said create, one push carried everything onto main
    expect(filesChange(result).kind).toBe("create");
    expect(pushes()).toHaveLength(1);
    const pushBody = pushes()[0]!.requestBody as {
      refUpdates: { name: string; oldObjectId: string }[];
      commits: { changes: unknown[] }[];
    };
    expect(pushBody.refUpdates).toEqual([{ name: "refs/heads/main", oldObjectId: "0".repeat(40) }]);
    expect(pushBody.commits).toHaveLength(1);
    const ci = await fileAt(".azure-pipelines/ci.yml");
    const header = parseHeader(ci!);
    expect(header?.hash).toBe(bodyHash(header!.body));
    for (const p of [
      ".azure-pipelines/pr.yml",
      ".azure-pipelines/cd.yml",
      ".azure-pipelines/templates/build-and-test.yml",
      "deploy/k8s/namespace.yaml",
      "deploy/k8s/deployment.yaml",
      "deploy/k8s/service.yaml",
      "Dockerfile",
      "package.json",
      "src/app.js",
    ]) {
      expect(await fileAt(p), p).toBeDefined();
    }
  });

  it("a rerun changes nothing and pushes nothing", async () => {
    const before = pushes().length;
    const { result } = await run("apply", deps());
    expect(filesChange(result)).toEqual({
      kind: "noop",
      notes: [
        "stack: detected Node.js 22 with npm (package.json, package-lock.json)",
        "Dockerfile: the repository's own, kept and used",
      ],
    });
    expect(pushes()).toHaveLength(before);
  });

  it("keeps and reports a file a user edited, while updating unchanged ones to a new template", async () => {
    // Given a user edited ci.yml on main
    const ci = (await fileAt(".azure-pipelines/ci.yml"))!;
    const edited = ci.replace("displayName: Integration tests", "displayName: Integration tests (ours)");
    await git.createPush(
      {
        refUpdates: [{ name: "refs/heads/main", oldObjectId: await headOf("main") }],
        commits: [
          {
            comment: "tweak CI",
            changes: [
              {
                changeType: VersionControlChangeType.Edit,
                item: { path: "/.azure-pipelines/ci.yml" },
                newContent: { content: edited, contentType: ItemContentType.RawText },
              },
            ],
          },
        ],
      },
      repoId,
      project,
    );
    // And the template changes (another container port)
    const d = deps({ containerPort: 3000 });
    // When planning
    const plan = filesChange((await run("plan", d)).result);
    // Then the changed manifest is an update, and ci.yml is reported as kept
    expect(plan.kind).toBe("update");
    if (plan.kind !== "update") throw new Error("unreachable");
    expect(plan.fields).toEqual([
      { field: "deploy/k8s/deployment.yaml", from: "generated (old template)", to: "current template" },
    ]);
    expect(plan.notes?.join("\n")).toMatch(/\.azure-pipelines\/ci\.yml: edited by a user, kept/);
    // When applying Then the manifest is updated and ci.yml keeps the user's edit
    await run("apply", d);
    expect(await fileAt("deploy/k8s/deployment.yaml")).toContain("containerPort: 3000");
    expect(await fileAt(".azure-pipelines/ci.yml")).toBe(edited);
    // And the starter app, now the user's code, is left alone (its Dockerfile exists)
    expect(await fileAt("Dockerfile")).toContain("EXPOSE 8080");
  });

  it("replaces an edited file only with replaceEditedFiles", async () => {
    const d = deps({ containerPort: 3000 }, true);
    const plan = filesChange((await run("plan", d)).result);
    expect(plan.kind === "update" && plan.fields).toEqual([
      {
        field: ".azure-pipelines/ci.yml",
        from: "edited by a user (--replace-edited-files)",
        to: "current template",
      },
    ]);
  });

  it("after a blocking branch policy exists, a template change arrives as a pull request, once", async () => {
    // Given a blocking minimum-reviewers policy on main
    const policy = await (await deps().devops.api()).getPolicyApi();
    await policy.createPolicyConfiguration(
      {
        isEnabled: true,
        isBlocking: true,
        type: { id: "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd" },
        settings: {
          minimumApproverCount: 1,
          creatorVoteCounts: false,
          scope: [{ repositoryId: repoId, refName: "refs/heads/main", matchKind: "exact" }],
        },
      },
      project,
    );
    const mainBefore = await headOf("main");
    // And a template change
    const d = deps({ containerPort: 4000 });
    const { result, events } = await run("apply", d);
    // Then main did not move; a branch and one active pull request carry the change
    expect(filesChange(result).kind).toBe("update");
    expect(await headOf("main")).toBe(mainBefore);
    const prs = await git.getPullRequests(
      repoId,
      { status: PullRequestStatus.Active, targetRefName: "refs/heads/main" },
      project,
    );
    expect(prs).toHaveLength(1);
    const branch = prs[0]!.sourceRefName!.replace("refs/heads/", "");
    expect(branch).toMatch(/^aks-bootstrap\/update-[0-9a-f]{8}$/);
    expect(await fileAt("deploy/k8s/deployment.yaml", branch)).toContain("containerPort: 4000");
    expect(events.some((e) => e.type === "log" && /opened pull request #\d+/.test(e.message))).toBe(true);

    // When running again before the pull request is completed
    const again = await run("apply", d);
    // Then nothing new happens: the plan names the pending pull request
    const change = filesChange(again.result);
    expect(change.kind).toBe("noop");
    expect(change.notes?.join("\n")).toMatch(
      new RegExp(`waiting for pull request #${prs[0]!.pullRequestId}`),
    );
    expect(await git.getPullRequests(repoId, { status: PullRequestStatus.Active }, project)).toHaveLength(1);
  });
});
