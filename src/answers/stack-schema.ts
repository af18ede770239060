import { z } from "zod";

/**
 * The app's stack: what the build-and-test template sets up and which default commands it runs.
 * `auto` reads it from the repository's files (an empty repository gets the Node.js starter app).
 */

export const stackLanguages = ["node", "python", "dotnet", "java", "go"] as const;
export type StackLanguage = (typeof stackLanguages)[number];

/** Package manager or build tool of each language; the first one is the default. */
export const stackTools = {
  node: ["npm", "pnpm", "yarn"],
  python: ["pip", "poetry", "uv"],
  dotnet: ["dotnet"],
  java: ["maven", "gradle"],
  go: ["go"],
} as const satisfies Record<StackLanguage, readonly string[]>;
export type StackTool = (typeof stackTools)[StackLanguage][number];

const allTools = [...new Set(Object.values(stackTools).flat())] as [StackTool, ...StackTool[]];

export const stackSchema = z
  .strictObject({
    language: z
      .enum(["auto", ...stackLanguages])
      .default("auto")
      .describe("auto (default: detected from the repository's files) | node | python | dotnet | java | go."),
    tool: z
      .enum(allTools)
      .optional()
      .describe(
        "Package manager or build tool: npm | pnpm | yarn (node), pip | poetry | uv (python), dotnet, maven | gradle (java), go. Default: detected, else the language's first.",
      ),
    version: z
      .string()
      .regex(/^\d+(\.\d+){0,2}$/, "must be a version like 22, 3.12, 8.0 or 1.22.5")
      .optional()
      .describe(
        "Language version (Node.js major, Python x.y, .NET x.y, JDK major, Go x.y.z). Default: detected.",
      ),
  })
  .superRefine((s, ctx) => {
    if (s.language === "auto") {
      if (s.tool !== undefined || s.version !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [s.tool !== undefined ? "tool" : "version"],
          message: "needs an explicit stack.language (node, python, dotnet, java or go)",
        });
      return;
    }
    const tools: readonly string[] = stackTools[s.language];
    if (s.tool !== undefined && !tools.includes(s.tool))
      ctx.addIssue({
        code: "custom",
        path: ["tool"],
        message: `is not a ${s.language} tool: use ${tools.join(" or ")}`,
      });
  })
  .describe("The app's stack; default: detected from the repository.");

export type StackAnswers = z.output<typeof stackSchema>;
