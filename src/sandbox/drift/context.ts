import type { Answers } from "../../answers/schema.js";
import type { Names } from "../../answers/names.js";
import { createAzureClients, type AzureClients } from "../../clients/azure.js";
import { createDevopsClients, type DevopsClients } from "../../clients/devops.js";
import type { Target } from "../../clients/target.js";
import { UserError } from "../../engine/errors.js";

/**
 * What a drift maker has to hand: the public API clients of one Target (the sandbox's, or a
 * real cloud's), and the names aks-bootstrap derived from the answers. Nothing here reads the
 * sandbox's state directly: every change goes over the wire like a colleague's would.
 */
export interface DriftContext {
  readonly answers: Answers;
  readonly names: Names;
  readonly azure: AzureClients;
  readonly devops: DevopsClients;
}

export function driftContext(opts: { target: Target; answers: Answers; names: Names }): DriftContext {
  return {
    answers: opts.answers,
    names: opts.names,
    azure: createAzureClients(opts.target),
    devops: createDevopsClients(opts.target),
  };
}

/** A drift needs an object that is not there (not deployed yet, or already drifted away). */
export function missing(what: string, kind: string): UserError {
  return new UserError(
    `Making drift "${kind}": ${what} was not found.`,
    "Run `aks-bootstrap apply --sandbox` first so there is a full deployment to drift.",
  );
}

/** ARM resource group name from a resource id. */
export function groupOf(id: string): string {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? "";
}
