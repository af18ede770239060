import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BugError, UserError } from "../engine/errors.js";
import { answersJsonSchema } from "./json-schema.js";
import { loadAnswersFile } from "./load.js";
import { resolveAnswers, sandboxDefaults } from "./resolve.js";
import { saveAnswersFile } from "./save.js";
import type { AnswersInput } from "./schema.js";

const input: AnswersInput = sandboxDefaults({
  tenantId: "00000000-0000-0000-0000-000000000000",
  subscriptionId: "11111111-1111-1111-1111-111111111111",
  organizationUrl: "https://dev.azure.com/contoso",
});

describe("saveAnswersFile", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "answers-save-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes YAML whose first line points editors at the schema saved next to it", async () => {
    // Given valid answers
    const path = join(dir, "answers.yaml");
    // When they are saved
    const saved = await saveAnswersFile(path, input);
    // Then the file starts with the yaml-language-server comment, the schema file exists beside it,
    // no temporary file is left, and loading it back gives the same answers
    const text = await readFile(path, "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=./aks-bootstrap.schema.json");
    expect(saved.schemaPath).toBe(join(dir, "aks-bootstrap.schema.json"));
    expect(JSON.parse(await readFile(saved.schemaPath, "utf8"))).toEqual(answersJsonSchema());
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const back = resolveAnswers({ file: await loadAnswersFile(path), env: {}, flags: {} });
    expect(back.answers).toEqual(resolveAnswers({ defaults: input, env: {}, flags: {} }).answers);
  });

  it("overwrites an existing file in place", async () => {
    const path = join(dir, "again.yaml");
    await saveAnswersFile(path, input);
    await saveAnswersFile(path, { ...input, app: "other" });
    const back = resolveAnswers({ file: await loadAnswersFile(path), env: {}, flags: {} });
    expect(back.answers.app).toBe("other");
  });

  it("writes JSON with a $schema key when the name ends in .json", async () => {
    const path = join(dir, "answers.json");
    await saveAnswersFile(path, input);
    const data = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
    expect(data.$schema).toBe("./aks-bootstrap.schema.json");
    expect(resolveAnswers({ file: await loadAnswersFile(path), env: {}, flags: {} }).answers.app).toBe(
      "demo",
    );
  });

  it("refuses answers the schema rejects, e.g. an extra field that could carry a secret", async () => {
    const path = join(dir, "bad.yaml");
    const withValue = {
      ...input,
      keyVault: { secrets: [{ name: "db", env: "DB", value: "hunter2" }] },
    } as unknown as AnswersInput;
    const err = await saveAnswersFile(path, withValue).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BugError);
    expect((err as Error).message).toContain("keyVault.secrets[0]");
    expect((err as Error).message).not.toContain("hunter2");
    await expect(readFile(path, "utf8")).rejects.toThrow();
  });

  it("refuses a secret name that looks like a pasted value, without echoing it", async () => {
    const path = join(dir, "pasted.yaml");
    const pasted = "a8F3kLm9Qz7xP2vB5nW1Jc";
    const err = await saveAnswersFile(path, {
      ...input,
      keyVault: { secrets: [{ name: pasted, env: "DB" }] },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BugError);
    expect((err as Error).message).not.toContain(pasted);
  });

  it("a folder that does not exist is a UserError", async () => {
    const err = await saveAnswersFile(join(dir, "nope", "answers.yaml"), input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/^cannot write .*: the folder does not exist$/);
  });
});
