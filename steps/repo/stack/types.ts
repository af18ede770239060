import type { StackLanguage, StackTool } from "../../../src/answers/stack-schema.js";

export type { StackLanguage, StackTool };

/** A stack the pipelines can build: language, its tool, its version, and why we think so. */
export interface Stack {
  readonly language: StackLanguage;
  readonly tool: StackTool;
  /** Node.js major (22), Python x.y (3.12), .NET x.y (8.0), JDK major (17), Go x.y.z (1.22.5). */
  readonly version: string;
  /** Repository files that showed it (empty when chosen in the answers without evidence). */
  readonly evidence: readonly string[];
  /** .NET: the project or solution to build when it is not alone at the root; Java: wrapper present. */
  readonly project?: string;
  /** Stack-specific facts the generators need (entry point, wrapper, global.json ...). */
  readonly hints?: StackHints;
}

export interface StackHints {
  /** Java: ./mvnw or ./gradlew exists. */
  readonly wrapper?: boolean;
  /** .NET: global.json pins the SDK (UseDotNet@2 reads it). */
  readonly globalJson?: boolean;
  /** .NET: the assembly to run; Python: the module or script to start; Go: the main package. */
  readonly entry?: string;
  /** Node.js: no lock file is committed, so installs cannot be frozen to one (npm install, not npm ci). */
  readonly noLockfile?: boolean;
  /** Node.js with yarn: Yarn 2+ (.yarnrc.yml), which wants --immutable instead of --frozen-lockfile. */
  readonly yarnBerry?: boolean;
  /** Python with pip: the requirement files to install (requirements.txt, requirements-dev.txt). */
  readonly requirements?: readonly string[];
}

/**
 * What the repository's files say.
 * - empty: nothing but docs and aks-bootstrap's own files: the starter app goes in.
 * - detected: `stack` is the one chosen; `others` were found too and lost on precedence.
 * - undetectable: files, but no stack aks-bootstrap knows; `nested` lists manifests found
 *   below the root (the pipelines build from the root).
 */
export type StackDetection =
  | { readonly kind: "empty"; readonly dockerfile: boolean }
  | {
      readonly kind: "detected";
      readonly stack: Stack;
      readonly others: readonly Stack[];
      readonly dockerfile: boolean;
    }
  | { readonly kind: "undetectable"; readonly nested: readonly string[]; readonly dockerfile: boolean };

export const languageLabels: Record<StackLanguage, string> = {
  node: "Node.js",
  python: "Python",
  dotnet: ".NET",
  java: "Java",
  go: "Go",
};

/** "Python with poetry", "Go", ".NET": the tool is named when it is not the language's own. */
export function stackLabel(language: StackLanguage, tool: string | undefined, version?: string): string {
  const label = version ? `${languageLabels[language]} ${version}` : languageLabels[language];
  return tool && tool !== language && tool !== "dotnet" ? `${label} with ${tool}` : label;
}

/** "Python 3.12 with poetry" */
export function describeStack(stack: Pick<Stack, "language" | "tool" | "version">): string {
  return stackLabel(stack.language, stack.tool, stack.version);
}

/** "Python 3.12 with poetry (pyproject.toml, poetry.lock)" */
export function describeDetected(stack: Stack): string {
  return stack.evidence.length > 0
    ? `${describeStack(stack)} (${stack.evidence.join(", ")})`
    : describeStack(stack);
}
