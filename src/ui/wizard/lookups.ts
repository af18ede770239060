import type { Names } from "../../answers/names.js";
import type { ExistingKind } from "../../answers/arm-id.js";
import type { StackDetection } from "../../../steps/repo/stack/types.js";

/** An Azure resource found in the subscription that the answers could use (azure.existing). */
export interface FoundResource {
  readonly id: string;
  readonly name: string;
  readonly resourceGroup: string;
  /** What it lacks for the pipelines (preflight would refuse it), e.g. "OIDC issuer off". */
  readonly lacks?: string;
}

/** An approver as typed, checked against the organization's users and groups. */
export interface ApproverLookup {
  readonly name: string;
  /** A user or group of the organization has this name (or a default group of the project to create). */
  readonly known: boolean;
  /** For an unknown name: the closest known user or group name, if one is close. */
  readonly suggestion?: string;
}

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
  /**
   * AKS clusters, registries, vaults and workspaces of the subscription, except the ones
   * aks-bootstrap made for `app`. Optional: without it the wizard offers none.
   */
  existingResources?(
    subscriptionId: string,
    app: string,
  ): Promise<Readonly<Record<ExistingKind, readonly FoundResource[]>>>;
  /**
   * Names of the secrets already in the CI vault (empty when the vault does not exist yet).
   * `existingVault`: the vault's resource id when the answers use an existing one.
   */
  existingSecrets(names: Names, existingVault?: string): Promise<string[]>;
  /**
   * What the repository's default branch is built with (read as the plan reads it); undefined
   * when it has no commits. Optional: without it the wizard asks nothing about the stack.
   */
  repoStack?(
    orgUrl: string,
    project: string,
    repository: string,
    dockerfile?: string,
  ): Promise<StackDetection | undefined>;
  /**
   * Looks approvers up as the Approval check step does (users by e-mail, groups as
   * [Project]\Group). `projectToCreate`: its default groups (Contributors, ...) count as known.
   * Optional: without it the wizard checks only their form.
   */
  approvers?(
    orgUrl: string,
    names: readonly string[],
    opts?: { projectToCreate?: string },
  ): Promise<readonly ApproverLookup[]>;
  /** The display name Azure DevOps knows the signed-in identity by (who approves by default). */
  devopsUser?(orgUrl: string): Promise<string>;
}
