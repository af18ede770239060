import type { Answers } from "../../src/answers/schema.js";
import type { Names } from "../../src/answers/names.js";
import { pipelineYamlPaths } from "../devops/variables.js";
import { starterStack, type StackChoice } from "./stack/choose.js";
import { commandsFor, type Commands } from "./stack/toolchain.js";
import type { Stack } from "./stack/types.js";

/** What the generators read. Values that differ per environment come from variable groups at run time. */
export interface TemplateInput {
  readonly answers: Answers;
  readonly names: Names;
  /**
   * The stack the files are for, as chosen from the answers and the repository. Absent: the
   * starter app's (Node.js with npm), as for an empty repository.
   */
  readonly choice?: StackChoice;
}

export function stackOf(input: TemplateInput): Stack {
  return input.choice?.stack ?? starterStack;
}

/** The commands the pipelines run: the stack's defaults, overridden by the answers. */
export function commandsOf(input: TemplateInput): Commands {
  return commandsFor(stackOf(input), input.answers);
}

/** One generated file. */
export interface GeneratedFile {
  /** Repository path without a leading slash, e.g. `.azure-pipelines/ci.yml`. */
  readonly path: string;
  /** Content without the managed-file header. */
  readonly body: string;
  /**
   * - managed: carries a header with the body's hash; updated while unchanged, kept once edited.
   * - scaffold: the starter app; added when absent and never touched again (it is the user's code
   *   from its first commit, so "update to the current template" would be wrong for it).
   */
  readonly mode: "managed" | "scaffold";
}

/** Variable names of the per-environment groups: shared with the Azure DevOps steps that fill them. */
export { groupVariables } from "../devops/variables.js";
export const pipelinePaths = {
  ...pipelineYamlPaths,
  buildAndTest: ".azure-pipelines/templates/build-and-test.yml",
} as const;

export const manifestPaths = {
  namespace: "deploy/k8s/namespace.yaml",
  deployment: "deploy/k8s/deployment.yaml",
  service: "deploy/k8s/service.yaml",
} as const;

/** Name of the CI artifact that carries deploy/k8s to the CD pipeline. */
export const manifestsArtifact = "manifests";

/** Kubernetes Secret the CD pipeline creates with the environment's App Insights connection string. */
export function appConfigSecretName(app: string): string {
  return `${app}-appinsights`;
}

/** The Deployment's image before the CD pipeline points it at its environment's registry. */
export const imageRegistryPlaceholder = "REGISTRY_LOGIN_SERVER";

export const healthPath = "/health";

/** The directory holding the Dockerfile ("" for the repository root). */
export function dockerfileDir(answers: Answers): string {
  const p = answers.pipeline.dockerfile.replace(/^\.?\//, "");
  const i = p.lastIndexOf("/");
  return i < 0 ? "" : p.slice(0, i);
}
