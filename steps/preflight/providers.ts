import { UserError } from "../../src/engine/errors.js";
import type { Change, Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import { azureFailure, getOrUndefined } from "../azure/common.js";
import { sleep } from "../azure/retry.js";

/** Resource providers the converged resources live in. */
export const requiredProviders = [
  "Microsoft.ContainerService",
  "Microsoft.ContainerRegistry",
  "Microsoft.KeyVault",
  "Microsoft.OperationalInsights",
  "Microsoft.Insights",
  "Microsoft.ManagedIdentity",
] as const;

export interface ProvidersState {
  /** Namespace -> registrationState ("NotFound" when the subscription does not know it). */
  readonly states: Readonly<Record<string, string>>;
}

/**
 * Every provider is registered on the subscription. Missing ones are listed in the plan and
 * registered by apply, which waits until Azure reports them Registered (before anything that
 * needs them starts).
 */
export function providersPreflightStep(deps: StepDeps): Step<ProvidersState> {
  return {
    id: ids.preflight.providers,
    title: "Resource providers are registered",
    group: "preflight",
    dependsOn: [ids.preflight.credential],
    async detect(ctx) {
      try {
        const entries = await Promise.all(
          requiredProviders.map(async (ns) => {
            const p = await getOrUndefined(() =>
              deps.azure.resources.providers.get(ns, { abortSignal: ctx.signal }),
            );
            return [ns, p?.registrationState ?? "NotFound"] as const;
          }),
        );
        return { states: Object.fromEntries(entries) };
      } catch (err) {
        throw azureFailure("reading resource provider registrations", err);
      }
    },
    diff(observed): Change {
      const missing = requiredProviders.filter((ns) => observed?.states[ns] !== "Registered");
      if (!missing.length) return { kind: "noop" };
      return {
        kind: "update",
        fields: missing.map((ns) => ({
          field: ns,
          from: observed?.states[ns] ?? "NotRegistered",
          to: "Registered",
        })),
      };
    },
    async apply(_change, observed, ctx) {
      const missing = requiredProviders.filter((ns) => observed?.states[ns] !== "Registered");
      const states: Record<string, string> = { ...(observed?.states ?? {}) };
      const deadline = Date.now() + Math.max(deps.target.propagationDeadlineMs, 60_000);
      try {
        await Promise.all(
          missing.map((ns) => deps.azure.resources.providers.register(ns, { abortSignal: ctx.signal })),
        );
        for (let attempt = 1; ; attempt++) {
          const pending: string[] = [];
          for (const ns of missing) {
            const p = await deps.azure.resources.providers.get(ns, { abortSignal: ctx.signal });
            states[ns] = p.registrationState ?? "Unknown";
            if (states[ns] !== "Registered") pending.push(ns);
          }
          if (!pending.length) return { states };
          if (Date.now() > deadline)
            throw new UserError(
              `Registering resource providers: ${pending.join(", ")} still not Registered.`,
              `Check with \`az provider show -n ${pending[0]}\`; rerun once it is Registered.`,
            );
          ctx.progress(`waiting for ${pending.join(", ")} to register (check ${attempt})`);
          await sleep(deps.target.pollIntervalMs, ctx.signal);
        }
      } catch (err) {
        throw azureFailure("registering resource providers", err);
      }
    },
  };
}
