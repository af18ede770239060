import { answersSchema, type AnswersInput } from "../../src/answers/schema.js";
import { deriveNames } from "../../src/answers/names.js";
import type { TemplateInput } from "../../steps/repo/template-input.js";

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
