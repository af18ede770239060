import type { Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import { resolveApprovers } from "./approvers.js";
import { doing, projectOf } from "./common.js";

export interface ObservedValidators {
  /** Display names of the users and groups the CD pipeline's manual validation names. */
  readonly names: readonly string[];
}

/**
 * Checks, before anything is created, that the CD pipeline's manual validation names users and
 * groups the organization knows (the ManualValidation task only finds out when a run waits for
 * them). Only in the run when the answers name validators.
 */
export function manualValidatorsStep(deps: StepDeps): Step<ObservedValidators> {
  const mv = deps.answers.pipeline.manualValidation;
  return {
    id: ids.preflight.manualValidators,
    title: "Manual validation approvers are in the organization",
    group: "preflight",
    dependsOn: [ids.preflight.devopsAuth, ids.devops.project],
    detect: (ctx) =>
      doing("looking up the manual validation approvers", async () => {
        const { project, createProject } = deps.answers.devops;
        const toCreate = !projectOf(ctx) && createProject ? { projectToCreate: project } : {};
        const checks = await resolveApprovers(
          deps.devops,
          "pipeline.manualValidation.approvers",
          mv.approvers,
          toCreate,
        );
        return { names: checks.map((c) => c.identity?.displayName ?? c.name) };
      }),
    diff: (observed) => ({
      kind: "noop",
      notes: observed ? [`validated by ${observed.names.join(", ")}`] : [],
    }),
    apply: async () => undefined,
  };
}

/** The step, when the answers turn manual validation on and name who validates. */
export function manualValidatorsSteps(deps: StepDeps): Step[] {
  const mv = deps.answers.pipeline.manualValidation;
  return mv.enabled && mv.approvers.length > 0 ? [manualValidatorsStep(deps) as Step] : [];
}
