import { answersSchema, type AnswersInput } from "../../src/answers/schema.js";
import { deriveNames } from "../../src/answers/names.js";
import type { TemplateInput } from "../../steps/repo/template-input.js";
import type { Stack } from "../../steps/repo/stack/types.js";

/** Answers as a user would write them, with every default filled in by the real schema. */
export function templateInput(overrides: Partial<AnswersInput> = {}): TemplateInput {
  const answers = answersSchema.parse({
    app: "demo",
    azure: {
      tenantId: "11111111-1111-1111-1111-111111111111",
      subscriptionId: "22222222-2222-2222-2222-222222222222",
      location: "westeurope",
    },
    devops: { organizationUrl: "https://dev.azure.com/contoso", project: "Demo", repository: "demo" },
    keyVault: {
      secrets: [
        { name: "db-password", env: "DB_PASSWORD" },
        { name: "api-key", env: "API_KEY" },
      ],
    },
    ...overrides,
  });
  return { answers, names: deriveNames(answers) };
}

/** One stack of each language and tool, as detection would produce them. */
export const stackExamples: Record<string, Stack> = {
  "Node.js npm": { language: "node", tool: "npm", version: "20", evidence: ["package.json"] },
  "Node.js pnpm": { language: "node", tool: "pnpm", version: "22", evidence: ["package.json"] },
  "Node.js yarn": { language: "node", tool: "yarn", version: "22", evidence: [], hints: { yarnBerry: true } },
  "Python pip": {
    language: "python",
    tool: "pip",
    version: "3.12",
    evidence: ["requirements.txt"],
    hints: { requirements: ["requirements.txt"], entry: "app.py" },
  },
  "Python poetry": {
    language: "python",
    tool: "poetry",
    version: "3.11",
    evidence: [],
    hints: { entry: "-m shop" },
  },
  "Python uv": { language: "python", tool: "uv", version: "3.13", evidence: [] },
  ".NET": {
    language: "dotnet",
    tool: "dotnet",
    version: "8.0",
    evidence: [],
    project: "Shop.sln",
    hints: { entry: "Shop.Api" },
  },
  ".NET global.json": {
    language: "dotnet",
    tool: "dotnet",
    version: "9.0",
    evidence: [],
    hints: { globalJson: true },
  },
  "Java Maven": { language: "java", tool: "maven", version: "21", evidence: [] },
  "Java Gradle wrapper": {
    language: "java",
    tool: "gradle",
    version: "17",
    evidence: [],
    hints: { wrapper: true },
  },
  Go: { language: "go", tool: "go", version: "1.22.5", evidence: [], hints: { entry: "./cmd/api" } },
};

/** Template input for an existing app of `stack` (no starter app, no Dockerfile of its own). */
export function stackInput(stack: Stack, overrides: Partial<AnswersInput> = {}): TemplateInput {
  return {
    ...templateInput(overrides),
    choice: { stack, starterApp: false, generateDockerfile: true, notes: [] },
  };
}
