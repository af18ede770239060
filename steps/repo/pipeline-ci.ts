import { toYaml } from "./yaml-text.js";
import type { GeneratedFile, TemplateInput } from "./template-input.js";
import { commandsOf, dockerfileDir, manifestsArtifact, pipelinePaths } from "./template-input.js";
import { publishTestResults } from "./pipeline-build-and-test.js";

/**
 * CI on the default branch: the PR checks, integration tests with the Key Vault secrets, then
 * the image (tagged with the build id) to the non-prod registry and the manifests as an artifact.
 */
export function ciPipeline(input: TemplateInput): GeneratedFile {
  const { answers, names } = input;
  const p = answers.pipeline;
  const secrets = answers.keyVault.secrets;
  const dockerfile = p.dockerfile.replace(/^\.?\//, "");
  const contextDir = dockerfileDir(answers);
  // Secret variables are not exposed to scripts automatically: each one is mapped to the
  // environment variable the answers name, on the one step that needs it.
  const secretEnv = Object.fromEntries(secrets.map((s) => [s.env, `$(${s.name})`]));
  const variables: unknown[] = [];
  // A Key Vault linked group needs at least one secret; with none there is no group to link.
  if (secrets.length > 0) variables.push({ group: names.variableGroupSecrets });
  variables.push(
    { name: "imageRepository", value: names.imageRepository },
    { name: "tag", value: "$(Build.BuildId)" },
  );

  const doc = {
    trigger: {
      branches: { include: [answers.devops.defaultBranch] },
      paths: { exclude: ["*.md", "docs/*"] },
    },
    variables,
    pool: { vmImage: "ubuntu-latest" },
    steps: [
      {
        template: "templates/build-and-test.yml",
        parameters: { testRunTitle: "CI tests", publishTestResults: false },
      },
      {
        script: commandsOf(input).integrationTest,
        displayName: "Integration tests",
        ...(secrets.length > 0 ? { env: secretEnv } : {}),
      },
      publishTestResults(input, "CI tests", "Publish unit and integration test results"),
      {
        task: "Docker@2",
        displayName: "Build and push the image to the non-prod registry",
        inputs: {
          command: "buildAndPush",
          containerRegistry: names.registryConnection,
          repository: "$(imageRepository)",
          Dockerfile: `$(Build.SourcesDirectory)/${dockerfile}`,
          buildContext: contextDir ? `$(Build.SourcesDirectory)/${contextDir}` : "$(Build.SourcesDirectory)",
          tags: "$(tag)",
        },
      },
      {
        task: "PublishPipelineArtifact@1",
        displayName: "Publish the Kubernetes manifests",
        inputs: {
          targetPath: "$(Build.SourcesDirectory)/deploy/k8s",
          artifact: manifestsArtifact,
          publishLocation: "pipeline",
        },
      },
    ],
  };
  return { path: pipelinePaths.ci, body: toYaml(doc), mode: "managed" };
}
