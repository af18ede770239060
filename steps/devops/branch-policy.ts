import type { PolicyConfiguration } from "azure-devops-node-api/interfaces/PolicyInterfaces.js";
import type { Step, StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import type { ObservedPipeline, ObservedRepository } from "../observed.js";
import { KNOWN_AFTER_APPLY, diffFields, doing, fullRef, projectOf, requireProject } from "./common.js";

/** Policy type ids (the same in every organization). */
export const POLICY_TYPES = {
  build: "0609b952-1397-4640-95ec-e00a01b2c241",
  reviewers: "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd",
} as const;

export type BranchPolicyKind = keyof typeof POLICY_TYPES;

/** The settings aks-bootstrap converges per policy (besides the scope). */
const OWN_KEYS: Record<BranchPolicyKind, readonly string[]> = {
  build: ["buildDefinitionId", "queueOnSourceUpdateOnly", "manualQueueOnly", "displayName", "validDuration"],
  reviewers: ["minimumApproverCount", "creatorVoteCounts", "allowDownvotes", "resetOnSourcePush"],
};

export interface ObservedBranchPolicy {
  readonly id: number;
  readonly isEnabled: boolean;
  readonly isBlocking: boolean;
  /** The settings aks-bootstrap converges (others are left as found). */
  readonly settings: Readonly<Record<string, unknown>>;
}

interface Scope {
  repositoryId?: string | null;
  refName?: string | null;
  matchKind?: string | null;
}

const scopeOf = (p: PolicyConfiguration): Scope[] => ((p.settings ?? {}) as { scope?: Scope[] }).scope ?? [];

function covers(p: PolicyConfiguration, repositoryId: string, ref: string): boolean {
  return scopeOf(p).some(
    (s) =>
      s.repositoryId?.toLowerCase() === repositoryId.toLowerCase() &&
      s.refName === ref &&
      (s.matchKind ?? "Exact").toLowerCase() === "exact",
  );
}

/**
 * Branch policies on the default branch: build validation with the PR pipeline (blocking, so a
 * failing PR run stops the merge) and a minimum number of reviewers. Disabled or deleted
 * policies are repaired.
 */
export function branchPolicyStep(deps: StepDeps, kind: BranchPolicyKind): Step<ObservedBranchPolicy> {
  const repoId = ids.devops.repository;
  const prPipelineId = ids.devops.pipeline("pr");
  const typeId = POLICY_TYPES[kind];
  const reviewers = deps.answers.devops.minimumReviewers;

  /** Settings we converge, besides the scope. */
  const ownSettings = (ctx: StepContext): Record<string, unknown> =>
    kind === "build"
      ? {
          buildDefinitionId: ctx.observed<ObservedPipeline>(prPipelineId)?.id ?? KNOWN_AFTER_APPLY,
          queueOnSourceUpdateOnly: true,
          manualQueueOnly: false,
          displayName: `${deps.names.pipelinePr} must pass`,
          validDuration: 720,
        }
      : {
          minimumApproverCount: reviewers,
          creatorVoteCounts: false,
          allowDownvotes: false,
          resetOnSourcePush: true,
        };

  const observe = (p: PolicyConfiguration): ObservedBranchPolicy => {
    const s = (p.settings ?? {}) as Record<string, unknown>;
    const mine: Record<string, unknown> = {};
    for (const key of OWN_KEYS[kind]) mine[key] = s[key];
    return { id: p.id ?? 0, isEnabled: p.isEnabled, isBlocking: p.isBlocking, settings: mine };
  };

  const find = async (projectId: string, repositoryId: string, ref: string) => {
    const policy = await (await deps.devops.api()).getPolicyApi();
    const all = (await policy.getPolicyConfigurations(projectId, undefined, typeId)) ?? [];
    return all.find(
      (p) => p.type?.id?.toLowerCase() === typeId && !p.isDeleted && covers(p, repositoryId, ref),
    );
  };

  const title =
    kind === "build"
      ? `Branch policy: build validation with ${deps.names.pipelinePr}`
      : `Branch policy: minimum ${reviewers} reviewer(s)`;

  return {
    id: ids.devops.branchPolicy(kind),
    title,
    group: "devops",
    // After the generated files: once a blocking policy exists, they can only arrive by pull request.
    dependsOn: [ids.devops.project, repoId, ids.repo.files, ...(kind === "build" ? [prPipelineId] : [])],
    async detect(ctx) {
      const project = projectOf(ctx);
      const repo = ctx.observed<ObservedRepository>(repoId);
      if (!project || !repo) return undefined;
      return doing(`reading the ${kind} policy on ${repo.name}/${repo.defaultBranch}`, async () => {
        const found = await find(project.id, repo.id, fullRef(repo.defaultBranch));
        return found ? observe(found) : undefined;
      });
    },
    diff(observed, ctx) {
      if (kind === "reviewers" && reviewers === 0) {
        return {
          kind: "noop",
          notes: ["minimumReviewers is 0: no reviewer policy is required (an existing one is left as is)"],
        };
      }
      if (!observed)
        return {
          kind: "create",
          summary: kind === "build" ? "blocking build validation" : `${reviewers} reviewer(s)`,
        };
      const fields = [
        ...diffFields(
          { isEnabled: observed.isEnabled, isBlocking: observed.isBlocking },
          { isEnabled: true, isBlocking: true },
        ),
        ...diffFields(observed.settings, ownSettings(ctx)).map((f) => ({
          ...f,
          field: `settings.${f.field}`,
        })),
      ];
      return fields.length ? { kind: "update", fields } : { kind: "noop" };
    },
    // The build policy carries our display name; a reviewer policy has no marker, so it stays
    // (it is harmless without the pipelines, and may be the team's own).
    ...(kind === "build"
      ? {
          teardown: {
            owned: (o: ObservedBranchPolicy) =>
              o.settings.displayName === `${deps.names.pipelinePr} must pass`,
            containedIn: ids.devops.project,
            remove: (o: ObservedBranchPolicy, ctx: StepContext) =>
              doing(`deleting the build validation policy`, async () => {
                const policy = await (await deps.devops.api()).getPolicyApi();
                await policy.deletePolicyConfiguration(requireProject(ctx).id, o.id);
              }),
          },
        }
      : {}),
    async apply(_change, observed, ctx) {
      const project = requireProject(ctx);
      const repo = ctx.observed<ObservedRepository>(repoId);
      if (!repo) throw new Error("the repository is not available");
      const settings = ownSettings(ctx);
      if (Object.values(settings).includes(KNOWN_AFTER_APPLY))
        throw new Error(`pipeline ${deps.names.pipelinePr} is not available`);
      return doing(
        `${observed ? "repairing" : "creating"} the ${kind} policy on ${repo.name}/${repo.defaultBranch}`,
        async () => {
          const policy = await (await deps.devops.api()).getPolicyApi();
          const body: PolicyConfiguration = {
            type: { id: typeId },
            isEnabled: true,
            isBlocking: true,
            settings: {
              ...settings,
              scope: [{ repositoryId: repo.id, refName: fullRef(repo.defaultBranch), matchKind: "Exact" }],
            },
          };
          const saved = observed
            ? await policy.updatePolicyConfiguration(body, project.id, observed.id)
            : await policy.createPolicyConfiguration(body, project.id);
          if (!saved?.id) throw new Error("the service returned no policy");
          return observe(saved);
        },
      );
    },
  };
}
