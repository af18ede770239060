import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { serveSandbox, type ServedSandbox } from "../clients/served-sandbox.js";

/** `aks-bootstrap sandbox env`: export lines for `eval "$(...)"`, and clear errors without a sandbox. */
describe("sandbox env with a running sandbox", () => {
  let sandbox: ServedSandbox;
  let secrets: { clientSecret: string; pat: string };
  beforeAll(async () => {
    sandbox = await serveSandbox({ apply: false });
    secrets = JSON.parse(readFileSync(join(sandbox.dir, "secrets.json"), "utf8")) as typeof secrets;
  }, 60_000);
  afterAll(() => sandbox?.stop());

  it("exports the sign-in that eval puts in the shell", () => {
    const { env, info } = sandbox;
    expect(env).toMatchObject({
      AZURE_TENANT_ID: info.tenantId,
      AZURE_SUBSCRIPTION_ID: info.subscriptionId,
      AZURE_CLIENT_ID: info.clientId,
      AZURE_CLIENT_SECRET: secrets.clientSecret,
      AZURE_AUTHORITY_HOST: info.login,
      AZURE_RESOURCE_MANAGER_ENDPOINT: info.arm,
      NODE_EXTRA_CA_CERTS: info.caFile,
      AZURE_DEVOPS_EXT_PAT: secrets.pat,
      AZURE_DEVOPS_ORG_URL: info.organizationUrl,
    });
    // requests trusts only the bundle it is given: public roots and the sandbox CA
    const bundle = readFileSync(env["REQUESTS_CA_BUNDLE"]!, "utf8");
    expect(bundle).toContain(readFileSync(info.caFile, "utf8").trim());
    expect(bundle.match(/BEGIN CERTIFICATE/g)!.length).toBeGreaterThan(10);
  });

  it("puts the client id in the ready line, and the secret nowhere but secrets.json and stdout", () => {
    expect(JSON.parse(sandbox.readyLine)).toMatchObject({ clientId: sandbox.info.clientId });
    expect(sandbox.readyLine).not.toContain(secrets.clientSecret);
    expect(sandbox.readyLine).not.toContain(secrets.pat);
    for (const f of readdirSync(sandbox.dir).filter((n) => n !== "secrets.json" && !n.endsWith(".pem"))) {
      const text = readFileSync(join(sandbox.dir, f), "utf8");
      expect(text, f).not.toContain(secrets.clientSecret);
      expect(text, f).not.toContain(secrets.pat);
    }
  });

  it("quotes values so the shell expands nothing", async () => {
    const r = await runCli(["sandbox", "env", "--dir", sandbox.dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    for (const line of r.stdout.split("\n").filter((l) => l && !l.startsWith("#")))
      expect(line).toMatch(/^export [A-Z_]+='[^']*'$/);
  });

  it("fails with exit 1 once the sandbox is stopped", async () => {
    await sandbox.stop();
    const r = await runCli(["sandbox", "env", "--dir", sandbox.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/no sandbox is running on this folder/);
    expect(r.stderr).toMatch(/aks-bootstrap sandbox serve --dir/);
  });
});

describe("sandbox env without a running sandbox", () => {
  it("names the missing folder and how to start one, exit 1, no stack trace", async () => {
    const missing = join(tmpdir(), `aksb-no-such-${process.pid}`);
    const r = await runCli(["sandbox", "env", "--dir", missing]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`there is no sandbox folder there`);
    expect(r.stderr).toContain(missing);
    expect(r.stderr).toContain("sandbox serve --dir");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a folder whose serve.json names a process that has ended", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aksb-stale-"));
    const ended = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeFileSync(join(dir, "serve.json"), JSON.stringify({ pid: ended, arm: "https://127.0.0.1:1" }));
    const r = await runCli(["sandbox", "env", "--dir", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no sandbox is running on this folder/);
  });

  it("is taught by sandbox --help", async () => {
    const r = await runCli(["sandbox", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("sandbox env [--dir D]");
    expect(r.stdout).toContain('eval "$(aks-bootstrap sandbox env)"');
  });
});
