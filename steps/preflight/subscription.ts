import { UserError } from "../../src/engine/errors.js";
import type { Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import { azureFailure, statusCode } from "../azure/common.js";

export interface SubscriptionState {
  readonly id: string;
  readonly displayName?: string;
  readonly state?: string;
}

/** The answers' subscription is visible to the caller and enabled. */
export function subscriptionPreflightStep(deps: StepDeps): Step<SubscriptionState> {
  const id = deps.answers.azure.subscriptionId;
  return {
    id: ids.preflight.subscription,
    title: `Subscription ${id} is reachable`,
    group: "preflight",
    dependsOn: [ids.preflight.credential],
    async detect(ctx) {
      try {
        const sub = await deps.azure.subscriptions.subscriptions.get(id, { abortSignal: ctx.signal });
        if (sub.state && sub.state !== "Enabled")
          throw new UserError(
            `Checking subscription ${id}: it is ${sub.state}.`,
            "Re-enable the subscription (or pick another in azure.subscriptionId), then rerun.",
          );
        return {
          id,
          ...(sub.displayName ? { displayName: sub.displayName } : {}),
          ...(sub.state ? { state: sub.state } : {}),
        };
      } catch (err) {
        const status = statusCode(err);
        if (status === 404 || status === 403)
          throw new UserError(
            `Checking subscription ${id}: the signed-in account cannot see it.`,
            "Check azure.subscriptionId in the answers file and `az account list`, or sign in with an account that has access.",
            { cause: err },
          );
        throw azureFailure(`checking subscription ${id}`, err);
      }
    },
    diff(observed) {
      return { kind: "noop", ...(observed?.displayName ? { notes: [observed.displayName] } : {}) };
    },
    async apply() {},
  };
}
