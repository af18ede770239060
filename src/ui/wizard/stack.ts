import { select, Separator } from "@inquirer/prompts";
import { stackLanguages, stackTools, type StackLanguage } from "../../answers/stack-schema.js";
import type { AnswersInput } from "../../answers/schema.js";
import {
  describeDetected,
  describeStack,
  stackLabel,
  type StackDetection,
} from "../../../steps/repo/stack/types.js";
import type { WizardLookups } from "./lookups.js";
import type { PromptIO } from "./prompt-io.js";

export type StackAnswersInput = NonNullable<AnswersInput["stack"]>;

const AUTO = "auto";

/** Every language and tool, "python:poetry" -> { language, tool }. */
const manual = stackLanguages.flatMap((language) =>
  (stackTools[language] as readonly string[]).map((tool) => ({
    value: `${language}:${tool}`,
    name: stackLabel(language, tool),
  })),
);

/**
 * Says what the chosen existing repository is built with, and lets the user change it: a select
 * with the detected stack first (saved as `stack.language: auto`, so a later change in the
 * repository is followed) and every language/tool after it. A new or empty repository gets
 * the Node.js starter app and no question. An undetectable one must be chosen by hand, which
 * is the fix the plan would otherwise ask for.
 */
export async function askStack(
  io: PromptIO,
  lookups: WizardLookups,
  where: {
    organizationUrl: string;
    project: string;
    repository: string;
    isNew: boolean;
    dockerfile?: string;
  },
  current: StackAnswersInput | undefined,
): Promise<StackAnswersInput | undefined> {
  if (where.isNew || !lookups.repoStack) return current;
  let detection: StackDetection | undefined;
  try {
    detection = await lookups.repoStack(
      where.organizationUrl,
      where.project,
      where.repository,
      where.dockerfile,
    );
  } catch (err) {
    // An offer, not a check: the plan reads the repository again and says what it finds.
    const why = err instanceof Error ? err.message : String(err);
    io.say(`  Could not read ${where.repository} to detect its stack (${why}): the plan will`);
    return current;
  }
  if (!detection || detection.kind === "empty") {
    io.say(`  ${where.repository} is empty: the Node.js starter app goes in`);
    return current;
  }
  const explicit =
    current?.language && current.language !== AUTO
      ? `${current.language}:${current.tool ?? stackTools[current.language as StackLanguage][0]}`
      : undefined;
  const choices: Array<{ value: string; name: string } | Separator> = [];
  if (detection.kind === "detected") {
    const { stack, others } = detection;
    io.say(`✔ Detected: ${describeDetected(stack)}`);
    if (others.length > 0) io.say(`  also found ${others.map(describeDetected).join("; ")}`);
    io.say(
      detection.dockerfile ? "  its Dockerfile is kept and used" : "  no Dockerfile: one is generated for it",
    );
    choices.push({ value: AUTO, name: `${describeStack(stack)} (detected)` }, new Separator());
  } else {
    io.say(`✗ No stack detected in ${where.repository}: choose the one to build`);
  }
  choices.push(...manual);
  const picked = await io.ask("stack.language", (s) =>
    select<string>(
      {
        message: "Stack the pipelines build",
        choices,
        default: explicit ?? (detection.kind === "detected" ? AUTO : undefined),
        pageSize: 14,
      },
      s,
    ),
  );
  if (picked === AUTO) return undefined;
  const [language, tool] = picked.split(":") as [StackLanguage, string];
  return { language, tool: tool as StackAnswersInput["tool"] };
}
