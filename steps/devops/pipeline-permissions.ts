import type { FieldDiff, Step, StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import type { ObservedPipeline } from "../observed.js";
import { doing, projectOf, requireProject } from "./common.js";
import { pipelineName, type PipelineKind } from "./pipeline.js";
import {
  createPermissionsCache,
  type PermissionsCache,
  type ResourcePipelinePermissions,
  type ResourceType,
} from "./permissions-cache.js";
import { pipelineResources } from "./variables.js";

/** One protected resource aks-bootstrap manages, and whether this pipeline uses it. */
interface ManagedResource {
  readonly stepId: string;
  readonly type: ResourceType;
  readonly name: string;
  readonly used: boolean;
}

export interface ObservedResourcePermission {
  readonly type: ResourceType;
  readonly id: string;
  readonly name: string;
  /** This pipeline is authorized. */
  readonly authorized: boolean;
  /** Open access: every pipeline in the project may use it. */
  readonly allPipelines: boolean;
}

export interface ObservedPipelinePermissions {
  readonly pipelineId: number;
  readonly resources: readonly ObservedResourcePermission[];
}

/**
 * Every protected resource aks-bootstrap creates, tagged with whether `kind` uses it. A
 * pipeline is authorized for exactly the ones it uses and for none of the others; open access
 * ("all pipelines") is revoked wherever it is found.
 */
function managedResources(deps: StepDeps, kind: PipelineKind): ManagedResource[] {
  const n = deps.names;
  const hasSecrets = deps.answers.keyVault.secrets.length > 0;
  const uses = pipelineResources(n, hasSecrets)[kind];
  const all: Omit<ManagedResource, "used">[] = [
    { stepId: ids.devops.serviceConnection("ci"), type: "endpoint", name: n.connectionCi },
    { stepId: ids.devops.serviceConnection("staging"), type: "endpoint", name: n.connectionStaging },
    { stepId: ids.devops.serviceConnection("prod"), type: "endpoint", name: n.connectionProd },
    { stepId: ids.devops.registryConnection, type: "endpoint", name: n.registryConnection },
    { stepId: ids.devops.variableGroup("secrets"), type: "variablegroup", name: n.variableGroupSecrets },
    { stepId: ids.devops.variableGroup("staging"), type: "variablegroup", name: n.variableGroupStaging },
    { stepId: ids.devops.variableGroup("prod"), type: "variablegroup", name: n.variableGroupProd },
    { stepId: ids.devops.environment("staging"), type: "environment", name: n.environmentStaging },
    { stepId: ids.devops.environment("prod"), type: "environment", name: n.environmentProd },
  ];
  const used = new Set([...uses.serviceConnections, ...uses.variableGroups, ...uses.environments]);
  return all.map((r) => ({ ...r, used: used.has(r.name) }));
}

/** The id a resource's step observed (endpoint GUID, group or environment number). */
function resourceIdOf(ctx: StepContext, r: ManagedResource): string | undefined {
  const o = ctx.observed<{ id?: string | number }>(r.stepId);
  return o?.id !== undefined && o.id !== "" && o.id !== 0 ? String(o.id) : undefined;
}

const authorizedIn = (body: ResourcePipelinePermissions, pipelineId: number) =>
  (body.pipelines ?? []).some((p) => p.id === pipelineId && p.authorized === true);

/** `cache` is shared by the three pipelines' steps (see devopsSteps) so each resource is read once. */
export function pipelinePermissionsStep(
  deps: StepDeps,
  kind: PipelineKind,
  cache: PermissionsCache = createPermissionsCache(deps),
): Step<ObservedPipelinePermissions> {
  const pipelineId = ids.devops.pipeline(kind);
  const name = pipelineName(deps, kind);
  const resources = managedResources(deps, kind);

  const fieldsFor = (observed: ObservedPipelinePermissions | undefined, ctx: StepContext): FieldDiff[] => {
    const out: FieldDiff[] = [];
    for (const r of resources) {
      const seen = observed?.resources.find((o) => o.type === r.type && o.name === r.name);
      const label = `${r.type}/${r.name}`;
      if (!seen) {
        // Not created yet (plan): a resource this pipeline uses will need its authorization.
        if (r.used && !resourceIdOf(ctx, r)) out.push({ field: label, from: undefined, to: "authorized" });
        continue;
      }
      if (seen.authorized !== r.used) {
        out.push({
          field: label,
          from: seen.authorized ? "authorized" : "not authorized",
          to: r.used ? "authorized" : "not authorized",
        });
      }
      if (seen.allPipelines) out.push({ field: `${label}.allPipelines`, from: true, to: false });
    }
    return out;
  };

  return {
    id: ids.devops.pipelinePermissions(kind),
    title: `Permissions of pipeline ${name}`,
    group: "devops",
    dependsOn: [ids.devops.project, pipelineId, ...resources.map((r) => r.stepId)],
    async detect(ctx) {
      const project = projectOf(ctx);
      const pipeline = ctx.observed<ObservedPipeline>(pipelineId);
      if (!project || !pipeline) return undefined;
      return doing(`reading the resource authorizations of pipeline ${name}`, async () => {
        const seen: ObservedResourcePermission[] = [];
        await Promise.all(
          resources.map(async (r) => {
            const id = resourceIdOf(ctx, r);
            if (!id) return;
            const body = await cache.read(project.id, r.type, id);
            seen.push({
              type: r.type,
              id,
              name: r.name,
              authorized: authorizedIn(body, pipeline.id),
              allPipelines: body.allPipelines?.authorized === true,
            });
          }),
        );
        return { pipelineId: pipeline.id, resources: seen };
      });
    },
    diff(observed, ctx) {
      const fields = fieldsFor(observed, ctx);
      if (!observed) {
        return resources.some((r) => r.used)
          ? { kind: "create", summary: `authorize ${resources.filter((r) => r.used).length} resources` }
          : { kind: "noop", notes: ["uses no protected resource"] };
      }
      return fields.length ? { kind: "update", fields } : { kind: "noop" };
    },
    async apply(_change, _observed, ctx) {
      const project = requireProject(ctx);
      const pipeline = ctx.observed<ObservedPipeline>(pipelineId);
      if (!pipeline) throw new Error(`pipeline ${name} is not available`);
      return doing(`authorizing pipeline ${name} for its resources`, async () => {
        // The shared cache holds what was detected, updated by every write since (each write
        // answers with the resource's whole list), so no second read is needed.
        const fresh: ObservedResourcePermission[] = [];
        for (const r of resources) {
          const id = resourceIdOf(ctx, r);
          if (!id) {
            if (r.used) throw new Error(`${r.type} ${r.name} is not available`);
            continue;
          }
          const current = await cache.read(project.id, r.type, id);
          const open = current.allPipelines?.authorized === true;
          if (authorizedIn(current, pipeline.id) !== r.used || open) {
            await cache.write(project.id, r.type, id, pipeline.id, r.used, open);
          }
          fresh.push({ type: r.type, id, name: r.name, authorized: r.used, allPipelines: false });
        }
        return { pipelineId: pipeline.id, resources: fresh };
      });
    },
  };
}
