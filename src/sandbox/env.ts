import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { UserError } from "../engine/errors.js";
import { loadSecrets } from "./persistence.js";
import { caBundlePath, readServeInfo } from "./serve-info.js";

/**
 * `aks-bootstrap sandbox env`: shell `export` lines that sign any tool in to a running sandbox,
 * for `eval "$(aks-bootstrap sandbox env)"`. This is the one place the client secret and the PAT
 * are printed, on purpose and to stdout only: they are the sign-in. Nothing here is logged.
 */
export interface SandboxEnvVar {
  readonly name: string;
  readonly value: string;
  /** One line saying what reads it, printed as a comment above the export. */
  readonly why: string;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive but someone else's process.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function sandboxEnv(dir: string): SandboxEnvVar[] {
  const abs = resolve(dir);
  const start = `Start it with \`aks-bootstrap sandbox serve --dir ${dir}\` (in another terminal), or pass the --dir it uses.`;
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new UserError(`Reading the sandbox's sign-in in ${abs}: there is no sandbox folder there.`, start);
  }
  const info = readServeInfo(abs);
  if (!info || !isRunning(info.pid)) {
    throw new UserError(
      `Reading the sandbox's sign-in in ${abs}: no sandbox is running on this folder.`,
      start,
    );
  }
  const secrets = loadSecrets(abs);
  if (!secrets) {
    throw new UserError(
      `Reading the sandbox's sign-in in ${abs}: secrets.json is missing or unreadable.`,
      `Stop the sandbox and start it again with \`aks-bootstrap sandbox serve --dir ${dir}\`.`,
    );
  }
  return [
    { name: "AZURE_TENANT_ID", value: info.tenantId, why: "Entra tenant of the sandbox" },
    { name: "AZURE_SUBSCRIPTION_ID", value: info.subscriptionId, why: "its one subscription" },
    {
      name: "AZURE_CLIENT_ID",
      value: info.clientId,
      why: "its service principal (Owner of the subscription)",
    },
    { name: "AZURE_CLIENT_SECRET", value: secrets.clientSecret, why: "that principal's secret" },
    { name: "AZURE_AUTHORITY_HOST", value: info.login, why: "Entra token endpoint (azure-identity)" },
    {
      name: "AZURE_RESOURCE_MANAGER_ENDPOINT",
      value: info.arm,
      why: "ARM: base_url of SDK clients, az cloud register --endpoint-resource-manager",
    },
    { name: "NODE_EXTRA_CA_CERTS", value: info.caFile, why: "Node.js trusts the sandbox CA" },
    {
      name: "REQUESTS_CA_BUNDLE",
      value: caBundlePath(abs),
      why: "Python requests and az: public roots plus the sandbox CA",
    },
    {
      name: "AZURE_DEVOPS_EXT_PAT",
      value: secrets.pat,
      why: "Azure DevOps PAT (az devops, azure-devops clients)",
    },
    { name: "AZURE_DEVOPS_ORG_URL", value: info.organizationUrl, why: "Azure DevOps organization" },
  ];
}

/** POSIX single quotes: nothing inside is expanded by the shell. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function formatExports(vars: readonly SandboxEnvVar[]): string {
  return vars.map((v) => `# ${v.why}\nexport ${v.name}=${shellQuote(v.value)}\n`).join("");
}
