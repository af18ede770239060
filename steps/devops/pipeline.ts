import type { BuildDefinition } from "azure-devops-node-api/interfaces/BuildInterfaces.js";
import type { Step, StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import type { ObservedPipeline, ObservedRepository } from "../observed.js";
import {
  KNOWN_AFTER_APPLY,
  MANAGED_DESCRIPTION,
  diffFields,
  doing,
  fullRef,
  isManaged,
  projectOf,
  requireProject,
} from "./common.js";
import { pipelineYamlPaths } from "./variables.js";

export type PipelineKind = "pr" | "ci" | "cd";

export interface ObservedPipelineDetail extends ObservedPipeline {
  readonly repositoryId: string;
  readonly queueStatus: string;
  readonly revision: number;
  readonly description?: string;
}

/** Build definition type "build" and process type "YAML" (numeric in the REST contract). */
const DEFINITION_TYPE_BUILD = 2;
const PROCESS_TYPE_YAML = 2;
/** Trigger settings come from the YAML file itself (`trigger:` / `resources.pipelines`). */
const SETTINGS_FROM_YAML = 2;

const normalizePath = (p: string | undefined) => (p ?? "").replace(/^\/+/, "");
const queueStatusName = (s: unknown) =>
  s === 1 || s === "paused" ? "paused" : s === 2 || s === "disabled" ? "disabled" : "enabled";

export function pipelineName(deps: StepDeps, kind: PipelineKind): string {
  const n = deps.names;
  return kind === "pr" ? n.pipelinePr : kind === "ci" ? n.pipelineCi : n.pipelineCd;
}

function observe(d: BuildDefinition): ObservedPipelineDetail {
  const process = (d.process ?? {}) as { yamlFilename?: string };
  return {
    id: d.id ?? 0,
    name: d.name ?? "",
    yamlPath: normalizePath(process.yamlFilename),
    repositoryId: d.repository?.id ?? "",
    queueStatus: queueStatusName(d.queueStatus),
    revision: d.revision ?? 0,
    ...(d.description ? { description: d.description } : {}),
  };
}

/**
 * A YAML pipeline (build definition) on one of the generated files. The files must be in the
 * repository first (repo/files); CD names CI in `resources.pipelines`, so CD comes after CI.
 */
export function pipelineStep(deps: StepDeps, kind: PipelineKind): Step<ObservedPipelineDetail> {
  const name = pipelineName(deps, kind);
  const yamlPath = pipelineYamlPaths[kind];
  const repoId = ids.devops.repository;

  const read = async (projectId: string) => {
    const build = await (await deps.devops.api()).getBuildApi();
    // includeAllProperties: the whole definition (process, repository) in the one list read.
    const found = (await build.getDefinitions(
      projectId,
      name,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      true,
    )) as BuildDefinition[] | null;
    const def = (found ?? []).find((r) => r.name?.toLowerCase() === name.toLowerCase());
    return def?.id !== undefined ? { def, observed: observe(def) } : undefined;
  };

  const desired = (ctx: StepContext) => ({
    yamlPath,
    repositoryId: ctx.observed<ObservedRepository>(repoId)?.id ?? KNOWN_AFTER_APPLY,
    queueStatus: "enabled",
  });

  const body = async (ctx: StepContext, existing: BuildDefinition | undefined): Promise<BuildDefinition> => {
    const repo = ctx.observed<ObservedRepository>(repoId);
    if (!repo) throw new Error("the repository is not available");
    const queue = existing?.queue ?? (await hostedQueue(deps, requireProject(ctx).id));
    return {
      ...(existing ?? {}),
      name,
      // Marks it as ours for destroy; an adopted pipeline keeps its own description.
      description: existing ? existing.description : MANAGED_DESCRIPTION,
      path: existing?.path ?? "\\",
      type: DEFINITION_TYPE_BUILD,
      queueStatus: 0,
      process: { type: PROCESS_TYPE_YAML, yamlFilename: yamlPath } as BuildDefinition["process"],
      repository: {
        ...(existing?.repository ?? {}),
        id: repo.id,
        name: repo.name,
        type: "TfsGit",
        defaultBranch: fullRef(repo.defaultBranch),
      },
      triggers: existing?.triggers ?? [
        {
          triggerType: 2, // continuousIntegration, with branches and paths from the YAML
          settingsSourceType: SETTINGS_FROM_YAML,
          branchFilters: [],
          pathFilters: [],
          batchChanges: false,
          maxConcurrentBuildsPerBranch: 1,
        } as NonNullable<BuildDefinition["triggers"]>[number],
      ],
      ...(queue ? { queue } : {}),
    };
  };

  return {
    id: ids.devops.pipeline(kind),
    title: `Pipeline ${name}`,
    group: "devops",
    dependsOn: [
      ids.devops.project,
      repoId,
      ids.repo.files,
      ...(kind === "cd" ? [ids.devops.pipeline("ci")] : []),
    ],
    async detect(ctx) {
      const project = projectOf(ctx);
      if (!project) return undefined;
      return doing(`reading pipeline ${name}`, async () => (await read(project.id))?.observed);
    },
    diff(observed, ctx) {
      if (!observed) return { kind: "create", summary: `YAML pipeline on ${yamlPath}` };
      const fields = diffFields(observed, desired(ctx));
      return fields.length ? { kind: "update", fields } : { kind: "noop" };
    },
    teardown: {
      owned: (o) => isManaged(o.description),
      containedIn: ids.devops.project,
      note: "with its run history",
      remove: (o, ctx) =>
        doing(`deleting pipeline ${o.name}`, async () => {
          const build = await (await deps.devops.api()).getBuildApi();
          await build.deleteDefinition(requireProject(ctx).id, o.id);
        }),
    },
    async apply(_change, observed, ctx) {
      const project = requireProject(ctx);
      return doing(`${observed ? "repairing" : "creating"} pipeline ${name}`, async () => {
        const build = await (await deps.devops.api()).getBuildApi();
        if (observed) {
          // The full definition at its latest revision: an update replaces the whole of it
          // (keeping what others set, e.g. variables), and the service rejects stale revisions.
          const current = await build.getDefinition(project.id, observed.id);
          if (current) {
            const saved = await build.updateDefinition(await body(ctx, current), project.id, observed.id);
            return observe(saved);
          }
        }
        const saved = await build.createDefinition(await body(ctx, undefined), project.id);
        if (saved?.id === undefined) throw new Error("the service returned no pipeline");
        return observe(saved);
      });
    },
  };
}

/** The Microsoft-hosted pool's queue ("Azure Pipelines"), when the project has one. */
async function hostedQueue(deps: StepDeps, projectId: string): Promise<BuildDefinition["queue"] | undefined> {
  try {
    const agent = await (await deps.devops.api()).getTaskAgentApi();
    const queues = (await agent.getAgentQueues(projectId, "Azure Pipelines")) ?? [];
    const q = queues[0];
    return q?.id !== undefined ? { id: q.id, name: q.name ?? "Azure Pipelines" } : undefined;
  } catch {
    // The pool in the YAML still applies; a definition without a default queue is valid.
    return undefined;
  }
}
