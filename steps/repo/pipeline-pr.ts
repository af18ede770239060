import { toYaml } from "./yaml-text.js";
import type { GeneratedFile, TemplateInput } from "./template-input.js";
import { pipelinePaths } from "./template-input.js";

/**
 * PR validation. No CI trigger: the branch policy's build validation queues it for each pull
 * request (Azure Repos ignores the `pr` keyword, so none is written).
 */
export function prPipeline(_input: TemplateInput): GeneratedFile {
  const doc = {
    trigger: "none",
    pool: { vmImage: "ubuntu-latest" },
    steps: [{ template: "templates/build-and-test.yml", parameters: { testRunTitle: "PR unit tests" } }],
  };
  return { path: pipelinePaths.pr, body: toYaml(doc), mode: "managed" };
}
