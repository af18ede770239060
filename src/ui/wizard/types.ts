/** Types the CLI needs to drive the wizard, in one import. */
export type { WizardLookups } from "./lookups.js";
export type { WizardOptions, WizardResult } from "./run-wizard.js";
export type { PromptContext } from "./prompt-io.js";
export type { ConfirmPlanOptions } from "./confirm.js";
