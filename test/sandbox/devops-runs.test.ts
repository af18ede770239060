import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebApi } from "azure-devops-node-api";
import {
  BuildReason,
  BuildResult,
  BuildStatus,
  type Build,
  type Timeline,
} from "azure-devops-node-api/interfaces/BuildInterfaces.js";
import { ItemContentType, VersionControlChangeType } from "azure-devops-node-api/interfaces/GitInterfaces.js";
import { RunResult, RunState } from "azure-devops-node-api/interfaces/PipelinesInterfaces.js";
import { startSandbox, type Sandbox } from "../../src/sandbox/index.js";
import type { Names } from "../../src/answers/names.js";
import { createAzureClients } from "../../src/clients/azure.js";
import { appliedSandbox } from "./applied-sandbox.js";
import { rejection } from "./helpers.js";
import { bearerApi, DEVOPS_SCOPE, patApi, raw, waitFor } from "./devops-helpers.js";
import { checkExchange, loadOperations, SPECS_DIR } from "./devops-spec.js";

/**
 * Pipeline runs in the sandbox, driven through the real clients after a real apply: a pull
 * request runs the PR pipeline and cannot complete until it passes, the merge runs CI, CI
 * triggers CD, CD waits for manual validation and the production approval, and what the runs
 * did shows in the emulated registries and clusters.
 */
interface Sandboxish {
  sandbox: Sandbox;
  api: WebApi;
  user: WebApi;
  /** `Bearer ...` of the signed-in identity (the one apply made the production approver). */
  bearer: string;
}

/** The clients, signed in as apply was (Entra token) and with the PAT (another user). */
async function signIn(sandbox: Sandbox): Promise<Sandboxish> {
  const token = await sandbox.target().credential.getToken(DEVOPS_SCOPE);
  return { sandbox, api: await bearerApi(sandbox), user: patApi(sandbox), bearer: `Bearer ${token!.token}` };
}

const SPEC = existsSync(SPECS_DIR) ? loadOperations() : [];
const shapeProblems: string[] = [];

/** A raw call whose answer is checked against Microsoft's spec (problems collected, asserted at the end). */
async function checked<T>(
  s: Sandboxish,
  method: string,
  path: string,
  body?: unknown,
  authorization?: string,
): Promise<T> {
  const r = await raw(s.sandbox, method, path, {
    ...(body === undefined ? {} : { body }),
    ...(authorization ? { authorization } : {}),
  });
  expect(r.status, r.text).toBeLessThan(300);
  const url = new URL(`${s.sandbox.organizationUrl}/${path}`);
  if (SPEC.length > 0) {
    const problems = checkExchange(SPEC, method, url.pathname, r.status, body, r.text ? r.json() : undefined);
    expect(problems, `no spec operation for ${method} ${url.pathname}`).toBeDefined();
    shapeProblems.push(...(problems ?? []));
  }
  return (r.text ? r.json() : undefined) as T;
}

const getChecked = <T>(s: Sandboxish, path: string) => checked<T>(s, "GET", path);

async function pushFile(
  s: Sandboxish,
  project: string,
  repoId: string,
  branch: string,
  from: string,
  path: string,
  content: string,
) {
  const git = await s.api.getGitApi();
  const push = await git.createPush(
    {
      refUpdates: [{ name: branch, oldObjectId: from }],
      commits: [
        {
          comment: `Change ${path}`,
          changes: [
            {
              changeType: VersionControlChangeType.Add,
              item: { path },
              newContent: { content, contentType: ItemContentType.RawText },
            },
          ],
        },
      ],
    },
    repoId,
    project,
  );
  return push.refUpdates?.[0]?.newObjectId as string;
}

function tasks(t: Timeline | undefined) {
  return (t?.records ?? []).filter((r) => r.type === "Task");
}

describe("pipeline runs in the sandbox, after a real apply", () => {
  const dir = mkdtempSync(join(tmpdir(), "aksb-runs-"));
  let s: Sandboxish;
  let names: Names;
  let project: string;
  let repoId: string;
  let defs: Record<"pr" | "ci" | "cd", number>;
  let prId: number;
  let ciBuild: Build;
  let cdBuild: Build;
  /** A CD run left waiting at the production approval, across a restart. */
  let waitingRun: number;

  const build = async (id: number) => (await (await s.api.getBuildApi()).getBuild(project, id)) as Build;
  const timeline = async (id: number) =>
    (await (await s.api.getBuildApi()).getBuildTimeline(project, id)) as Timeline;
  const completed = (id: number, timeoutMs = 20_000) =>
    waitFor(
      `build ${id} to complete`,
      async () => {
        const b = await build(id);
        return b.status === BuildStatus.Completed ? b : undefined;
      },
      timeoutMs,
    );
  const latest = async (definition: number, reason?: BuildReason) =>
    (
      await (
        await s.api.getBuildApi()
      ).getBuilds(project, [definition], undefined, undefined, undefined, undefined, undefined, reason)
    )[0];
  /** Resumes a run's waiting ManualValidation task as Azure DevOps does: a TaskCompleted event on the plan. */
  const resumeValidation = async (runId: number) => {
    const task = await waitingRecord(runId, "ManualValidation");
    const planId = (await build(runId)).orchestrationPlan?.planId;
    const r = await raw(
      s.sandbox,
      "POST",
      `${project}/_apis/distributedtask/hubs/build/plans/${planId}/events?api-version=7.1-preview.1`,
      { body: { name: "TaskCompleted", taskId: task.id, jobId: task.parentId, result: "succeeded" } },
    );
    expect(r.status, r.text).toBe(204);
  };
  /** The record a run waits at: a checkpoint, or the ManualValidation task. */
  const waitingRecord = (
    id: number,
    type: "ManualValidation" | "Checkpoint.Approval" | "Checkpoint.Authorization",
  ) =>
    waitFor(`build ${id} to wait at a ${type}`, async () => {
      const t = await timeline(id);
      return t.records?.find(
        (r) =>
          (type === "ManualValidation" ? r.task?.name === type : r.type === type) &&
          r.state === 1 /* inProgress */,
      );
    });

  beforeAll(async () => {
    const applied = await appliedSandbox(
      // Slow enough that a PR build (~90 realistic seconds) is still running when the test
      // tries to complete the PR, fast enough that a whole CD run takes a couple of seconds.
      { dir, speed: 150 },
      { pipeline: { manualValidation: { enabled: true } } },
    );
    names = applied.names;
    s = await signIn(applied.sandbox);
    project = "demo";
    const pipelines = await (await s.api.getPipelinesApi()).listPipelines("demo");
    const id = (n: string) => pipelines.find((p) => p.name === n)?.id as number;
    defs = { pr: id(names.pipelinePr), ci: id(names.pipelineCi), cd: id(names.pipelineCd) };
    repoId = (await (await s.api.getGitApi()).getRepository("demo", "demo")).id as string;
  }, 120_000);
  afterAll(async () => s?.sandbox.close());

  it("a push to a feature branch runs no CI (the CI trigger includes only main)", async () => {
    const git = await s.api.getGitApi();
    const main = (await git.getRefs(repoId, project, "heads/main"))[0]?.objectId as string;
    await pushFile(s, project, repoId, "refs/heads/feature/hello", main, "/src/hello.txt", "hello\n");
    expect(await (await s.api.getBuildApi()).getBuilds(project, [defs.ci])).toEqual([]);
  });

  it("opening a pull request queues the PR pipeline on the merge ref; completion is refused while it runs", async () => {
    const git = await s.api.getGitApi();
    const pr = await git.createPullRequest(
      { sourceRefName: "refs/heads/feature/hello", targetRefName: "refs/heads/main", title: "Say hello" },
      repoId,
      project,
    );
    prId = pr.pullRequestId as number;
    const b = await latest(defs.pr);
    expect(b).toMatchObject({ reason: BuildReason.PullRequest, sourceBranch: `refs/pull/${prId}/merge` });
    expect(b?.triggerInfo?.["pr.number"]).toBe(String(prId));
    expect(b?._links?.web?.href).toContain(`/_build/results?buildId=${b?.id}`);
    const ev = await getChecked<{
      value: { status: string; configuration: { type: { id: string } }; context: { buildId?: number } }[];
    }>(
      s,
      `${project}/_apis/policy/evaluations?artifactId=${encodeURIComponent(`vstfs:///CodeReview/CodeReviewId/${pr.repository?.project?.id}/${prId}`)}&api-version=7.1-preview.1`,
    );
    const buildEval = ev.value.find((e) => e.context.buildId === b?.id);
    expect(["queued", "running"]).toContain(buildEval?.status);
    const refused = await raw(
      s.sandbox,
      "PATCH",
      `${project}/_apis/git/repositories/${repoId}/pullrequests/${prId}?api-version=7.1`,
      {
        body: { status: "completed", lastMergeSourceCommit: pr.lastMergeSourceCommit },
      },
    );
    expect(refused.status).toBe(409);
    expect(refused.json<{ message: string }>().message).toMatch(/policy/i);
  });

  it("the PR build succeeds step by step; after a reviewer's vote the PR completes", async () => {
    const b = await completed((await latest(defs.pr))!.id!);
    expect(b.result).toBe(BuildResult.Succeeded);
    const t = await timeline(b.id!);
    expect(tasks(t).map((r) => r.name)).toEqual(
      expect.arrayContaining(["Use Node.js 22", "Install dependencies", "Lint", "Build", "Unit tests"]),
    );
    expect(t.records?.filter((r) => r.type === "Stage")).toHaveLength(1);
    await getChecked(
      s,
      `${project}/_apis/build/builds/${b.id}/timeline/${b.orchestrationPlan?.planId}?api-version=7.1`,
    );
    await getChecked(s, `${project}/_apis/build/builds/${b.id}?api-version=7.1`);
    // The reviewers policy (creator's vote does not count) still blocks.
    const stillRefused = await raw(
      s.sandbox,
      "PATCH",
      `${project}/_apis/git/repositories/${repoId}/pullrequests/${prId}?api-version=7.1`,
      {
        body: { status: "completed" },
      },
    );
    expect(stillRefused.status).toBe(409);
    expect(stillRefused.json<{ message: string }>().message).toContain("queued");
    const userId = (await (await s.user.getLocationsApi()).getConnectionData()).authenticatedUser
      ?.id as string;
    const vote = await raw(
      s.sandbox,
      "PUT",
      `${project}/_apis/git/repositories/${repoId}/pullRequests/${prId}/reviewers/${userId}?api-version=7.1`,
      {
        body: { vote: 10 },
      },
    );
    expect(vote.status, vote.text).toBe(200);
    const done = await (
      await s.api.getGitApi()
    ).updatePullRequest({ status: 3 /* completed */ }, repoId, prId, project);
    expect(done.status).toBe(3);
  });

  it("completing the PR merges into main, which runs CI; CI pushes the image to the non-prod registry", async () => {
    const ci = await latest(defs.ci);
    expect(ci).toMatchObject({ reason: BuildReason.IndividualCI, sourceBranch: "refs/heads/main" });
    const pr = await (await s.api.getGitApi()).getPullRequestById(prId, project);
    expect(ci?.sourceVersion).toBe(pr.lastMergeCommit?.commitId);
    ciBuild = await completed(ci!.id!);
    expect(
      ciBuild.result,
      JSON.stringify(tasks(await timeline(ciBuild.id!)).flatMap((r) => r.issues ?? [])),
    ).toBe(BuildResult.Succeeded);
    const state = s.sandbox.state() as {
      registryImages: Record<string, { repository: string; tag: string }[]>;
    };
    const nonprod = Object.entries(state.registryImages).find(([id]) =>
      id.endsWith(`/${names.registryNonprod.toLowerCase()}`),
    );
    expect(nonprod?.[1]).toEqual([
      expect.objectContaining({ repository: names.imageRepository, tag: String(ciBuild.id) }),
    ]);
  });

  it("CI's completion triggers CD, which deploys staging and waits for manual validation", async () => {
    const cd = await waitFor("a CD run", () => latest(defs.cd));
    expect(cd).toMatchObject({ reason: BuildReason.ResourceTrigger, sourceVersion: ciBuild.sourceVersion });
    expect(cd?.triggeredByBuild).toMatchObject({ id: ciBuild.id, definition: { id: defs.ci } });
    cdBuild = cd!;
    const task = await waitingRecord(cd!.id!, "ManualValidation");
    expect(task.task?.name).toBe("ManualValidation");
    const t = await timeline(cd!.id!);
    const staging = t.records?.find((r) => r.type === "Stage" && r.identifier === "staging");
    expect(staging).toMatchObject({ state: 2, result: 0 });
    const state = s.sandbox.state() as { clusterDeployments: Record<string, { images: string[] }[]> };
    const staged = Object.entries(state.clusterDeployments).find(([id]) =>
      id.endsWith(`/${names.clusterStaging.toLowerCase()}`),
    );
    expect(staged?.[1].flatMap((d) => d.images)).toContain(
      `${names.registryNonprod}.azurecr.io/${names.imageRepository}:${ciBuild.id}`,
    );
    // Resume the agentless task as Azure DevOps does: a TaskCompleted event on the plan.
    const planId = (await build(cd!.id!)).orchestrationPlan?.planId;
    const resumed = await raw(
      s.sandbox,
      "POST",
      `${project}/_apis/distributedtask/hubs/build/plans/${planId}/events?api-version=7.1-preview.1`,
      {
        body: { name: "TaskCompleted", taskId: task.id, jobId: task.parentId, result: "succeeded" },
      },
    );
    expect(resumed.status, resumed.text).toBe(204);
  });

  it("production waits at the environment's approval; approving it promotes the image and deploys production", async () => {
    const rec = await waitingRecord(cdBuild.id!, "Checkpoint.Approval");
    const pending = await getChecked<{ value: { id: string; status: string; steps: unknown[] }[] }>(
      s,
      `${project}/_apis/pipelines/approvals?state=pending&$expand=steps&api-version=7.2-preview.2`,
    );
    expect(pending.value.map((a) => a.id)).toContain(rec.id);
    await getChecked(s, `${project}/_apis/pipelines/approvals/${rec.id}?api-version=7.1-preview.1`);
    const run = await (await s.api.getPipelinesApi()).getRun(project, defs.cd, cdBuild.id!);
    expect(run.state).toBe(RunState.InProgress);
    const patched = await checked<{ value: { status: string }[] }>(
      s,
      "PATCH",
      `${project}/_apis/pipelines/approvals?api-version=7.1-preview.1`,
      [{ approvalId: rec.id, status: "approved", comment: "ship it" }],
      s.bearer,
    );
    expect(patched.value[0]?.status).toBe("approved");
    const done = await completed(cdBuild.id!);
    expect(done.result, JSON.stringify(tasks(await timeline(done.id!)).flatMap((r) => r.issues ?? []))).toBe(
      BuildResult.Succeeded,
    );
    const state = s.sandbox.state() as {
      registryImages: Record<string, { repository: string; tag: string }[]>;
      clusterDeployments: Record<string, { images: string[] }[]>;
    };
    const prod = Object.entries(state.registryImages).find(([id]) =>
      id.endsWith(`/${names.registryProd.toLowerCase()}`),
    );
    expect(prod?.[1]).toEqual([
      expect.objectContaining({ repository: names.imageRepository, tag: String(ciBuild.id) }),
    ]);
    const deployed = Object.entries(state.clusterDeployments).find(([id]) =>
      id.endsWith(`/${names.clusterProd.toLowerCase()}`),
    );
    expect(deployed?.[1].flatMap((d) => d.images)).toContain(
      `${names.registryProd}.azurecr.io/${names.imageRepository}:${ciBuild.id}`,
    );
    const finished = await (await s.api.getPipelinesApi()).getRun(project, defs.cd, cdBuild.id!);
    expect(finished).toMatchObject({ state: RunState.Completed, result: RunResult.Succeeded });
  });

  it("a rejected approval fails the production stage and the run", async () => {
    const run = await (
      await s.api.getPipelinesApi()
    ).runPipeline(
      { resources: { repositories: { self: { refName: "refs/heads/main" } } } },
      project,
      defs.cd,
    );
    await resumeValidation(run.id!);
    const rec = await waitingRecord(run.id!, "Checkpoint.Approval");
    const patched = await checked<{ value: { status: string }[] }>(
      s,
      "PATCH",
      `${project}/_apis/pipelines/approvals?api-version=7.2-preview.2`,
      [{ approvalId: rec.id, status: "rejected", comment: "not today" }],
      s.bearer,
    );
    expect(patched.value[0]?.status).toBe("rejected");
    const done = await completed(run.id!);
    expect(done.result).toBe(BuildResult.Failed);
    const production = (await timeline(run.id!)).records?.find(
      (r) => r.type === "Stage" && r.identifier === "production",
    );
    expect(production).toMatchObject({ state: 2, result: 2 /* failed */ });
  });

  /** A new CD run, resumed past its manual validation, waiting at the production approval. */
  const atApproval = async () => {
    const run = await (await s.api.getPipelinesApi()).runPipeline({}, project, defs.cd);
    await resumeValidation(run.id!);
    return { run: run.id!, approval: (await waitingRecord(run.id!, "Checkpoint.Approval")).id! };
  };
  const answer = (approvalId: string, authorization: string) =>
    raw(s.sandbox, "PATCH", `${project}/_apis/pipelines/approvals?api-version=7.1-preview.1`, {
      body: [{ approvalId, status: "approved", comment: "looks good" }],
      authorization,
    });
  const pat = () => `Basic ${Buffer.from(`:${s.sandbox.pat}`).toString("base64")}`;
  const approvalStatus = async (id: string) =>
    (
      await checked<{ status: string }>(
        s,
        "GET",
        `${project}/_apis/pipelines/approvals/${id}?api-version=7.1-preview.1`,
      )
    ).status;
  /** Makes the production environment's Approval check name `approvers` (identity or group ids). */
  const setProductionApprovers = async (approvers: string[], extra: Record<string, unknown> = {}) => {
    const env = (await (await s.api.getTaskAgentApi()).getEnvironments(project, names.environmentProd))[0];
    const checks = await checked<{ value: { id: number; settings: Record<string, unknown> }[] }>(
      s,
      "GET",
      `${project}/_apis/pipelines/checks/configurations?resourceType=environment&resourceId=${env?.id}&$expand=settings&api-version=7.1-preview.1`,
    );
    const check = checks.value[0]!;
    const r = await raw(
      s.sandbox,
      "PATCH",
      `${project}/_apis/pipelines/checks/configurations/${check.id}?api-version=7.1-preview.1`,
      {
        body: {
          ...check,
          settings: {
            ...check.settings,
            approvers: approvers.map((id) => ({ id })),
            minRequiredApprovers: 1,
            ...extra,
          },
        },
      },
    );
    expect(r.status, r.text).toBe(200);
    return check.settings.approvers as { id: string }[];
  };
  const groupId = async (principalName: string) => {
    const r = await raw(
      s.sandbox,
      "GET",
      `_apis/identities?searchFilter=General&filterValue=${encodeURIComponent(principalName)}&api-version=7.1`,
    );
    const id = r.json<{ value: { id: string }[] }>().value[0]?.id;
    expect(id, r.text).toBeDefined();
    return id!;
  };

  it("an approval by someone who is not its approver is refused and the run still waits; its approver then approves", async () => {
    const { run, approval } = await atApproval();
    // The PAT's user is not the approver apply set (the signed-in identity).
    const refused = await answer(approval, pat());
    expect(refused.status, refused.text).toBe(403);
    expect(refused.json()).toMatchObject({ typeKey: "ApprovalUnauthorizedException" });
    expect(refused.json<{ message: string }>().message).toMatch(/is not authorized to approve/);
    expect(await approvalStatus(approval)).toBe("pending");
    expect((await build(run)).status).toBe(BuildStatus.InProgress);
    const approved = await answer(approval, s.bearer);
    expect(approved.status, approved.text).toBe(200);
    expect((await completed(run)).result).toBe(BuildResult.Succeeded);
  });

  it("approvers as a group: someone outside it is refused, a member approves", async () => {
    const releaseManagers = await groupId(`[${project}]\\Release Managers`);
    const admins = await groupId(`[${project}]\\Project Administrators`);
    const before = await setProductionApprovers([releaseManagers]);
    try {
      const first = await atApproval();
      // The signed-in identity is a project administrator, not a release manager.
      const refused = await answer(first.approval, s.bearer);
      expect(refused.status, refused.text).toBe(403);
      expect(refused.json<{ message: string }>().message).toContain(`[${project}]\\Release Managers`);
      expect(await approvalStatus(first.approval)).toBe("pending");
      const cancel = await (
        await s.api.getBuildApi()
      ).updateBuild({ status: BuildStatus.Cancelling }, project, first.run);
      expect(cancel.id).toBe(first.run);
      await completed(first.run);

      await setProductionApprovers([admins]);
      const second = await atApproval();
      const approved = await answer(second.approval, pat());
      expect(approved.status, approved.text).toBe(200);
      expect((await completed(second.run)).result).toBe(BuildResult.Succeeded);
    } finally {
      await setProductionApprovers(before.map((a) => a.id));
    }
  });

  it("a check that bars the requester: whoever queued the run is refused though an approver, another approver approves", async () => {
    const admins = await groupId(`[${project}]\\Project Administrators`);
    const before = await setProductionApprovers([admins], { requesterCannotBeApprover: true });
    try {
      // Queued with the signed-in identity's token: it is the run's requester.
      const { run, approval } = await atApproval();
      const shown = await checked<{ blockedApprovers: { id: string }[] }>(
        s,
        "GET",
        `${project}/_apis/pipelines/approvals/${approval}?api-version=7.1-preview.1`,
      );
      expect(shown.blockedApprovers.map((b) => b.id)).toEqual([(await build(run)).requestedFor?.id]);
      const refused = await answer(approval, s.bearer);
      expect(refused.status, refused.text).toBe(403);
      expect(refused.json<{ message: string }>().message).toMatch(/requested this run and cannot approve/);
      expect(await approvalStatus(approval)).toBe("pending");
      // The PAT's user is a project administrator too, and did not queue it.
      const approved = await answer(approval, pat());
      expect(approved.status, approved.text).toBe(200);
      expect((await completed(run)).result).toBe(BuildResult.Succeeded);
    } finally {
      await setProductionApprovers(
        before.map((a) => a.id),
        { requesterCannotBeApprover: false },
      );
    }
  });

  it("a pipeline not authorized for the production environment waits for permission, then continues once permitted", async () => {
    const env = (await (await s.api.getTaskAgentApi()).getEnvironments(project, names.environmentProd))[0];
    const revoke = await raw(
      s.sandbox,
      "PATCH",
      `${project}/_apis/pipelines/pipelinePermissions/environment/${env?.id}?api-version=7.1-preview.1`,
      {
        body: { pipelines: [{ id: defs.cd, authorized: false }] },
      },
    );
    expect(revoke.status).toBe(200);
    const run = await (await s.api.getPipelinesApi()).runPipeline({}, project, defs.cd);
    await resumeValidation(run.id!);
    const waiting = await waitingRecord(run.id!, "Checkpoint.Authorization");
    expect(waiting.issues?.[0]?.message).toMatch(
      /^This pipeline needs permission to access a resource before this run can continue/,
    );
    expect(waiting.issues?.[0]?.message).toContain(`environment '${names.environmentProd}'`);
    expect((await build(run.id!)).status).toBe(BuildStatus.InProgress);
    const suite = await getChecked<{
      status: string;
      checkRuns: {
        status: string;
        checkConfigurationRef: { type: { name: string } };
        resultMessage: string;
      }[];
    }>(s, `${project}/_apis/pipelines/checks/runs/${waiting.parentId}?api-version=7.1-preview.1`);
    expect(suite.status).toBe("running");
    expect(suite.checkRuns[0]).toMatchObject({
      status: "running",
      checkConfigurationRef: { type: { name: "Authorization" } },
    });
    expect(suite.checkRuns[0]?.resultMessage).toContain("needs permission");
    const grant = await raw(
      s.sandbox,
      "PATCH",
      `${project}/_apis/pipelines/pipelinePermissions/environment/${env?.id}?api-version=7.1-preview.1`,
      {
        body: { pipelines: [{ id: defs.cd, authorized: true }] },
      },
    );
    expect(grant.status).toBe(200);
    // Authorized: the run goes on to the production approval.
    await waitingRecord(run.id!, "Checkpoint.Approval");
    waitingRun = run.id!;
  });

  it("CI's identity without AcrPush on the non-prod registry: the image push fails as the registry refuses it", async () => {
    const az = createAzureClients(s.sandbox.target());
    const registry = await az.registry.registries.get(names.resourceGroupNonprod, names.registryNonprod);
    const ci = await az.msi.userAssignedIdentities.get(names.resourceGroupNonprod, names.identityCi);
    const assignments = [];
    for await (const a of az.authorization.roleAssignments.listForScope(registry.id!)) assignments.push(a);
    const push = assignments.filter((a) => a.principalId === ci.principalId && a.scope === registry.id);
    expect(push.length).toBeGreaterThan(0);
    for (const a of push) await az.authorization.roleAssignments.deleteById(a.id!);
    const run = await (await s.api.getPipelinesApi()).runPipeline({}, project, defs.ci);
    const done = await completed(run.id!);
    expect(done.result).toBe(BuildResult.Failed);
    const failed = tasks(await timeline(run.id!)).find((r) => r.result === 2);
    expect(failed?.name).toBe("Build and push the image to the non-prod registry");
    expect(failed?.issues?.[0]?.message).toMatch(/^unauthorized: authentication required/);
  });

  it("restarted with the unit-test-fail fault, a PR build fails naming the step, and the PR cannot complete", async () => {
    await s.sandbox.close();
    const sandbox = await startSandbox({ dir, speed: 150, faults: "unit-test-fail=1" });
    s = await signIn(sandbox);
    // The run that was waiting before the restart still waits, and goes on when approved.
    const rec = await waitingRecord(waitingRun, "Checkpoint.Approval");
    const approved = await raw(
      s.sandbox,
      "PATCH",
      `${project}/_apis/pipelines/approvals?api-version=7.1-preview.1`,
      { body: [{ approvalId: rec.id, status: "approved" }], authorization: s.bearer },
    );
    expect(approved.status, approved.text).toBe(200);
    expect((await completed(waitingRun)).result).toBe(BuildResult.Succeeded);
    const git = await s.api.getGitApi();
    const main = (await git.getRefs(repoId, project, "heads/main"))[0]?.objectId as string;
    await pushFile(s, project, repoId, "refs/heads/feature/broken", main, "/src/broken.txt", "broken\n");
    const pr = await git.createPullRequest(
      { sourceRefName: "refs/heads/feature/broken", targetRefName: "refs/heads/main", title: "Break a test" },
      repoId,
      project,
    );
    const b = await completed((await latest(defs.pr))!.id!);
    expect(b.result).toBe(BuildResult.Failed);
    const failed = tasks(await timeline(b.id!)).find((r) => r.result === 2);
    expect(failed).toMatchObject({ name: "Unit tests" });
    expect(failed?.issues?.[0]?.message).toBe("Bash exited with code '1'.");
    // The step's log, as the agent writes it.
    const log = await (await s.api.getBuildApi()).getBuildLogLines(project, b.id!, failed!.log!.id!);
    expect(log.at(-2)).toMatch(/##\[error\]Bash exited with code '1'\.$/);
    await getChecked(s, `${project}/_apis/build/builds/${b.id}/logs?api-version=7.1`);
    const refused = await raw(
      s.sandbox,
      "PATCH",
      `${project}/_apis/git/repositories/${repoId}/pullrequests/${pr.pullRequestId}?api-version=7.1`,
      {
        body: { status: "completed" },
      },
    );
    expect(refused.status).toBe(409);
    expect(refused.json<{ message: string }>().message).toContain("rejected");
  });

  it("a change only to excluded paths (*.md), completed bypassing policies, runs no CI", async () => {
    const git = await s.api.getGitApi();
    const main = (await git.getRefs(repoId, project, "heads/main"))[0]?.objectId as string;
    const before = (await (await s.api.getBuildApi()).getBuilds(project, [defs.ci])).length;
    await pushFile(s, project, repoId, "refs/heads/docs-only", main, "/NOTES.md", "notes\n");
    const pr = await git.createPullRequest(
      { sourceRefName: "refs/heads/docs-only", targetRefName: "refs/heads/main", title: "Notes" },
      repoId,
      project,
    );
    const done = await git.updatePullRequest(
      { status: 3, completionOptions: { bypassPolicy: true, bypassReason: "docs only" } },
      repoId,
      pr.pullRequestId!,
      project,
    );
    expect(done.status).toBe(3);
    expect((await git.getRefs(repoId, project, "heads/main"))[0]?.objectId).toBe(
      done.lastMergeCommit?.commitId,
    );
    expect(await (await s.api.getBuildApi()).getBuilds(project, [defs.ci])).toHaveLength(before);
  });

  it("builds, runs, timelines, approvals and evaluations answered as the specs describe", async () => {
    await getChecked(
      s,
      `${project}/_apis/build/builds?definitions=${defs.cd}&statusFilter=completed&$top=5&queryOrder=finishTimeDescending&api-version=7.1`,
    );
    await getChecked(s, `${project}/_apis/pipelines/${defs.cd}/runs?api-version=7.1`);
    const queued = await checked<{ state: string; id: number }>(
      s,
      "POST",
      `${project}/_apis/pipelines/${defs.pr}/runs?api-version=7.1`,
      { resources: { repositories: { self: { refName: "refs/heads/main" } } }, templateParameters: {} },
    );
    expect(queued.state).toBe("inProgress");
    const canceled = await (
      await s.api.getBuildApi()
    ).updateBuild({ status: BuildStatus.Cancelling }, project, queued.id);
    expect(canceled).toMatchObject({ status: BuildStatus.Completed, result: BuildResult.Canceled });
    const pipelines = await s.api.getPipelinesApi();
    expect((await pipelines.listRuns(project, defs.pr)).map((r) => r.id)).toContain(queued.id);
    // Queued by hand, a run with a parameter the pipeline does not declare is refused.
    const refused = await rejection(
      pipelines.runPipeline({ templateParameters: { nope: "1" } }, project, defs.pr),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.message).toContain("Unexpected parameter 'nope'");
    await getChecked(s, `${project}/_apis/pipelines/${defs.cd}/runs/${cdBuild.id}?api-version=7.1`);
    const failedPr = await (
      await s.api.getBuildApi()
    ).getBuilds(
      project,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      BuildReason.PullRequest,
      BuildStatus.Completed,
      BuildResult.Failed,
      undefined,
      undefined,
      1,
    );
    expect(failedPr.map((b) => [b.definition?.id, b.result])).toEqual([[defs.pr, BuildResult.Failed]]);
    expect(shapeProblems).toEqual([]);
  });
});
