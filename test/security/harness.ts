import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { startSandbox } from "../../src/sandbox/index.js";
import { runCli, type CliResult } from "../helpers/cli.js";

/**
 * One shared scenario for the security suite: the built CLI applies the whole job to a fresh
 * sandbox with Key Vault secret values and the sandbox organization's PAT (AZURE_DEVOPS_EXT_PAT)
 * in its environment: first with a wrong PAT (refused at sign-in), then with every long-running
 * operation failing (an error path: the secrets are set, the clusters fail), then converging,
 * then refusing a secret pasted where a name belongs. Everything it leaves behind
 * is collected for scanning.
 */

export const APP = "sec";

/** Random values no test data could contain by chance; long enough to be unmistakable. */
const secretLike = (prefix: string) => `${prefix}${randomBytes(18).toString("hex")}`;

export interface Scenario {
  readonly dir: string;
  readonly sandboxDir: string;
  readonly answersPath: string;
  readonly answersText: string;
  /** Apply with a PAT the organization refuses: exits 1 at the sign-in check. */
  readonly refused: CliResult;
  /** Apply, --output plain, sandbox fault plan lro-fail=1: exits 1 with errors. */
  readonly failed: CliResult;
  /** Second apply, --output json: converges. */
  readonly applied: CliResult;
  /** A secret value given as --app: refused before anything is touched. */
  readonly pasted: CliResult;
  /** Every secret value the runs knew: Key Vault values, the PAT variable, the sandbox's own. */
  readonly secrets: ReadonlyMap<string, string>;
}

export async function runScenario(): Promise<Scenario> {
  const dir = mkdtempSync(join(tmpdir(), "aks-bootstrap-security-"));
  const sandboxDir = join(dir, "sb");
  const answersPath = join(dir, "aks-bootstrap.yaml");
  const answersText = [
    `app: ${APP}`,
    "keyVault:",
    "  secrets:",
    "    - name: db-password",
    "      env: DB_PASSWORD",
    "    - name: api-key",
    "      env: API_KEY",
    "",
  ].join("\n");
  writeFileSync(answersPath, answersText);
  // Start the sandbox once to learn its organization's PAT (its state persists in the folder).
  const sandbox = await startSandbox({ dir: sandboxDir });
  const pat = sandbox.pat;
  await sandbox.close();
  const secrets = new Map<string, string>([
    ["DB_PASSWORD", secretLike("dbpw")],
    ["API_KEY", secretLike("apikey")],
    ["AZURE_DEVOPS_EXT_PAT", pat],
    ["a refused PAT", secretLike("wrongpat")],
  ]);
  const base = ["--sandbox=sb", "--answers", answersPath, "--non-interactive", "--yes"];
  const env = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, secrets.get(k)!]));

  const all = env(["DB_PASSWORD", "API_KEY", "AZURE_DEVOPS_EXT_PAT"]);
  const refused = await runCli(["apply", ...base, "--output", "plain"], {
    cwd: dir,
    env: { ...all, AZURE_DEVOPS_EXT_PAT: secrets.get("a refused PAT")! },
  });
  const failed = await runCli(["apply", ...base, "--output", "plain", "--faults", "lro-fail=1"], {
    cwd: dir,
    env: all,
  });
  const applied = await runCli(["apply", ...base, "--output", "json"], { cwd: dir, env: all });
  const pasted = await runCli(["plan", ...base, "--app", secrets.get("DB_PASSWORD")!.toUpperCase()], {
    cwd: dir,
    env: all,
  });
  secrets.set("DB_PASSWORD (upper case, pasted as --app)", secrets.get("DB_PASSWORD")!.toUpperCase());
  // The sandbox's own credentials (its "cloud side" store) must not leak into what it logs.
  const sandboxSecrets = JSON.parse(readFileSync(join(sandboxDir, "secrets.json"), "utf8")) as {
    clientSecret: string;
    pat: string;
  };
  secrets.set("sandbox client secret", sandboxSecrets.clientSecret);
  secrets.set("sandbox PAT", sandboxSecrets.pat);
  return { dir, sandboxDir, answersPath, answersText, refused, failed, applied, pasted, secrets };
}

/**
 * Files a user or CI could see after the runs: everything under the working folder except the
 * sandbox's emulated cloud-side stores (the vault's secret values, its client secret and PAT,
 * its CA and token-signing keys), which play the part of Azure's own storage.
 */
export function visibleFiles(s: Scenario): string[] {
  const cloudSide = new Set(["secrets.json", "ca-key.pem", "token-signing-key.pem"]);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!(d === s.sandboxDir && cloudSide.has(name))) out.push(p);
    }
  };
  if (existsSync(s.dir)) walk(s.dir);
  return out.map((p) => relative(s.dir, p));
}

/** Bearer tokens and JWTs (access, id, client assertions) have this shape. */
export const JWT = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/;

/** Names of the secrets found in `text` (raw, JSON-escaped or base64 as in Basic auth). */
export function leakedIn(text: string, secrets: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const [name, value] of secrets) {
    const forms = [value, Buffer.from(`:${value}`).toString("base64"), encodeURIComponent(value)];
    if (forms.some((f) => text.includes(f))) found.push(name);
  }
  if (JWT.test(text)) found.push("a JWT (bearer token)");
  return found;
}
