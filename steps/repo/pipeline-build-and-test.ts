import { toYaml } from "./yaml-text.js";
import type { GeneratedFile, TemplateInput } from "./template-input.js";
import { pipelinePaths } from "./template-input.js";

/** Test result files the PublishTestResults@2 steps pick up (JUnit from most runners). */
export const testResultPatterns = ["**/junit*.xml", "**/TEST-*.xml", "!**/node_modules/**"].join("\n");

export function publishTestResults(
  title: string,
  displayName = "Publish test results",
): Record<string, unknown> {
  return {
    task: "PublishTestResults@2",
    displayName,
    condition: "succeededOrFailed()",
    inputs: {
      testResultsFormat: "JUnit",
      testResultsFiles: testResultPatterns,
      mergeTestResults: true,
      testRunTitle: title,
    },
  };
}

export function useNode(): Record<string, unknown> {
  return {
    task: "NodeTool@0",
    displayName: "Use Node.js 22",
    inputs: { versionSource: "spec", versionSpec: "22.x" },
  };
}

/**
 * The shared checks of PR and CI: install, lint, build, unit tests, test results. A steps
 * template, so both pipelines run exactly the same commands (from the answers).
 */
export function buildAndTestTemplate({ answers }: TemplateInput): GeneratedFile {
  const c = answers.pipeline.commands;
  const doc = {
    parameters: [
      { name: "testRunTitle", type: "string", default: "Unit tests" },
      // CI publishes once after its integration tests, so results are not published twice.
      // (Quoted: the pipeline schema types parameter defaults as strings; Azure reads both alike.)
      { name: "publishTestResults", type: "boolean", default: "true" },
    ],
    steps: [
      useNode(),
      { script: c.install, displayName: "Install dependencies" },
      { script: c.lint, displayName: "Lint" },
      { script: c.build, displayName: "Build" },
      { script: c.unitTest, displayName: "Unit tests" },
      {
        ...publishTestResults("${{ parameters.testRunTitle }}"),
        condition: "and(succeededOrFailed(), eq('${{ parameters.publishTestResults }}', 'True'))",
      },
    ],
  };
  return { path: pipelinePaths.buildAndTest, body: toYaml(doc), mode: "managed" };
}
