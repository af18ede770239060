import type { DevopsState } from "./state.js";
import type { RunWorld } from "./runs/world.js";

export interface DevopsServiceOptions {
  readonly organization: string;
  /** https://127.0.0.1:PORT, the devops listener. */
  readonly baseUrl: string;
  readonly state: DevopsState;
  persist(): void;
  now(): number;
  /** Time scale: realistic durations are divided by it. */
  readonly speed: number;
  /** The one valid personal access token. */
  readonly pat: string;
  /** ARM resource JSON by id (e.g. to validate a Key Vault linked group's vault), or undefined. */
  armLookup(resourceId: string): unknown | undefined;
  /**
   * Looks up a Key Vault by name (what a Key Vault linked variable group names). When given, a
   * group naming an unknown vault is refused as the service does; when absent only the name's
   * syntax is checked.
   */
  findVault?(name: string): unknown | undefined;
  /**
   * The Entra display name of a signed-in principal (by object id): Azure DevOps shows a service
   * principal by it, not by its application id.
   */
  principalName?(objectId: string): string | undefined;
  /** Tenant the organization is connected to (issuer of WIF tokens); defaults to the caller's. */
  readonly tenantId?: string;
  /** Registries, clusters and vaults pipeline tasks act on (the ARM side of the sandbox). */
  readonly world?: RunWorld;
  /** Whether an injected fault of this kind (e.g. "unit-test-fail") happens now. */
  rollFault?(kind: string): boolean;
}
