import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { repoRoot, runCli } from "../helpers/cli.js";

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe("aks-bootstrap CLI contract", () => {
  it("prints help that lists the commands, the options and the exit codes, and exits 0", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const word of [
      "apply",
      "plan",
      "schema",
      "sandbox serve",
      "--non-interactive",
      "--answers",
      "--sandbox",
      "130",
    ]) {
      expect(r.stdout).toContain(word);
    }
  });

  it("prints the package version", async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
    const r = await runCli(["--version"]);
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it("rejects an unknown option with exit 1, a did-you-mean and no stack trace", async () => {
    const r = await runCli(["plan", "--non-interactve"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Unknown option --non-interactve");
    expect(r.stderr).toContain("--non-interactive");
    noStack(r.stderr);
  });

  it("rejects a bad --output value naming the allowed ones", async () => {
    const r = await runCli(["plan", "--output", "xml"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--output must be one of auto, tty, plain, json/);
  });

  it("rejects an unknown command", async () => {
    const r = await runCli(["deploy"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Unknown command "deploy"');
  });

  it("prints a JSON Schema that accepts the README's example answers file and rejects a broken one", async () => {
    const r = await runCli(["schema"]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as object;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(validate(parse(example)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(parse(readFileSync(join(repoRoot, "examples/answers.yaml"), "utf8")))).toBe(true);
    expect(validate({ ...parse(example), app: 42 })).toBe(false);
  });
});

describe("bad answers files", () => {
  const dir = mkdtempSync(join(tmpdir(), "aksb-cli-"));
  const good = readFileSync(join(repoRoot, "examples/answers.yaml"), "utf8");
  const withFile = async (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return runCli(["plan", "--non-interactive", "--answers", name], { cwd: dir });
  };

  it("names the field and its line for a wrong type", async () => {
    const text = good.replace(/nodeCount: \d+/, "nodeCount: many");
    const line = text.split("\n").findIndex((l) => l.includes("nodeCount: many")) + 1;
    const r = await withFile("wrong-type.yaml", text);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("azure.aks.nodeCount");
    expect(r.stderr).toContain(`wrong-type.yaml:${line}:`);
    noStack(r.stderr);
  });

  it("suggests the right key for an unknown one", async () => {
    const r = await withFile("typo.yaml", good.replace("subscriptionId:", "subscriptionID:"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("subscriptionID");
    expect(r.stderr).toContain("subscriptionId");
  });

  it("rejects an app name whose derived names Azure would refuse", async () => {
    const r = await withFile("bad-name.yaml", good.replace(/^app: .*$/m, "app: Shop_Front"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad-name\.yaml:\d+:\d+ app/);
  });

  it("names a missing required field and the flag or variable that provides it", async () => {
    const r = await withFile("missing.yaml", good.replace(/^\s*location: .*$/m, ""));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("azure.location");
    expect(r.stderr).toContain("--location");
  });

  it("says so when the answers file does not exist", async () => {
    const r = await runCli(["plan", "--non-interactive", "--answers", "nope.yaml"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("nope.yaml");
    noStack(r.stderr);
  });

  it("with no answers at all, names the first missing answer without prompting", async () => {
    const r = await runCli(["plan", "--non-interactive"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is required/);
  });
});
