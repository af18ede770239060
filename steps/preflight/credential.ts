import { UserError } from "../../src/engine/errors.js";
import type { Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import { caller, type Caller } from "./caller.js";

/** The credential yields an ARM token for the answers' tenant. Observed: who is signed in. */
export function credentialPreflightStep(deps: StepDeps): Step<Caller> {
  return {
    id: ids.preflight.credential,
    title: "Azure sign-in works",
    group: "preflight",
    dependsOn: [],
    async detect(ctx) {
      const who = await caller(deps, ctx.signal);
      const wanted = deps.answers.azure.tenantId.toLowerCase();
      if (who.tenantId.toLowerCase() !== wanted)
        throw new UserError(
          `Signing in to Azure: signed in to tenant ${who.tenantId}, but the answers name tenant ${wanted}.`,
          `Run \`az login --tenant ${wanted}\`, or fix azure.tenantId in the answers file, then rerun.`,
        );
      return who;
    },
    diff(observed) {
      return {
        kind: "noop",
        notes: [`signed in as ${observed?.displayName ?? observed?.objectId ?? "unknown"}`],
      };
    },
    async apply() {},
  };
}
