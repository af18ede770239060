import type { Answers } from "../../../src/answers/schema.js";
import type { Stack } from "./types.js";

/**
 * What the pipelines run for each stack: the tool set-up task (inputs checked against each
 * task's task.json, see test/repo/task-inputs.test.ts) and the default commands, which the
 * answers' `pipeline.commands` override one by one.
 */

export interface Commands {
  readonly install: string;
  readonly lint: string;
  readonly build: string;
  readonly unitTest: string;
  readonly integrationTest: string;
  readonly acceptanceTest: string;
}

type Yaml = Record<string, unknown>;

/** Runs `args` with the Maven or Gradle wrapper when the repository has one. */
function javaTool(stack: Stack): string {
  const wrapper = stack.hints?.wrapper === true;
  return stack.tool === "gradle"
    ? wrapper
      ? "./gradlew --no-daemon"
      : "gradle --no-daemon"
    : wrapper
      ? "./mvnw -B"
      : "mvn -B";
}

/** The install command of a Node.js package manager: frozen to the lock file when there is one. */
export function nodeInstall(stack: Stack): string {
  const loose = stack.hints?.noLockfile === true;
  if (stack.tool === "npm") return loose ? "npm install" : "npm ci";
  if (stack.tool === "pnpm") return `corepack enable && pnpm install${loose ? "" : " --frozen-lockfile"}`;
  const frozen = stack.hints?.yarnBerry ? " --immutable" : " --frozen-lockfile";
  return `corepack enable && yarn install${loose ? "" : frozen}`;
}

function nodeCommands(stack: Stack): Commands {
  if (stack.tool === "npm")
    return {
      install: nodeInstall(stack),
      lint: "npm run lint",
      build: "npm run build",
      unitTest: "npm test",
      integrationTest: "npm run test:integration",
      acceptanceTest: "npm run test:acceptance",
    };
  // pnpm and yarn come with Node.js through corepack, at the version package.json pins.
  const pm = stack.tool;
  return {
    install: nodeInstall(stack),
    lint: `${pm} run lint`,
    build: `${pm} run build`,
    unitTest: `${pm} test`,
    integrationTest: `${pm} run test:integration`,
    acceptanceTest: `${pm} run test:acceptance`,
  };
}

/** Byte-compiles every module (a syntax check that needs no linter), skipping a project venv. */
const compileAll = 'python -m compileall -q -x "(^|/)\\.venv/" .';

function pythonCommands(stack: Stack): Commands {
  // pytest exits 5 when it collects nothing: a repository without integration or acceptance
  // tests (yet) passes those steps instead of failing them.
  const pytest = (kind: string, marker: string, optional: boolean) =>
    `pytest -m ${marker} --junitxml=junit-${kind}.xml${optional ? " || [ $? -eq 5 ]" : ""}`;
  const requirements = stack.hints?.requirements ?? [];
  const deps = requirements.length ? requirements.map((r) => `-r ${r}`).join(" ") : ".";
  // How each tool installs, checks its project, and runs a module in its environment.
  const tools: Record<string, { install: string; lint: string; build: string; run: string }> = {
    poetry: {
      install: "python -m pip install poetry && poetry install --no-interaction",
      lint: "poetry check",
      build: `poetry run ${compileAll}`,
      run: "poetry run ",
    },
    uv: {
      install: "python -m pip install uv && uv sync --frozen",
      lint: "uv lock --locked",
      build: `uv run ${compileAll}`,
      run: "uv run ",
    },
    pip: {
      install: `python -m pip install --upgrade pip && python -m pip install ${deps} pytest`,
      lint: compileAll,
      build: "python -m pip check",
      run: "python -m ",
    },
  };
  const t = tools[stack.tool] ?? tools.pip!;
  return {
    install: t.install,
    lint: t.lint,
    build: t.build,
    unitTest: `${t.run}${pytest("unit", '"not integration and not acceptance"', false)}`,
    integrationTest: `${t.run}${pytest("integration", "integration", true)}`,
    acceptanceTest: `${t.run}${pytest("acceptance", "acceptance", true)}`,
  };
}

function dotnetCommands(stack: Stack): Commands {
  const p = stack.project ? ` ${stack.project}` : "";
  const test = (filter: string, build = "--no-build ") =>
    `dotnet test${p} ${build}--configuration Release --filter "${filter}" --logger trx`;
  return {
    install: `dotnet restore${p}`,
    lint: `dotnet format${p} --verify-no-changes --no-restore`,
    build: `dotnet build${p} --no-restore --configuration Release`,
    unitTest: test("Category!=Integration&Category!=Acceptance"),
    integrationTest: test("Category=Integration"),
    acceptanceTest: test("Category=Acceptance", ""),
  };
}

function javaCommands(stack: Stack): Commands {
  const t = javaTool(stack);
  if (stack.tool === "gradle")
    return {
      install: `${t} dependencies`,
      lint: `${t} check -x test`,
      build: `${t} assemble`,
      unitTest: `${t} test`,
      integrationTest: `${t} check`,
      // The whole suite against staging (APP_URL set): a --tests filter fails when nothing matches.
      acceptanceTest: `${t} test`,
    };
  return {
    install: `${t} dependency:go-offline`,
    lint: `${t} validate`,
    build: `${t} -DskipTests package`,
    unitTest: `${t} test`,
    integrationTest: `${t} verify`,
    acceptanceTest: `${t} test -Dgroups=acceptance`,
  };
}

function goCommands(): Commands {
  // gotestsum (pinned) writes JUnit for PublishTestResults@2; `go test` alone writes none.
  const test = (kind: string, tags?: string) =>
    `go run gotest.tools/gotestsum@v1.12.0 --junitfile junit-${kind}.xml --${tags ? ` -tags ${tags}` : ""} ./...`;
  return {
    install: "go mod download",
    lint: "go vet ./...",
    build: "go build ./...",
    unitTest: test("unit"),
    integrationTest: test("integration", "integration"),
    acceptanceTest: test("acceptance", "acceptance"),
  };
}

export function defaultCommands(stack: Stack): Commands {
  switch (stack.language) {
    case "node":
      return nodeCommands(stack);
    case "python":
      return pythonCommands(stack);
    case "dotnet":
      return dotnetCommands(stack);
    case "java":
      return javaCommands(stack);
    case "go":
      return goCommands();
  }
}

/** The stack's defaults, with each command the answers set in their place. */
export function commandsFor(stack: Stack, answers: Answers): Commands {
  const given = Object.fromEntries(
    Object.entries(answers.pipeline.commands).filter(([, v]) => v !== undefined),
  );
  return { ...defaultCommands(stack), ...given };
}

/** The tool set-up step(s) before any command. */
export function setupSteps(stack: Stack): Yaml[] {
  const v = stack.version;
  switch (stack.language) {
    case "node":
      return [
        {
          task: "NodeTool@0",
          displayName: `Use Node.js ${v}`,
          inputs: { versionSource: "spec", versionSpec: `${v}.x` },
        },
      ];
    case "python":
      return [
        {
          task: "UsePythonVersion@0",
          displayName: `Use Python ${v}`,
          inputs: { versionSpec: v, addToPath: true, architecture: "x64" },
        },
      ];
    case "dotnet":
      return [
        {
          task: "UseDotNet@2",
          displayName: stack.hints?.globalJson ? "Use the .NET SDK global.json names" : `Use .NET SDK ${v}`,
          inputs: stack.hints?.globalJson
            ? { packageType: "sdk", useGlobalJson: true }
            : { packageType: "sdk", version: `${v}.x` },
        },
      ];
    case "java":
      return [
        {
          // The hosted Ubuntu image carries JDK 8, 11, 17 and 21 (JAVA_HOME_<v>_X64).
          task: "JavaToolInstaller@0",
          displayName: `Use JDK ${v}`,
          inputs: { versionSpec: v, jdkArchitectureOption: "x64", jdkSourceOption: "PreInstalled" },
        },
      ];
    case "go":
      return [{ task: "GoTool@0", displayName: `Use Go ${v}`, inputs: { version: v } }];
  }
}

/** Test result files and their format, for PublishTestResults@2. */
export function testResults(stack: Stack): { readonly format: "JUnit" | "VSTest"; readonly files: string } {
  if (stack.language === "dotnet") return { format: "VSTest", files: "**/*.trx" };
  const exclude =
    stack.language === "node" ? ["!**/node_modules/**"] : stack.language === "python" ? ["!**/.venv/**"] : [];
  return { format: "JUnit", files: ["**/junit*.xml", "**/TEST-*.xml", ...exclude].join("\n") };
}
