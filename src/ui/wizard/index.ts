export { runWizard, type WizardOptions, type WizardResult } from "./run-wizard.js";
export { confirmAbort, confirmPlan, type ConfirmPlanOptions } from "./confirm.js";
export type { WizardLookups } from "./lookups.js";
export { parseDevopsRemote, readOriginRemote, type DevopsRemote } from "./devops-remote.js";
export { defaultSources, missingAnswerError, type PromptContext } from "./prompt-io.js";
