import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  GitVersionType,
  VersionControlRecursionType,
} from "azure-devops-node-api/interfaces/GitInterfaces.js";
import { createDevopsClients } from "../../src/clients/devops.js";
import { startSandbox } from "../../src/sandbox/index.js";
import { parseHeader } from "../../steps/repo/managed-file.js";
import { run } from "./drift-harness.js";

const SPEED = "5000";

interface StateView {
  resources: Record<string, unknown>;
  devops: { serviceEndpoints: Record<string, unknown>; environments: Record<string, unknown> };
}

/** The emulated state, and the files on main of repository demo read with the real Git client. */
async function state(dir: string): Promise<StateView & { files: Record<string, string> }> {
  const sandbox = await startSandbox({ dir, speed: Number(SPEED) });
  try {
    const git = await (await createDevopsClients(sandbox.target()).api()).getGitApi();
    const main = { version: "main", versionType: GitVersionType.Branch };
    const items = await git.getItems(
      "demo",
      "demo",
      "/",
      VersionControlRecursionType.Full,
      false,
      false,
      false,
      false,
      main,
    );
    const files: Record<string, string> = {};
    for (const item of items.filter((i) => !i.isFolder)) {
      const read = await git.getItem(
        "demo",
        item.path!,
        "demo",
        undefined,
        undefined,
        false,
        false,
        false,
        main,
        true,
      );
      files[item.path!.replace(/^\//, "")] = read.content ?? "";
    }
    return { ...(sandbox.state() as StateView), files };
  } finally {
    await sandbox.close();
  }
}

const dirs: string[] = [];
function workspace(): { dir: string; sandboxDir: string; flags: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "aksb-stack-"));
  dirs.push(dir);
  const sandboxDir = join(dir, ".sandbox");
  return {
    dir,
    sandboxDir,
    flags: [`--sandbox=${sandboxDir}`, "--non-interactive", "--speed", SPEED, "--output", "plain"],
  };
}

async function seed(w: ReturnType<typeof workspace>, ...args: string[]) {
  const seeded = await run(["sandbox", "seed-repo", "--dir", w.sandboxDir, "--speed", SPEED, ...args], w.dir);
  expect(seeded.code, seeded.stderr).toBe(0);
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * Given a team's existing app pushed into the sandbox's Azure Repos repository (`sandbox
 * seed-repo`), When aks-bootstrap applies through its CLI, Then the pipelines it pushes build
 * that stack, and a Dockerfile is generated only when the repository has none.
 */
describe("an existing app's stack, through the CLI on the sandbox", () => {
  it("a Poetry app: the build template sets up Python and runs poetry; a managed Dockerfile is added", async () => {
    const w = workspace();
    await seed(w, "--stack", "python");
    // When applying
    const applied = await run(["apply", ...w.flags, "--yes"], w.dir);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    // Then the plan said what was detected
    expect(applied.stdout).toContain(
      "stack: detected Python 3.12 with poetry (pyproject.toml, poetry.lock, .python-version)",
    );
    // And the pushed build template uses UsePythonVersion and the poetry commands, no Node.js
    const files = (await state(w.sandboxDir)).files;
    const template = files[".azure-pipelines/templates/build-and-test.yml"]!;
    expect(template).toContain("task: UsePythonVersion@0");
    expect(template).toContain('versionSpec: "3.12"');
    expect(template).toContain("poetry install --no-interaction");
    expect(template).toMatch(/poetry run pytest .*--junitxml=junit-unit.xml/);
    expect(template).not.toContain("NodeTool@0");
    expect(files[".azure-pipelines/cd.yml"]).toContain("task: UsePythonVersion@0");
    // And a managed Dockerfile for it, with the app's own files untouched and no starter app
    const dockerfile = files["Dockerfile"]!;
    expect(parseHeader(dockerfile)).toBeDefined();
    expect(dockerfile).toContain("FROM python:3.12-slim AS build");
    expect(dockerfile).toContain("poetry install --only main");
    expect(dockerfile).toContain('CMD ["python","-m","demo_api"]');
    expect(files["package.json"]).toBeUndefined();
    // When planning again Then nothing is pending (the detection is stable)
    const again = await run(["plan", ...w.flags, "--detailed-exitcode"], w.dir);
    expect(again.code, again.stdout).toBe(0);
    // And the sandbox's pipeline runs take the Python pipelines from pull request to production
    const verified = await run(
      [
        "verify",
        `--sandbox=${w.sandboxDir}`,
        "--approve",
        "--non-interactive",
        "--speed",
        SPEED,
        "--output",
        "plain",
      ],
      w.dir,
    );
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/verify succeeded in .*: (\d+) of \1 milestones passed/);
  });

  it("an app with its own Dockerfile: it is kept and used, and pip's commands are generated", async () => {
    const w = workspace();
    await seed(w, "--stack", "python-pip", "--with-dockerfile");
    const before = (await state(w.sandboxDir)).files["Dockerfile"];
    const applied = await run(["apply", ...w.flags, "--yes"], w.dir);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    const files = (await state(w.sandboxDir)).files;
    // Then the team's Dockerfile is unchanged (not managed: no header) and CI builds it
    expect(files["Dockerfile"]).toBe(before);
    expect(parseHeader(files["Dockerfile"]!)).toBeUndefined();
    expect(files[".azure-pipelines/ci.yml"]).toContain("Dockerfile: $(Build.SourcesDirectory)/Dockerfile");
    // And the template installs both requirement files with pip
    expect(files[".azure-pipelines/templates/build-and-test.yml"]).toContain(
      "python -m pip install -r requirements.txt -r requirements-dev.txt pytest",
    );
    expect(applied.stdout).not.toMatch(/Dockerfile: absent/);
    expect(applied.stdout).toContain("Dockerfile: the repository's own, kept and used");
  });

  it("--stack on apply is refused, pointing at stack.language, before any sandbox starts", async () => {
    const w = workspace();
    const r = await run(["apply", ...w.flags, "--yes", "--stack", "python"], w.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--stack only goes with `aks-bootstrap sandbox seed-repo`");
    expect(r.stderr).toContain("set `stack.language`");
    expect(existsSync(w.sandboxDir)).toBe(false);
  });

  it("an answers file with another language's tool is refused naming the field", async () => {
    const w = workspace();
    writeFileSync(join(w.dir, "answers.yaml"), "stack:\n  language: python\n  tool: maven\n");
    const r = await run(["plan", ...w.flags, "--answers", "answers.yaml"], w.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /answers\.yaml:3:\d+ stack\.tool: is not a python tool: use pip or poetry or uv/,
    );
  });

  it("seed-repo refuses an unknown sample and a repository that already has commits", async () => {
    const w = workspace();
    const unknown = await run(["sandbox", "seed-repo", "--dir", w.sandboxDir, "--stack", "cobol"], w.dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown sample stack "cobol" for --stack');
    expect(unknown.stderr).toContain("--stack python, --stack python-pip, --stack go, --stack rust");
    await seed(w, "--stack", "go");
    const again = await run(["sandbox", "seed-repo", "--dir", w.sandboxDir, "--stack", "go"], w.dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("repository demo in the sandbox already has commits");
  });

  it("an undetectable stack: exit 1 naming the fix, nothing created", async () => {
    const w = workspace();
    await seed(w, "--stack", "rust");
    const before = await state(w.sandboxDir);
    // When applying
    const applied = await run(["apply", ...w.flags, "--yes"], w.dir);
    const output = applied.stdout + applied.stderr;
    // Then it fails with a message naming the repository and the answers key, no stack trace
    expect(applied.code).toBe(1);
    expect(output).toMatch(/undetectable stack: repository demo has no package.json/);
    expect(output).toMatch(/Set `stack.language` in the answers file/);
    expect(output).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
    // And nothing was created: no Azure resource, no service connection or environment, no push
    const after = await state(w.sandboxDir);
    expect(Object.keys(after.resources)).toEqual(Object.keys(before.resources));
    expect(after.devops.serviceEndpoints).toEqual(before.devops.serviceEndpoints);
    expect(after.devops.environments).toEqual(before.devops.environments);
    expect(after.files).toEqual(before.files);
  });
});
