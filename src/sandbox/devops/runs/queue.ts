import { randomUUID } from "node:crypto";
import type { BuildDefinitionRecord, BuildRecord, DevopsState, IdentityRef } from "../state.js";
import { loadPipeline, PipelineYamlError, type PipelineModel } from "./pipeline-yaml.js";
import { CONNECTION_INPUTS, findEndpoint, findEnvironmentByName, findGroup } from "./resource-use.js";
import type { BuildReason, TimelineRecordState } from "./run-state.js";

/** What queues a run: the pipeline, the branch and commit, and why. */
export interface QueueRequest {
  readonly definition: BuildDefinitionRecord;
  readonly sourceBranch: string;
  /** Commit to run; defaults to the branch tip. */
  readonly sourceVersion?: string;
  readonly reason: BuildReason;
  readonly requestedFor: IdentityRef;
  readonly queueTime: string;
  readonly triggerInfo?: Record<string, string>;
  readonly templateParameters?: Record<string, string>;
  readonly variables?: Record<string, string>;
  readonly pullRequestId?: number;
  /** Pipeline resources chosen by the trigger (alias -> run id). */
  readonly pipelineRuns?: Record<string, number>;
  readonly faults: readonly string[];
}

const AUTHZ = "For authorization details, refer to https://aka.ms/yamlauthz.";

/** Reads a file of the repository at a commit, as text. */
export function fileReader(state: DevopsState, repositoryId: string, commitId: string) {
  const repo = state.repositories[repositoryId];
  const commit = repo?.commits[commitId];
  return (path: string): string | undefined => {
    const blob = commit?.tree[path];
    const b64 = blob === undefined ? undefined : repo?.blobs[blob];
    return b64 === undefined ? undefined : Buffer.from(b64, "base64").toString("utf8");
  };
}

export function yamlPath(d: BuildDefinitionRecord): string {
  const p = d.process.yamlFilename.replace(/\\/g, "/");
  return p.startsWith("/") ? p : `/${p}`;
}

/** Resources the YAML names that do not exist: the run fails before it starts, as in Azure Pipelines. */
function missingResources(state: DevopsState, projectId: string, model: PipelineModel): string[] {
  const problems: string[] = [];
  const groups = [
    ...model.groups,
    ...model.stages.flatMap((s) => [...s.groups, ...s.jobs.flatMap((j) => j.groups)]),
  ];
  for (const g of new Set(groups)) {
    if (!findGroup(state, projectId, g))
      problems.push(
        `Variable group ${g} could not be found. The variable group does not exist or has not been authorized for use. ${AUTHZ}`,
      );
  }
  for (const stage of model.stages) {
    for (const job of stage.jobs) {
      if (job.environment && !findEnvironmentByName(state, projectId, job.environment))
        problems.push(
          `Job ${job.name}: Environment ${job.environment} could not be found. The environment does not exist or has not been authorized for use.`,
        );
      for (const step of job.steps) {
        for (const input of CONNECTION_INPUTS) {
          const name = step.plan.inputs[input];
          if (!name || name.includes("$(")) continue;
          if (!findEndpoint(state, projectId, name))
            problems.push(
              `Job ${job.name}: Step input ${input} references service connection ${name} which could not be found. The service connection does not exist, has been disabled or has not been authorized for use. ${AUTHZ}`,
            );
        }
      }
    }
  }
  return problems;
}

function latestSucceeded(state: DevopsState, definitionId: number): BuildRecord | undefined {
  return Object.values(state.builds)
    .filter((b) => b.definitionId === definitionId && b.status === "completed" && b.result === "succeeded")
    .sort((a, b) => b.id - a.id)[0];
}

function timeline(model: PipelineModel): TimelineRecordState[] {
  const records: TimelineRecordState[] = [];
  model.stages.forEach((stage, si) => {
    const stageId = randomUUID();
    records.push({
      id: stageId,
      parentId: null,
      type: "Stage",
      name: stage.displayName,
      identifier: stage.name,
      order: si + 1,
      state: "pending",
      issues: [],
      dependsOn: [...stage.dependsOn],
      ...(stage.condition ? { condition: stage.condition } : {}),
      variables: stage.variables,
      groups: [...stage.groups],
    });
    stage.jobs.forEach((job, ji) => {
      const phaseId = randomUUID();
      const jobId = randomUUID();
      records.push({
        id: phaseId,
        parentId: stageId,
        type: "Phase",
        name: job.displayName,
        identifier: `${stage.name}.${job.name}`,
        refName: job.name,
        order: ji + 1,
        state: "pending",
        issues: [],
        dependsOn: [...job.dependsOn],
        ...(job.condition ? { condition: job.condition } : {}),
      });
      records.push({
        id: jobId,
        parentId: phaseId,
        type: "Job",
        name: job.displayName,
        identifier: `${stage.name}.${job.name}.__default`,
        refName: "Job",
        order: 1,
        state: "pending",
        issues: [],
        ...(job.environment ? { environment: job.environment } : {}),
        server: job.server,
        variables: job.variables,
        groups: [...job.groups],
      });
      job.steps.forEach((step, ki) => {
        records.push({
          id: randomUUID(),
          parentId: jobId,
          type: "Task",
          name: step.displayName,
          refName: `${step.plan.kind === "task" ? (step.plan.task ?? "task").split("@")[0] : step.plan.kind}${ki + 1}`,
          order: ki + 1,
          state: "pending",
          issues: [],
          step: step.plan,
        });
      });
    });
  });
  return records;
}

/** Creates the build record of a new run: YAML read at the commit, timeline planned, not started. */
export function queueRun(state: DevopsState, req: QueueRequest): BuildRecord {
  const d = req.definition;
  const repo = state.repositories[d.repository.id];
  const sourceVersion = req.sourceVersion ?? repo?.refs[req.sourceBranch] ?? "";
  const validationErrors: string[] = [];
  let model: PipelineModel | undefined;
  if (!repo || !repo.commits[sourceVersion]) {
    validationErrors.push(
      `Could not find a commit for branch ${req.sourceBranch} in repository ${d.repository.name}.`,
    );
  } else {
    try {
      model = loadPipeline(yamlPath(d), fileReader(state, repo.id, sourceVersion), req.templateParameters);
    } catch (e) {
      if (!(e instanceof PipelineYamlError)) throw e;
      validationErrors.push(e.message);
    }
  }
  const pipelineResources: BuildRecord["pipelineResources"] = {};
  if (model) {
    validationErrors.push(...missingResources(state, d.projectId, model));
    for (const r of model.pipelineResources) {
      const source = Object.values(state.definitions).find(
        (x) => x.projectId === d.projectId && x.name.toLowerCase() === r.source.toLowerCase(),
      );
      if (!source) {
        validationErrors.push(
          `Pipeline Resource ${r.alias} Input Must be Valid: pipeline '${r.source}' could not be found.`,
        );
        continue;
      }
      const chosen = req.pipelineRuns?.[r.alias];
      const run = chosen !== undefined ? state.builds[String(chosen)] : latestSucceeded(state, source.id);
      if (run)
        pipelineResources[r.alias] = {
          definitionId: source.id,
          runId: run.id,
          runName: run.buildNumber,
          sourceBranch: run.sourceBranch,
          sourceVersion: run.sourceVersion,
        };
    }
  }
  const day = req.queueTime.slice(0, 10).replace(/-/g, "");
  const sameDay = Object.values(state.builds).filter(
    (x) => x.definitionId === d.id && x.buildNumber.startsWith(`${day}.`),
  ).length;
  const failedAtOnce = validationErrors.length > 0;
  const b: BuildRecord = {
    id: state.counters.build++,
    definitionId: d.id,
    projectId: d.projectId,
    buildNumber: `${day}.${sameDay + 1}`,
    sourceBranch: req.sourceBranch,
    sourceVersion,
    repositoryId: d.repository.id,
    queueTime: req.queueTime,
    requestedFor: req.requestedFor,
    reason: req.reason,
    status: failedAtOnce ? "completed" : "notStarted",
    ...(failedAtOnce ? { result: "failed" as const, finishTime: req.queueTime } : {}),
    planId: randomUUID(),
    triggerInfo: req.triggerInfo ?? {},
    templateParameters: req.templateParameters ?? {},
    queueVariables: req.variables ?? {},
    variables: model?.variables ?? {},
    groups: [...(model?.groups ?? [])],
    pipelineResources,
    ...(req.pullRequestId !== undefined ? { pullRequestId: req.pullRequestId } : {}),
    validationErrors,
    faults: [...req.faults],
    records: model && !failedAtOnce ? timeline(model) : [],
  };
  state.builds[String(b.id)] = b;
  return b;
}
