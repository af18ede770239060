import { execFile, spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { starterAppFiles } from "../../steps/repo/starter-app.js";
import { fileText } from "../../steps/repo/generated-files.js";
import { templateInput } from "./fixtures.js";
import { commandsOf } from "../../steps/repo/template-input.js";

const run = promisify(execFile);
const input = templateInput({ pipeline: { containerPort: 18080 } });
let dir = "";

/** Runs one of the answers' commands (e.g. "npm run lint") in the starter app. */
function command(cmd: string, env: Record<string, string> = {}) {
  const [bin, ...args] = cmd.split(" ");
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== "TF_BUILD" && k !== "APP_URL"),
  );
  return run(bin!, args, { cwd: dir, env: { ...clean, ...env } });
}

describe("starter app", () => {
  beforeAll(() => {
    // Given the starter app written to an empty folder, as it would be pushed
    dir = mkdtempSync(join(tmpdir(), "starter-"));
    for (const f of starterAppFiles(input)) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), fileText(f));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("has the files the pipelines need, with scripts matching the default commands", () => {
    expect(
      starterAppFiles(input)
        .map((f) => f.path)
        .sort(),
    ).toEqual(
      [
        ".dockerignore",
        ".gitignore",
        "Dockerfile",
        "package-lock.json",
        "package.json",
        "src/app.js",
        "src/server.js",
        "test/acceptance/health.test.js",
        "test/integration/secrets.test.js",
        "test/unit/app.test.js",
      ].sort(),
    );
    const scripts = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).scripts;
    for (const c of Object.values(commandsOf(input)).filter((c) => c.startsWith("npm run "))) {
      expect(scripts).toHaveProperty(c.slice("npm run ".length));
    }
    expect(scripts).toHaveProperty("test");
  });

  it("installs, lints, builds and passes its unit tests, writing JUnit results", async () => {
    const c = commandsOf(input);
    for (const cmd of [c.install, c.lint, c.build, c.unitTest]) await command(cmd);
    expect(readFileSync(join(dir, "junit-unit.xml"), "utf8")).toContain("<testsuites");
  });

  it("integration tests check the secret env vars in CI, and fail when one is missing", async () => {
    await expect(
      command("npm run test:integration", { TF_BUILD: "True", DB_PASSWORD: "x", API_KEY: "y" }),
    ).resolves.toBeDefined();
    await expect(
      command("npm run test:integration", { TF_BUILD: "True", DB_PASSWORD: "x" }),
    ).rejects.toThrow();
  });

  it("acceptance tests skip without APP_URL and pass against the running server", async () => {
    const skipped = await command("npm run test:acceptance");
    expect(skipped.stdout).toMatch(/skipped 1|# skip 1/);
    // When the server runs (as the Dockerfile's CMD does)
    const server = spawn(process.execPath, ["src/server.js"], {
      cwd: dir,
      env: { ...process.env, PORT: "0" },
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error("server did not start within 10 s")), 10_000);
        server.stdout.on("data", (b: Buffer) => {
          const m = /listening on (\d+)/.exec(b.toString());
          if (m) {
            clearTimeout(deadline);
            resolve(Number(m[1]));
          }
        });
      });
      // Then the acceptance tests pass against it
      const passed = await command("npm run test:acceptance", { APP_URL: `http://127.0.0.1:${port}` });
      expect(passed.stdout).toMatch(/pass 1/);
    } finally {
      server.kill();
    }
  });

  it("Dockerfile runs as a numeric non-root user and exposes the container port", () => {
    const docker = readFileSync(join(dir, "Dockerfile"), "utf8");
    expect(docker).toMatch(/^USER 1000$/m);
    expect(docker).toMatch(/^EXPOSE 18080$/m);
    expect(existsSync(join(dir, ".dockerignore"))).toBe(true);
  });
});
