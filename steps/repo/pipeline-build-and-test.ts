import { toYaml } from "./yaml-text.js";
import type { GeneratedFile, TemplateInput } from "./template-input.js";
import { commandsOf, pipelinePaths, stackOf } from "./template-input.js";
import { setupSteps, testResults } from "./stack/toolchain.js";

/** PublishTestResults@2 for the stack's result files (JUnit from most runners, TRX from dotnet test). */
export function publishTestResults(
  input: TemplateInput,
  title: string,
  displayName = "Publish test results",
): Record<string, unknown> {
  const results = testResults(stackOf(input));
  return {
    task: "PublishTestResults@2",
    displayName,
    condition: "succeededOrFailed()",
    inputs: {
      testResultsFormat: results.format,
      testResultsFiles: results.files,
      mergeTestResults: true,
      testRunTitle: title,
    },
  };
}

/**
 * The shared checks of PR and CI: tool set-up, install, lint, build, unit tests, test results.
 * A steps template, so both pipelines run exactly the same commands (the stack's defaults, or
 * the answers').
 */
export function buildAndTestTemplate(input: TemplateInput): GeneratedFile {
  const c = commandsOf(input);
  const doc = {
    parameters: [
      { name: "testRunTitle", type: "string", default: "Unit tests" },
      // CI publishes once after its integration tests, so results are not published twice.
      // (Quoted: the pipeline schema types parameter defaults as strings; Azure reads both alike.)
      { name: "publishTestResults", type: "boolean", default: "true" },
    ],
    steps: [
      ...setupSteps(stackOf(input)),
      { script: c.install, displayName: "Install dependencies" },
      { script: c.lint, displayName: "Lint" },
      { script: c.build, displayName: "Build" },
      { script: c.unitTest, displayName: "Unit tests" },
      {
        ...publishTestResults(input, "${{ parameters.testRunTitle }}"),
        condition: "and(succeededOrFailed(), eq('${{ parameters.publishTestResults }}', 'True'))",
      },
    ],
  };
  return { path: pipelinePaths.buildAndTest, body: toYaml(doc), mode: "managed" };
}
