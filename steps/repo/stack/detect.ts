import type { Stack, StackDetection, StackHints, StackLanguage } from "./types.js";
import {
  csprojFacts,
  globalJsonSdk,
  goModVersion,
  gradleJavaVersion,
  nodeVersionFile,
  packageJsonFacts,
  pomJavaVersion,
  pyprojectFacts,
  pythonVersionFile,
} from "./version-hints.js";

/**
 * Which stack a repository is, from its file list and a few of its files, the way Azure Draft
 * does it: each language is recognised by its manifest files (Draft counts source files with
 * linguist, then tells Maven from Gradle by pom.xml / build.gradle; aks-bootstrap builds from
 * the repository root, so it keys on the manifests there). Pure: the caller lists the paths
 * and supplies `read`, which is called only for the files a candidate needs.
 */

/** Reads one repository file; undefined when it does not exist. */
export type FileReader = (path: string) => Promise<string | undefined>;

/**
 * When several stacks sit at the root, the first in this order wins. Node.js comes last: a
 * package.json beside another stack's manifest is usually front-end or lint tooling.
 */
export const stackPrecedence: readonly StackLanguage[] = ["dotnet", "java", "go", "python", "node"];

/** Versions used when the files name none (current LTS / supported releases on hosted agents). */
export const defaultVersions: Record<StackLanguage, string> = {
  node: "22",
  python: "3.12",
  dotnet: "8.0",
  java: "17",
  go: "1.22.0",
};

/** Files that do not make a repository "an app": docs, editor settings and aks-bootstrap's own output. */
const NOT_APP = [
  /^(readme|license|licence|contributing|changelog|code_of_conduct|security|codeowners)(\.[a-z]+)?$/i,
  /\.md$/i,
  /^\.(gitignore|gitattributes|editorconfig)$/,
  /^(docs|\.github|\.vscode|\.azure-pipelines|deploy\/k8s)\//,
];

const IGNORED_DIRS = /(^|\/)(node_modules|vendor|bin|obj|target|build|dist|\.git|\.venv)\//;

const MANIFESTS = new Set([
  "package.json",
  "pyproject.toml",
  "requirements.txt",
  "setup.py",
  "go.mod",
  "pom.xml",
  "build.gradle",
  "build.gradle.kts",
]);

interface Repo {
  readonly paths: readonly string[];
  readonly root: ReadonlySet<string>;
  readonly read: FileReader;
}

type Detector = (repo: Repo) => Promise<Stack | undefined>;

const firstOf = (repo: Repo, names: readonly string[]) => names.find((n) => repo.root.has(n));

async function firstVersion(
  repo: Repo,
  sources: ReadonlyArray<readonly [string, (text: string) => string | undefined]>,
): Promise<{ version?: string; from?: string }> {
  for (const [path, parse] of sources) {
    if (!repo.root.has(path) && !repo.paths.includes(path)) continue;
    const text = await repo.read(path);
    const version = text === undefined ? undefined : parse(text);
    if (version) return { version, from: path };
  }
  return {};
}

function stack(
  language: StackLanguage,
  tool: Stack["tool"],
  version: string | undefined,
  evidence: readonly (string | undefined)[],
  extra: { project?: string; hints?: StackHints } = {},
): Stack {
  return {
    language,
    tool,
    version: version ?? defaultVersions[language],
    evidence: [...new Set(evidence.filter((e): e is string => Boolean(e)))],
    ...(extra.project ? { project: extra.project } : {}),
    ...(extra.hints && Object.keys(extra.hints).length ? { hints: extra.hints } : {}),
  };
}

const node: Detector = async (repo) => {
  if (!repo.root.has("package.json")) return undefined;
  const pkg = packageJsonFacts((await repo.read("package.json")) ?? "{}");
  const lock = firstOf(repo, ["pnpm-lock.yaml", "yarn.lock", "package-lock.json"]);
  const byLock = { "pnpm-lock.yaml": "pnpm", "yarn.lock": "yarn", "package-lock.json": "npm" } as const;
  const fromField =
    pkg.packageManager === "pnpm" || pkg.packageManager === "yarn" ? pkg.packageManager : "npm";
  const tool = lock ? byLock[lock as keyof typeof byLock] : fromField;
  const file = await firstVersion(repo, [
    [".nvmrc", nodeVersionFile],
    [".node-version", nodeVersionFile],
  ]);
  const version = file.version ?? pkg.node;
  return stack("node", tool, version, ["package.json", lock, file.from], {
    hints: {
      ...(tool === "yarn" && repo.root.has(".yarnrc.yml") ? { yarnBerry: true } : {}),
      ...(lock ? {} : { noLockfile: true }),
    },
  });
};

const python: Detector = async (repo) => {
  const manifest = firstOf(repo, [
    "pyproject.toml",
    "requirements.txt",
    "setup.py",
    "uv.lock",
    "poetry.lock",
  ]);
  if (!manifest) return undefined;
  const pyproject = repo.root.has("pyproject.toml")
    ? pyprojectFacts((await repo.read("pyproject.toml")) ?? "")
    : { poetry: false };
  const lock = firstOf(repo, ["uv.lock", "poetry.lock"]);
  const tool = lock === "uv.lock" ? "uv" : lock === "poetry.lock" || pyproject.poetry ? "poetry" : "pip";
  const file = await firstVersion(repo, [[".python-version", pythonVersionFile]]);
  const version = file.version ?? pyproject.python;
  const requirements = ["requirements.txt", "requirements-dev.txt"].filter((r) => repo.root.has(r));
  const script = firstOf(repo, ["main.py", "app.py"]);
  const module = pyproject.script ?? pyproject.name?.replace(/-/g, "_");
  const entry = script ?? (module ? `-m ${module}` : undefined);
  return stack(
    "python",
    tool,
    version,
    [
      repo.root.has("pyproject.toml") ? "pyproject.toml" : manifest,
      lock,
      tool === "pip" ? requirements[0] : undefined,
      file.from,
    ],
    {
      hints: {
        ...(tool === "pip" && requirements.length ? { requirements } : {}),
        ...(entry ? { entry } : {}),
      },
    },
  );
};

const dotnet: Detector = async (repo) => {
  const solution = [...repo.root].filter((p) => p.endsWith(".sln")).sort()[0];
  const projects = repo.paths
    .filter((p) => p.endsWith(".csproj") && !IGNORED_DIRS.test(p) && p.split("/").length <= 4)
    .sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b));
  // global.json alone counts too (an SDK pin at the root is a .NET repository's marker).
  if (!solution && projects.length === 0 && !repo.root.has("global.json")) return undefined;
  // The app is the shallowest project that is not a test project.
  const app = projects.find((p) => !/test/i.test(p)) ?? projects[0];
  const facts = app ? csprojFacts((await repo.read(app)) ?? "") : {};
  const globalJson = repo.root.has("global.json");
  const sdk = globalJson ? globalJsonSdk((await repo.read("global.json")) ?? "") : undefined;
  const assembly = facts.assembly ?? app?.replace(/^.*\//, "").replace(/\.csproj$/, "");
  return stack(
    "dotnet",
    "dotnet",
    sdk ?? facts.dotnet,
    [solution, app, globalJson ? "global.json" : undefined],
    {
      ...(solution || app ? { project: solution ?? app } : {}),
      hints: { ...(globalJson ? { globalJson: true } : {}), ...(assembly ? { entry: assembly } : {}) },
    },
  );
};

const java: Detector = async (repo) => {
  const gradleFile = firstOf(repo, [
    "build.gradle.kts",
    "build.gradle",
    "settings.gradle.kts",
    "settings.gradle",
  ]);
  const pom = repo.root.has("pom.xml");
  if (!gradleFile && !pom && !repo.root.has("gradlew")) return undefined;
  const gradle = !pom || repo.root.has("gradlew");
  const wrapper = repo.root.has(gradle ? "gradlew" : "mvnw");
  const build = gradle ? (firstOf(repo, ["build.gradle.kts", "build.gradle"]) ?? gradleFile) : "pom.xml";
  const text = build ? await repo.read(build) : undefined;
  const version = text === undefined ? undefined : gradle ? gradleJavaVersion(text) : pomJavaVersion(text);
  return stack(
    "java",
    gradle ? "gradle" : "maven",
    version,
    [build, wrapper ? (gradle ? "gradlew" : "mvnw") : undefined],
    {
      hints: wrapper ? { wrapper: true } : {},
    },
  );
};

const go: Detector = async (repo) => {
  if (!repo.root.has("go.mod")) return undefined;
  const version = goModVersion((await repo.read("go.mod")) ?? "");
  const cmd = repo.paths.find((p) => /^cmd\/[^/]+\/main\.go$/.test(p));
  const entry = repo.root.has("main.go") || !cmd ? "." : `./${cmd.replace(/\/main\.go$/, "")}`;
  return stack("go", "go", version, ["go.mod"], { hints: { entry } });
};

const detectors: Record<StackLanguage, Detector> = { node, python, dotnet, java, go };

/** Whether a path makes the repository more than an empty shell (see NOT_APP). */
export function isAppFile(path: string): boolean {
  return !NOT_APP.some((re) => re.test(path));
}

export async function detectStack(
  paths: readonly string[],
  read: FileReader,
  options: { readonly dockerfile: string } = { dockerfile: "Dockerfile" },
): Promise<StackDetection> {
  const all = paths.map((p) => p.replace(/^\/+/, ""));
  // (The Dockerfile may live anywhere the answers say, build/ included.)
  const dockerfile = all.includes(options.dockerfile);
  const files = all.filter((p) => !IGNORED_DIRS.test(p));
  if (!files.some(isAppFile)) return { kind: "empty", dockerfile };
  const repo: Repo = { paths: files, root: new Set(files.filter((p) => !p.includes("/"))), read };
  const found: Stack[] = [];
  // One language at a time, in precedence order: each reads only its own files.
  for (const language of stackPrecedence) {
    const s = await detectors[language](repo);
    if (s) found.push(s);
  }
  const [chosen, ...others] = found;
  if (chosen) return { kind: "detected", stack: chosen, others, dockerfile };
  const nested = files.filter((p) => p.includes("/") && MANIFESTS.has(p.replace(/^.*\//, ""))).slice(0, 5);
  return { kind: "undetectable", nested, dockerfile };
}
