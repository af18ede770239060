import type { Clock } from "./clock.js";
import type { FaultPlan } from "./faults.js";
import type { TokenSigner } from "./jwt.js";
import type { SandboxState, SecretStore } from "./state.js";
import type { SandboxTls } from "./tls.js";
import type { TrafficLog } from "./traffic-log.js";

/** What every emulated service shares: the world, its clock, its faults and its keys. */
export interface SandboxCore {
  readonly dir: string;
  readonly state: SandboxState;
  readonly secrets: SecretStore;
  readonly clock: Clock;
  readonly faults: FaultPlan;
  readonly signer: TokenSigner;
  readonly tls: SandboxTls;
  readonly traffic: TrafficLog;
  /** Added to every request before it is answered: a network round trip, for benchmarks. */
  readonly latencyMs?: number;
  /** Base URL of the login listener, e.g. https://127.0.0.1:PORT */
  loginUrl: string;
  armUrl: string;
  /** Marks the state changed; the listener writes it (atomically) before answering. */
  persist(): void;
  /** Writes pending changes; resolves once they are on disk. */
  flush(): Promise<void>;
  /** Starts (or reuses) the data-plane listener of a vault; returns its vaultUri. */
  ensureVault?: (name: string) => Promise<string>;
  /** Every secret value the sandbox knows, for scrubbing logs. */
  knownSecrets(): Iterable<string>;
}
