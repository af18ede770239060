import type {
  BuildDefinitionRecord,
  BuildRecord,
  DevopsState,
  GitRepositoryRecord,
  IdentityRef,
  PolicyConfigurationRecord,
} from "../state.js";
import { BUILD_POLICY } from "../policy.js";
import { branchMatches, loadPipeline, PipelineYamlError, type PipelineModel } from "./pipeline-yaml.js";
import { fileReader, yamlPath } from "./queue.js";
import { queue, type RunContext } from "./run-context.js";
import { randomUUID } from "node:crypto";

/**
 * What queues runs without anyone asking: a push (the YAML `trigger`, with branch and path
 * filters), a pull request (build validation policies), and a completed run
 * (`resources.pipelines` triggers of other pipelines).
 */
function modelAt(state: DevopsState, d: BuildDefinitionRecord, commitId: string): PipelineModel | undefined {
  try {
    return loadPipeline(yamlPath(d), fileReader(state, d.repository.id, commitId));
  } catch (e) {
    if (e instanceof PipelineYamlError) return undefined;
    throw e;
  }
}

function pathMatches(pattern: string, path: string): boolean {
  const p = pattern.startsWith("/") ? pattern : `/${pattern}`;
  const re = new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}(/.*)?$`, "i");
  return re.test(path);
}

/** Paths that differ between two commits. */
function changedPaths(repo: GitRepositoryRecord, from: string | undefined, to: string): string[] {
  const a = (from && repo.commits[from]?.tree) || {};
  const b = repo.commits[to]?.tree ?? {};
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((p) => a[p] !== b[p]);
}

/** CI definitions come from the YAML unless the definition overrides its triggers without a CI one. */
function ciEnabled(d: BuildDefinitionRecord): boolean {
  const triggers = d.extra.triggers;
  if (!Array.isArray(triggers)) return true;
  return triggers.some(
    (t) => String((t as Record<string, unknown>).triggerType).toLowerCase() === "continuousintegration",
  );
}

/** After a push: CI runs for the pipelines whose trigger matches the branch and the changed paths. */
export function onPush(
  ctx: RunContext,
  repo: GitRepositoryRecord,
  refName: string,
  oldTip: string | undefined,
  newTip: string,
  pusher: IdentityRef,
  comment: string,
): BuildRecord[] {
  const queued: BuildRecord[] = [];
  const changed = changedPaths(repo, oldTip, newTip);
  for (const d of Object.values(ctx.state.definitions).filter((x) => x.repository.id === repo.id)) {
    if (d.queueStatus !== "enabled" || !ciEnabled(d)) continue;
    const model = modelAt(ctx.state, d, newTip);
    if (!model || model.trigger === "none" || !branchMatches(model.trigger, refName)) continue;
    const paths = model.triggerPaths;
    const relevant = changed.filter(
      (p) =>
        (paths.include.length === 0 || paths.include.some((x) => pathMatches(x, p))) &&
        !paths.exclude.some((x) => pathMatches(x, p)),
    );
    if (oldTip !== undefined && relevant.length === 0) continue;
    queued.push(
      queue(ctx, {
        definition: d,
        sourceBranch: refName,
        sourceVersion: newTip,
        reason: "individualCI",
        requestedFor: pusher,
        triggerInfo: {
          "ci.sourceBranch": refName,
          "ci.sourceSha": newTip,
          "ci.message": comment.trim(),
          "ci.triggerRepository": repo.id,
        },
      }),
    );
  }
  return queued;
}

/** Build validation: a run of each blocking or optional build policy that applies to the PR's target. */
export function queuePullRequestBuilds(
  ctx: RunContext,
  pr: DevopsState["pullRequests"][string],
  mergeCommit: string,
  who: IdentityRef,
  policyApplies: (p: PolicyConfigurationRecord) => boolean,
): void {
  const repo = ctx.state.repositories[pr.repositoryId];
  if (!repo) return;
  ctx.state.policyEvaluations ??= {};
  for (const p of Object.values(ctx.state.policies)) {
    if (p.projectId !== repo.projectId || !p.isEnabled || p.isDeleted) continue;
    if (!policyApplies(p)) continue;
    let buildId: number | undefined;
    if (p.typeId === BUILD_POLICY) {
      const d = ctx.state.definitions[String(p.settings.buildDefinitionId)];
      if (!d || d.queueStatus !== "enabled") continue;
      buildId = queue(ctx, {
        definition: d,
        sourceBranch: `refs/pull/${pr.pullRequestId}/merge`,
        sourceVersion: mergeCommit,
        reason: "pullRequest",
        requestedFor: who,
        pullRequestId: pr.pullRequestId,
        triggerInfo: {
          "pr.number": String(pr.pullRequestId),
          "pr.isFork": "False",
          "pr.triggerRepository": repo.id,
          "pr.triggerRepository.Type": "TfsGit",
          "pr.sourceBranch": pr.sourceRefName,
          "pr.sourceSha": pr.lastMergeSourceCommit,
          "pr.targetBranch": pr.targetRefName,
          "pr.title": pr.title,
          "pr.draft": pr.isDraft ? "True" : "False",
        },
      }).id;
    }
    // One evaluation per policy and PR, re-pointed at the newest build.
    const existing = Object.values(ctx.state.policyEvaluations).find(
      (e) =>
        e.pullRequestId === pr.pullRequestId && e.configurationId === p.id && e.projectId === repo.projectId,
    );
    if (existing) {
      if (buildId !== undefined) {
        existing.buildId = buildId;
        existing.startedDate = new Date(ctx.now).toISOString();
        delete existing.completedDate;
      }
    } else {
      const id = randomUUID();
      ctx.state.policyEvaluations[id] = {
        evaluationId: id,
        configurationId: p.id,
        pullRequestId: pr.pullRequestId,
        projectId: repo.projectId,
        ...(buildId !== undefined ? { buildId } : {}),
        startedDate: new Date(ctx.now).toISOString(),
      };
    }
  }
}

/** After a run: pipelines whose `resources.pipelines` trigger names this pipeline and branch. */
export function onRunCompleted(ctx: RunContext, b: BuildRecord): void {
  if (b.result !== "succeeded" && b.result !== undefined) return;
  const source = ctx.state.definitions[String(b.definitionId)];
  if (!source) return;
  for (const d of Object.values(ctx.state.definitions)) {
    if (d.id === source.id || d.projectId !== source.projectId || d.queueStatus !== "enabled") continue;
    const repo = ctx.state.repositories[d.repository.id];
    const tip =
      repo?.refs[d.repository.defaultBranch] ??
      (repo?.defaultBranch ? repo.refs[repo.defaultBranch] : undefined);
    if (!repo || !tip) continue;
    const model = modelAt(ctx.state, d, tip);
    const res = model?.pipelineResources.find(
      (r) =>
        r.source.toLowerCase() === source.name.toLowerCase() &&
        r.trigger &&
        branchMatches(r.trigger, b.sourceBranch),
    );
    if (!res) continue;
    // Same repository: the triggered run uses the triggering run's commit, as Azure Pipelines does.
    const sameRepo = d.repository.id === b.repositoryId;
    queue(ctx, {
      definition: d,
      sourceBranch: sameRepo ? b.sourceBranch : d.repository.defaultBranch,
      sourceVersion: sameRepo ? b.sourceVersion : tip,
      reason: "resourceTrigger",
      requestedFor: b.requestedFor,
      queueTime: b.finishTime ?? new Date(ctx.now).toISOString(),
      pipelineRuns: { [res.alias]: b.id },
      triggerInfo: {
        alias: res.alias,
        pipelineId: String(source.id),
        runId: String(b.id),
        runName: b.buildNumber,
        pipelineTriggerType: "PipelineCompletion",
      },
    });
  }
}
