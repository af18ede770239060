import type { Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids, type Stage } from "../ids.js";
import { MANAGED_DESCRIPTION, doing, isManaged, projectOf, requireProject } from "./common.js";

export interface ObservedEnvironment {
  readonly id: number;
  readonly name: string;
  readonly description?: string;
}

export function environmentName(deps: StepDeps, stage: Stage): string {
  return stage === "staging" ? deps.names.environmentStaging : deps.names.environmentProd;
}

async function findEnvironment(
  deps: StepDeps,
  projectId: string,
  name: string,
): Promise<ObservedEnvironment | undefined> {
  const agent = await (await deps.devops.api()).getTaskAgentApi();
  const list = (await agent.getEnvironments(projectId, name)) ?? [];
  const env = list.find((e) => e.name?.toLowerCase() === name.toLowerCase());
  return env?.id !== undefined && env.name
    ? { id: env.id, name: env.name, ...(env.description ? { description: env.description } : {}) }
    : undefined;
}

/**
 * A pipeline environment, created explicitly: deployment jobs would create it implicitly on
 * first use, but then without the Approval check and with the pipeline as its creator.
 */
export function environmentStep(deps: StepDeps, stage: Stage): Step<ObservedEnvironment> {
  const name = environmentName(deps, stage);
  return {
    id: ids.devops.environment(stage),
    title: `Environment ${name}`,
    group: "devops",
    dependsOn: [ids.devops.project],
    async detect(ctx) {
      const project = projectOf(ctx);
      if (!project) return undefined;
      return doing(`reading environment ${name}`, () => findEnvironment(deps, project.id, name));
    },
    diff(observed) {
      return observed ? { kind: "noop" } : { kind: "create", summary: `environment ${name}` };
    },
    teardown: {
      owned: (o) => isManaged(o.description),
      containedIn: ids.devops.project,
      note: "with its checks and deployment history",
      remove: (o, ctx) =>
        doing(`deleting environment ${o.name}`, async () => {
          const agent = await (await deps.devops.api()).getTaskAgentApi();
          await agent.deleteEnvironment(requireProject(ctx).id, o.id);
        }),
    },
    async apply(_change, _observed, ctx) {
      const project = requireProject(ctx);
      return doing(`creating environment ${name}`, async () => {
        const agent = await (await deps.devops.api()).getTaskAgentApi();
        const env = await agent.addEnvironment({ name, description: MANAGED_DESCRIPTION }, project.id);
        if (env?.id === undefined) throw new Error("the service returned no environment");
        return { id: env.id, name: env.name ?? name, description: MANAGED_DESCRIPTION };
      });
    },
  };
}
