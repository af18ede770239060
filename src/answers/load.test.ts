import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../engine/errors.js";
import { loadAnswersFile, parseAnswers } from "./load.js";

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error("expected a UserError");
}

describe("parseAnswers", () => {
  it("reports a YAML syntax error with file:line:column and without quoting the text", () => {
    // Given YAML whose line 3 nests a mapping in a compact mapping
    const text = "app: shop\nazure:\n  location: west: europe\n";
    // When it is parsed
    const err = errorOf(() => parseAnswers(text, "answers.yaml"));
    // Then the error names the position and does not echo the offending line
    expect(err.message).toMatch(/^answers\.yaml:3:13 YAML syntax error: /);
    expect(err.message).not.toContain("west: europe");
    expect(err.hint).toMatch(/YAML syntax/);
  });

  it("reports every syntax error, one line each", () => {
    const err = errorOf(() => parseAnswers("a: 1\na: 2\nb: [1,\n", "x.yaml"));
    const lines = err.message.split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^x\.yaml:2:1 YAML syntax error: Map keys must be unique/);
  });

  it("reads JSON through the YAML parser so JSON gets positions too", () => {
    // Given tab-indented JSON
    const text = '{\n\t"app": "shop",\n\t"azure": {\n\t\t"location": "westeurope"\n\t}\n}\n';
    const file = parseAnswers(text, "answers.json");
    expect(file.format).toBe("json");
    expect(file.raw).toEqual({ app: "shop", azure: { location: "westeurope" } });
    expect(file.positionOf(["azure", "location"])).toEqual({ line: 4, column: 3 });
  });

  it("reports a JSON syntax error with its position", () => {
    const err = errorOf(() => parseAnswers('{\n  "app": "shop",\n  "azure": {\n}\n', "answers.json"));
    expect(err.message).toMatch(/^answers\.json:\d+:\d+ JSON syntax error: /);
  });

  it("positions a missing path at its nearest written ancestor", () => {
    const file = parseAnswers("app: shop\nazure:\n  location: westeurope\n", "a.yaml");
    expect(file.positionOf(["azure", "subscriptionId"])).toEqual({ line: 2, column: 1 });
    expect(file.positionOf(["devops", "project"])).toEqual({ line: 1, column: 1 });
    expect(file.has(["azure", "location"])).toBe(true);
    expect(file.has(["azure", "subscriptionId"])).toBe(false);
  });

  it("positions sequence items", () => {
    const file = parseAnswers(
      "keyVault:\n  secrets:\n    - name: a\n      env: A\n    - name: b\n",
      "a.yaml",
    );
    expect(file.positionOf(["keyVault", "secrets", 1])).toEqual({ line: 5, column: 7 });
    expect(file.positionOf(["keyVault", "secrets", 1, "name"])).toEqual({ line: 5, column: 7 });
    expect(file.positionOf(["keyVault", "secrets", 0, "env"])).toEqual({ line: 4, column: 7 });
  });

  it("treats an empty file as no answers", () => {
    expect(parseAnswers("", "a.yaml").raw).toEqual({});
    expect(parseAnswers("# only a comment\n", "a.yaml").raw).toEqual({});
  });

  it("rejects a file that is not a mapping", () => {
    const err = errorOf(() => parseAnswers("- app: shop\n", "a.yaml"));
    expect(err.message).toBe(
      "a.yaml:1:1 the answers file must be a mapping of answers (app, azure, devops, ...), not a list",
    );
  });
});

describe("loadAnswersFile", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "answers-load-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("says clearly when the file does not exist", async () => {
    const path = join(dir, "missing.yaml");
    const err = await loadAnswersFile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(`answers file ${path} not found`);
    expect((err as UserError).hint).toMatch(/--answers/);
  });

  it("says clearly when the path is a directory", async () => {
    const path = join(dir, "folder");
    await mkdir(path);
    const err = await loadAnswersFile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(`answers file ${path} is a directory`);
  });

  it("loads a file with a byte-order mark and names errors after the path given", async () => {
    const path = join(dir, "bom.yaml");
    await writeFile(path, "\ufeffapp: shop\n");
    const file = await loadAnswersFile(path);
    expect(file.raw).toEqual({ app: "shop" });
    expect(file.fileName).toBe(path);
    expect(file.positionOf(["app"])).toEqual({ line: 1, column: 1 });
  });
});
