import type { Answers } from "../src/answers/schema.js";
import type { Names } from "../src/answers/names.js";
import type { Target } from "../src/clients/target.js";
import type { AzureClients } from "../src/clients/azure.js";
import type { DevopsClients } from "../src/clients/devops.js";

/** Supplies a Key Vault secret's value when it must be set; never stored or logged. */
export type SecretValueSource = (secret: {
  readonly name: string;
  readonly env: string;
}) => Promise<string | undefined>;

/** Everything steps need, passed in by the CLI. Steps never know whether this is the sandbox. */
export interface StepDeps {
  readonly answers: Answers;
  readonly names: Names;
  readonly target: Target;
  readonly azure: AzureClients;
  readonly devops: DevopsClients;
  readonly secretValue: SecretValueSource;
  readonly options: {
    /** Replace generated files that a user edited (otherwise: keep and report). */
    readonly replaceEditedFiles: boolean;
  };
}
