import type { Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { filesStep } from "./files-step.js";

export { filesStep, type ObservedRepoFiles } from "./files-step.js";
export { managedFiles, fileText } from "./generated-files.js";
export { starterAppFiles } from "./starter-app.js";
export { classifyManagedFile, withHeader, parseHeader, bodyHash } from "./managed-file.js";

/** The repo family: one step that converges the generated files. */
export function repoSteps(deps: StepDeps): Step[] {
  return [filesStep(deps) as Step];
}
