import { UserError } from "../../../src/engine/errors.js";
import { stackTools, type StackAnswers } from "../../../src/answers/stack-schema.js";
import { defaultVersions, stackPrecedence } from "./detect.js";
import { describeDetected, describeStack, languageLabels, type Stack, type StackDetection } from "./types.js";

/** The stack the generated files are for, and what to tell the operator about it. */
export interface StackChoice {
  readonly stack: Stack;
  /** The repository is empty and the Node.js starter app goes in. */
  readonly starterApp: boolean;
  /**
   * Add the stack's Dockerfile as a managed file: the repository has none of its own (one
   * that is not aks-bootstrap's is kept and used) and no starter app brings one.
   */
  readonly generateDockerfile: boolean;
  /** Lines for the plan: what was detected or chosen, and why. */
  readonly notes: readonly string[];
}

/** The stack of the starter app (package.json with engines >=22, package-lock.json). */
export const starterStack: Stack = {
  language: "node",
  tool: "npm",
  version: defaultVersions.node,
  evidence: [],
};

const fixHint =
  "Set `stack.language` in the answers file (node, python, dotnet, java or go; `stack.tool` and `stack.version` optionally), or choose the stack in the wizard; `pipeline.commands` overrides any command.";

/**
 * Answers' `stack` against what the repository shows. `auto` takes the detection (the starter
 * app's stack for an empty repository) and refuses a repository it cannot read; an explicit
 * language wins, keeping what was detected for it (version, project) unless the answers say.
 */
export function chooseStack(
  answers: StackAnswers,
  detection: StackDetection,
  options: {
    readonly starterApp: boolean;
    readonly repository: string;
    /** A Dockerfile that is not aks-bootstrap's is at the answers' path. */
    readonly userDockerfile: boolean;
    /** The answers' Dockerfile path, for the notes. */
    readonly dockerfile?: string;
  },
): StackChoice {
  const userDockerfile = options.userDockerfile;
  if (answers.language === "auto") {
    if (detection.kind === "empty") {
      const starterApp = options.starterApp && !detection.dockerfile;
      // No app yet: the starter app brings its own Dockerfile; without it there is nothing to build.
      return {
        stack: starterStack,
        starterApp,
        generateDockerfile: false,
        notes: [
          `stack: ${describeStack(starterStack)}${starterApp ? " (empty repository: the starter app)" : ""}`,
        ],
      };
    }
    if (detection.kind === "undetectable") {
      const nested = detection.nested.length
        ? `; found ${detection.nested.join(", ")} below the root, but the pipelines build from the repository root`
        : "";
      throw new UserError(
        `undetectable stack: repository ${options.repository} has no package.json, pyproject.toml, requirements.txt, *.csproj, *.sln, global.json, pom.xml, build.gradle or go.mod at its root${nested}`,
        fixHint,
      );
    }
    const { stack, others } = detection;
    const notes = [`stack: detected ${describeDetected(stack)}`];
    if (others.length > 0)
      notes.push(
        `also found ${others.map(describeDetected).join("; ")}: ${languageLabels[stack.language]} wins by precedence (${stackPrecedence
          .map((l) => languageLabels[l])
          .join(" > ")}); set stack.language to build another`,
      );
    if (userDockerfile)
      notes.push(`${options.dockerfile ?? "Dockerfile"}: the repository's own, kept and used`);
    return { stack, starterApp: false, generateDockerfile: !userDockerfile, notes };
  }

  const language = answers.language;
  const found =
    detection.kind === "detected"
      ? [detection.stack, ...detection.others].find((s) => s.language === language)
      : undefined;
  const tool = answers.tool ?? found?.tool ?? stackTools[language][0];
  const stack: Stack = {
    ...(found ?? { evidence: [] }),
    language,
    tool,
    version: answers.version ?? found?.version ?? defaultVersions[language],
  };
  const starterApp =
    detection.kind === "empty" &&
    !detection.dockerfile &&
    options.starterApp &&
    language === "node" &&
    tool === "npm";
  const notes = [
    `stack: ${describeStack(stack)} (from the answers' stack${found ? `; the repository has ${found.evidence.join(", ")}` : ""})`,
  ];
  if (detection.kind === "empty" && !starterApp)
    notes.push(
      `the repository is empty: push the ${languageLabels[language]} app's code; the pipelines build it from the root`,
    );
  if (userDockerfile)
    notes.push(`${options.dockerfile ?? "Dockerfile"}: the repository's own, kept and used`);
  return { stack, starterApp, generateDockerfile: !userDockerfile && !starterApp, notes };
}
