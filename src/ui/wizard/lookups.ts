import type { Names } from "../../answers/names.js";

/**
 * Everything the wizard needs to know about the clouds, injected so the wizard never talks to
 * Azure or Azure DevOps itself (and tests drive it with plain objects).
 */
export interface WizardLookups {
  /** Who is signed in; throws a UserError (e.g. "run az login") when nobody is. */
  signedIn(): Promise<{ user: string; tenantId: string }>;
  subscriptions(): Promise<{ id: string; name: string; tenantId: string }[]>;
  /** Regions of the subscription where AKS is offered. */
  regions(subscriptionId: string): Promise<string[]>;
  /**
   * For each globally unique name (registries, vault), whether it can be used: free, or already
   * ours in this subscription (a rerun). Keyed by the name itself.
   */
  nameAvailability(names: Names): Promise<Record<string, boolean>>;
  projects(orgUrl: string): Promise<string[]>;
  repositories(orgUrl: string, project: string): Promise<string[]>;
  /** Names of the secrets already in the CI vault (empty when the vault does not exist yet). */
  existingSecrets(names: Names): Promise<string[]>;
}
