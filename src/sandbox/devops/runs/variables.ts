import type { BuildRecord, DevopsState } from "../state.js";
import { findGroup } from "./resource-use.js";
import type { BuildReason, TimelineRecordState } from "./run-state.js";

const REASONS: Record<BuildReason, string> = {
  manual: "Manual",
  individualCI: "IndividualCI",
  pullRequest: "PullRequest",
  resourceTrigger: "ResourceTrigger",
};

/**
 * The variables a job sees, by lower-cased name: predefined ones, `resources.pipeline.<alias>.*`,
 * variable groups, then pipeline, queue-time, stage and job variables (later wins). Secret values
 * are never known to the sandbox: they expand to "***", as they show in logs.
 */
export function jobVariables(
  state: DevopsState,
  b: BuildRecord,
  stage: TimelineRecordState | undefined,
  job: TimelineRecordState | undefined,
): Map<string, string> {
  const vars = new Map<string, string>();
  const set = (k: string, v: string) => vars.set(k.toLowerCase(), v);
  const repo = state.repositories[b.repositoryId];
  const project = state.projects[b.projectId];
  const d = state.definitions[String(b.definitionId)];
  const predefined: Record<string, string> = {
    "Build.BuildId": String(b.id),
    "Build.BuildNumber": b.buildNumber,
    "Build.DefinitionName": d?.name ?? "",
    "Build.Reason": REASONS[b.reason],
    "Build.SourceBranch": b.sourceBranch,
    "Build.SourceBranchName": b.sourceBranch.split("/").pop() ?? "",
    "Build.SourceVersion": b.sourceVersion,
    "Build.Repository.Name": repo?.name ?? "",
    "Build.Repository.Id": b.repositoryId,
    "Build.SourcesDirectory": "/home/vsts/work/1/s",
    "Build.ArtifactStagingDirectory": "/home/vsts/work/1/a",
    "Build.BinariesDirectory": "/home/vsts/work/1/b",
    "Pipeline.Workspace": "/home/vsts/work/1",
    "System.DefaultWorkingDirectory": "/home/vsts/work/1/s",
    "System.TeamProject": project?.name ?? "",
    "System.TeamProjectId": b.projectId,
    "System.DefinitionId": String(b.definitionId),
    "Agent.OS": "Linux",
  };
  if (b.pullRequestId !== undefined) predefined["System.PullRequest.PullRequestId"] = String(b.pullRequestId);
  for (const [k, v] of Object.entries(predefined)) set(k, v);
  for (const [alias, r] of Object.entries(b.pipelineResources)) {
    set(`resources.pipeline.${alias}.runID`, String(r.runId));
    set(`resources.pipeline.${alias}.runName`, r.runName);
    set(`resources.pipeline.${alias}.pipelineID`, String(r.definitionId));
    set(`resources.pipeline.${alias}.sourceBranch`, r.sourceBranch);
    set(`resources.pipeline.${alias}.sourceCommit`, r.sourceVersion);
  }
  const groups = [...b.groups, ...(stage?.groups ?? []), ...(job?.groups ?? [])];
  for (const name of groups) {
    const g = findGroup(state, b.projectId, name);
    for (const [k, v] of Object.entries(g?.variables ?? {}))
      set(k, g?.type === "AzureKeyVault" || v.isSecret ? "***" : (v.value ?? ""));
  }
  for (const source of [b.variables, b.queueVariables, stage?.variables ?? {}, job?.variables ?? {}])
    for (const [k, v] of Object.entries(source)) set(k, v);
  return vars;
}

/** Expands $(name) macros; unknown names stay as written, as Azure Pipelines leaves them. */
export function expandMacros(text: string, vars: Map<string, string>): string {
  let out = text;
  for (let i = 0; i < 10; i++) {
    const next = out.replace(/\$\(([^)\s]+)\)/g, (m, name: string) => vars.get(name.toLowerCase()) ?? m);
    if (next === out) break;
    out = next;
  }
  return out;
}
