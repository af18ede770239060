import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleAppFiles } from "../../src/sandbox/sample-apps.js";
import { chooseStack } from "../../steps/repo/stack/choose.js";
import { detectStack } from "../../steps/repo/stack/detect.js";
import { commandsFor, type Commands } from "../../steps/repo/stack/toolchain.js";
import { templateInput } from "./fixtures.js";

const run = promisify(execFile);

function havePytest(): boolean {
  try {
    execFileSync("python3", ["-m", "pytest", "--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const pytest = havePytest();

/**
 * The pip stack's default commands, as the generated pipeline runs them (bash), on the sample
 * Python app `sandbox seed-repo --stack python-pip` pushes: detection, commands and sample fit.
 * (Install needs the network; lint and the tests do not.)
 */
describe.skipIf(!pytest)("the pip stack's commands on the python-pip sample app", () => {
  let dir: string;
  let commands: Commands;
  const bash = (command: string) =>
    // `python` is what UsePythonVersion@0 puts on PATH; here python3 stands in for it.
    run("bash", ["-c", command.replace(/\bpython -m /g, "python3 -m ")], { cwd: dir, timeout: 60_000 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "aksb-pip-"));
    const files = sampleAppFiles("python-pip", false);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const detection = await detectStack(Object.keys(files), async (p) => files[p]);
    const { answers } = templateInput();
    const choice = chooseStack(answers.stack, detection, {
      starterApp: true,
      repository: "demo",
      userDockerfile: false,
    });
    expect(choice.stack).toMatchObject({ language: "python", tool: "pip" });
    commands = commandsFor(choice.stack, answers);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lint byte-compiles the app, and fails on a syntax error", async () => {
    await expect(bash(commands.lint)).resolves.toBeDefined();
    writeFileSync(join(dir, "broken.py"), "def (:\n");
    await expect(bash(commands.lint)).rejects.toThrow();
    rmSync(join(dir, "broken.py"));
  });

  it("unit tests pass and write JUnit results for PublishTestResults@2", async () => {
    await bash(commands.unitTest);
    expect(readFileSync(join(dir, "junit-unit.xml"), "utf8")).toContain("<testsuite");
  });

  it("integration and acceptance pass when no test carries their marker (pytest exit 5)", async () => {
    await expect(bash(commands.integrationTest)).resolves.toBeDefined();
    await expect(bash(commands.acceptanceTest)).resolves.toBeDefined();
    // And a failing integration test still fails the step
    writeFileSync(
      join(dir, "tests/test_integration.py"),
      "import pytest\n\n\n@pytest.mark.integration\ndef test_fails():\n    assert False\n",
    );
    await expect(bash(commands.integrationTest)).rejects.toThrow();
  });
});

it.runIf(!pytest)("python stack commands skipped: python3 -m pytest is not available", () => {
  expect(pytest).toBe(false);
});
