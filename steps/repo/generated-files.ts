import { withHeader } from "./managed-file.js";
import { buildAndTestTemplate } from "./pipeline-build-and-test.js";
import { cdPipeline } from "./pipeline-cd.js";
import { ciPipeline } from "./pipeline-ci.js";
import { prPipeline } from "./pipeline-pr.js";
import { k8sManifestFiles } from "./k8s-manifests.js";
import { dockerfileFor } from "./stack/dockerfile.js";
import type { GeneratedFile, TemplateInput } from "./template-input.js";
import { stackOf } from "./template-input.js";

/**
 * The pipelines and manifests aks-bootstrap manages in the repository (starter app excluded),
 * and the stack's Dockerfile when the repository has none of its own and gets no starter app.
 */
export function managedFiles(input: TemplateInput): GeneratedFile[] {
  const choice = input.choice;
  const dockerfile = choice?.generateDockerfile
    ? [
        {
          path: input.answers.pipeline.dockerfile.replace(/^\.?\//, ""),
          body: dockerfileFor(stackOf(input), input.answers.pipeline.containerPort),
          mode: "managed" as const,
        },
      ]
    : [];
  return [
    buildAndTestTemplate(input),
    prPipeline(input),
    ciPipeline(input),
    cdPipeline(input),
    ...k8sManifestFiles(input),
    ...dockerfile,
  ];
}

/** The text pushed for a file: managed files get their header; scaffold files are pushed as is. */
export function fileText(file: GeneratedFile): string {
  return file.mode === "managed" ? withHeader(file.path, file.body) : file.body;
}
