import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveSandbox, type ServedSandbox } from "./served-sandbox.js";

/**
 * The Azure CLI against a served sandbox, with the README's commands: `az cloud register`
 * (endpoints read from the sandbox's /metadata/endpoints), `az login --service-principal`, then
 * lists. Its own AZURE_CONFIG_DIR in a temp folder: the user's az profile is never touched.
 * Skipped with its reason where az is not installed (apt: azure-cli).
 */
function findAz(): string | undefined {
  for (const az of ["/usr/bin/az", "az"]) {
    if (az.startsWith("/") && !existsSync(az)) continue;
    const r = spawnSync(az, ["version", "--output", "json"], {
      encoding: "utf8",
      env: { ...process.env, AZURE_CONFIG_DIR: mkdtempSync(join(tmpdir(), "az-probe-")) },
    });
    if (r.status === 0) return az;
  }
  return undefined;
}
const az = findAz();

describe.runIf(!az)("Azure CLI against the sandbox", () => {
  it.skip("skipped: the Azure CLI (az) is not installed; apt package azure-cli", () => {});
});

describe.skipIf(!az)("Azure CLI against a served sandbox after a full apply", () => {
  let sandbox: ServedSandbox;
  let configDir: string;
  const transcript: string[] = [];
  const run = (...args: string[]) => {
    const r = spawnSync(az!, [...args, "--only-show-errors"], {
      encoding: "utf8",
      timeout: 120_000,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        AZURE_CONFIG_DIR: configDir,
        AZURE_CORE_COLLECT_TELEMETRY: "no",
        AZURE_CORE_NO_COLOR: "1",
        ...sandbox.env,
      },
    });
    transcript.push(`$ az ${args.join(" ")}\n${r.stdout}${r.stderr}`);
    return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
  };
  const tsv = (...args: string[]) => {
    const r = run(...args, "--output", "tsv");
    expect(r.code, r.stderr).toBe(0);
    return r.stdout.split("\n").filter(Boolean).sort();
  };
  const names = (type: string) => sandbox.names(type);

  beforeAll(async () => {
    sandbox = await serveSandbox({ apply: true });
    configDir = mkdtempSync(join(tmpdir(), "az-config-"));
    const env = sandbox.env;
    // When the README's commands run
    const register = run(
      "cloud",
      "register",
      "--name",
      "aks-bootstrap-sandbox",
      "--endpoint-resource-manager",
      env["AZURE_RESOURCE_MANAGER_ENDPOINT"]!,
      "--suffix-keyvault-dns",
      ".vault.azure.net",
      "--suffix-acr-login-server-endpoint",
      ".azurecr.io",
    );
    expect(register.code, register.stderr).toBe(0);
    expect(run("cloud", "set", "--name", "aks-bootstrap-sandbox").code).toBe(0);
    const login = run(
      "login",
      "--service-principal",
      "--username",
      env["AZURE_CLIENT_ID"]!,
      // The `=` form, as the README shows: a secret may start with "-" (older sandbox folders).
      `--password=${env["AZURE_CLIENT_SECRET"]!}`,
      "--tenant",
      env["AZURE_TENANT_ID"]!,
      "--output",
      "json",
    );
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(login.stdout)).toEqual([
      expect.objectContaining({ id: sandbox.info.subscriptionId, tenantId: sandbox.info.tenantId }),
    ]);
  }, 240_000);
  afterAll(() => sandbox?.stop());

  it("az cloud register took the login endpoint and audience from the sandbox's metadata", () => {
    const cloud = JSON.parse(
      run("cloud", "show", "--name", "aks-bootstrap-sandbox", "--output", "json").stdout,
    ) as {
      endpoints: { activeDirectory: string; activeDirectoryResourceId: string };
    };
    expect(cloud.endpoints.activeDirectory).toBe(`${sandbox.info.login}/adfs`);
    expect(cloud.endpoints.activeDirectoryResourceId).toBe("https://management.core.windows.net/");
  });

  it("az group list, az aks list, az acr list and az resource list show what apply created", () => {
    expect(tsv("group", "list", "--query", "[].name")).toEqual(names("Microsoft.Resources/resourceGroups"));
    expect(tsv("aks", "list", "--query", "[].name")).toEqual(
      names("Microsoft.ContainerService/managedClusters"),
    );
    expect(tsv("acr", "list", "--query", "[].name")).toEqual(names("Microsoft.ContainerRegistry/registries"));
    const all = tsv("resource", "list", "--query", "[].id").map((id) => id.toLowerCase());
    expect(all).toEqual(sandbox.trackedIds());
    // az resource show picks its api-version from the provider's registered resourceTypes
    const [clusterId] = tsv("aks", "list", "--query", "[].id");
    expect(tsv("resource", "show", "--ids", clusterId!, "--query", "name")).toEqual([
      clusterId!.split("/").pop(),
    ]);
    const tagged = tsv("resource", "list", "--tag", "managed-by=aks-bootstrap", "--query", "[].name");
    expect(tagged.length).toBeGreaterThan(5);
    expect(tagged).toEqual(expect.arrayContaining(names("Microsoft.ContainerService/managedClusters")));
  });

  it("az keyvault secret list shows the vault's secret names (or az rest where this az build lacks the Key Vault SDK)", () => {
    const [vault] = tsv("keyvault", "list", "--query", "[].name");
    const uri = tsv("keyvault", "show", "--name", vault!, "--query", "properties.vaultUri")[0]!;
    const list = run("keyvault", "secret", "list", "--id", uri, "--query", "[].name", "--output", "tsv");
    let secretNames: string[];
    if (list.code !== 0 && list.stderr.includes("No module named 'azure.keyvault.v7_0'")) {
      // Debian's azure-cli 2.45 ships without the track-1 azure-keyvault package that
      // `az keyvault secret list` imports; the same data-plane call through az rest:
      const rest = run(
        "rest",
        "--method",
        "get",
        "--url",
        `${uri}secrets?api-version=7.4`,
        "--resource",
        "https://vault.azure.net",
        "--query",
        "value[].id",
        "--output",
        "tsv",
      );
      expect(rest.code, rest.stderr).toBe(0);
      secretNames = rest.stdout
        .split("\n")
        .filter(Boolean)
        .map((id) => id.split("/").pop()!);
    } else {
      expect(list.code, list.stderr).toBe(0);
      secretNames = list.stdout.split("\n").filter(Boolean);
    }
    expect(secretNames.length).toBeGreaterThan(0);
    expect(secretNames.sort()).toEqual(sandbox.secretNames()[vault!.toLowerCase()]);
  });

  it("az devops lists the project with the exported PAT", () => {
    const r = run(
      "devops",
      "project",
      "list",
      "--org",
      sandbox.env["AZURE_DEVOPS_ORG_URL"]!,
      "--query",
      "value[].name",
      "--output",
      "tsv",
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n").sort()).toEqual(sandbox.projects());
    expect(sandbox.projects().length).toBeGreaterThan(0);
  });

  it("leaves the secret out of az's output and the sandbox's logs", () => {
    const secret = sandbox.env["AZURE_CLIENT_SECRET"]!;
    const pat = sandbox.env["AZURE_DEVOPS_EXT_PAT"]!;
    const shown = transcript.join("\n").replace(`--password=${secret}`, "");
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain(pat);
    for (const f of readdirSync(sandbox.dir).filter((n) => n !== "secrets.json" && !n.endsWith(".pem"))) {
      const text = readFileSync(join(sandbox.dir, f), "utf8");
      expect(text, f).not.toContain(secret);
      expect(text, f).not.toContain(pat);
      // the Basic-auth form of the PAT az devops sends
      expect(text, f).not.toContain(Buffer.from(`:${pat}`).toString("base64"));
    }
  });
});
