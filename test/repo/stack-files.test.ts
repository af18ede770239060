import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { fileText, managedFiles } from "../../steps/repo/generated-files.js";
import { parseHeader } from "../../steps/repo/managed-file.js";
import { pipelinePaths } from "../../steps/repo/template-input.js";
import { stackExamples, stackInput, templateInput } from "./fixtures.js";

type Step = { task?: string; script?: string; inputs?: Record<string, unknown> };

function file(input: ReturnType<typeof templateInput>, path: string): string {
  const f = managedFiles(input).find((x) => x.path === path);
  if (!f) throw new Error(`${path} is not generated`);
  return fileText(f);
}

const buildSteps = (input: ReturnType<typeof templateInput>) =>
  (parse(file(input, pipelinePaths.buildAndTest)) as { steps: Step[] }).steps;

describe("generated files for each stack", () => {
  it("Python with poetry: UsePythonVersion and poetry commands in PR/CI and the acceptance job", () => {
    const input = stackInput(stackExamples["Python poetry"]!);
    const steps = buildSteps(input);
    expect(steps[0]).toMatchObject({ task: "UsePythonVersion@0", inputs: { versionSpec: "3.11" } });
    expect(steps.map((s) => s.script).filter(Boolean)).toEqual([
      "python -m pip install poetry && poetry install --no-interaction",
      "poetry check",
      'poetry run python -m compileall -q -x "(^|/)\\.venv/" .',
      'poetry run pytest -m "not integration and not acceptance" --junitxml=junit-unit.xml',
    ]);
    expect(file(input, pipelinePaths.ci)).toContain(
      "poetry run pytest -m integration --junitxml=junit-integration.xml || [ $? -eq 5 ]",
    );
    const cd = file(input, pipelinePaths.cd);
    expect(cd).toContain("task: UsePythonVersion@0");
    expect(cd).not.toContain("NodeTool@0");
  });

  it("each stack sets up its own tool and no other", () => {
    const expected: Record<string, string> = {
      node: "NodeTool@0",
      python: "UsePythonVersion@0",
      dotnet: "UseDotNet@2",
      java: "JavaToolInstaller@0",
      go: "GoTool@0",
    };
    for (const stack of Object.values(stackExamples)) {
      const tasks = buildSteps(stackInput(stack))
        .map((s) => s.task)
        .filter((t) => t && t !== "PublishTestResults@2");
      expect(tasks, stack.language).toEqual([expected[stack.language]]);
    }
  });

  it(".NET publishes TRX results; global.json drives the SDK", () => {
    const steps = buildSteps(stackInput(stackExamples[".NET global.json"]!));
    expect(steps[0]).toMatchObject({
      task: "UseDotNet@2",
      inputs: { packageType: "sdk", useGlobalJson: true },
    });
    expect(steps.at(-1)).toMatchObject({
      inputs: { testResultsFormat: "VSTest", testResultsFiles: "**/*.trx" },
    });
    const sln = buildSteps(stackInput(stackExamples[".NET"]!));
    expect(sln.map((s) => s.script)).toContain("dotnet build Shop.sln --no-restore --configuration Release");
  });

  it("Node.js without a lock file installs with npm install, in the pipeline and the Dockerfile", () => {
    const input = stackInput({
      language: "node",
      tool: "npm",
      version: "22",
      evidence: [],
      hints: { noLockfile: true },
    });
    expect(buildSteps(input).map((s) => s.script)).toContain("npm install");
    const docker = file(input, "Dockerfile");
    expect(docker).toContain("COPY package.json ./\nRUN npm install\n");
  });

  it("answers' commands override the stack's defaults one by one", () => {
    const input = stackInput(stackExamples["Go"]!, { pipeline: { commands: { lint: "golangci-lint run" } } });
    const scripts = buildSteps(input).map((s) => s.script);
    expect(scripts).toContain("golangci-lint run");
    expect(scripts).toContain("go build ./...");
  });

  it("a managed, multi-stage, non-root Dockerfile exposing the container port, for every stack", () => {
    for (const [name, stack] of Object.entries(stackExamples)) {
      const text = file(stackInput(stack, { pipeline: { containerPort: 9000 } }), "Dockerfile");
      expect(parseHeader(text), name).toBeDefined();
      expect(text.match(/^FROM /gm)?.length, name).toBe(2);
      expect(text, name).toMatch(/^USER [1-9]\d*(:\d+)?$/m);
      expect(text, name).toMatch(/^EXPOSE 9000$/m);
    }
    expect(file(stackInput(stackExamples["Python pip"]!), "Dockerfile")).toContain('CMD ["python","app.py"]');
    expect(file(stackInput(stackExamples[".NET"]!), "Dockerfile")).toContain(
      'ENTRYPOINT ["dotnet", "Shop.Api.dll"]',
    );
  });

  it("no Dockerfile is generated beside the starter app or a Dockerfile of the user's", () => {
    expect(managedFiles(templateInput()).map((f) => f.path)).not.toContain("Dockerfile");
    const own = stackInput(stackExamples["Go"]!);
    const input = { ...own, choice: { ...own.choice!, generateDockerfile: false } };
    expect(managedFiles(input).map((f) => f.path)).not.toContain("Dockerfile");
  });
});
