import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServeInfo } from "../../src/sandbox/serve-info.js";
import { binPath, cleanEnv, runCli } from "../helpers/cli.js";

/**
 * A sandbox as a user runs it for their own tools: `aks-bootstrap apply --sandbox=DIR`, then
 * `aks-bootstrap sandbox serve --dir DIR` in the background, then `sandbox env` for the shell.
 * Everything goes through the built CLI (npm run build first).
 */
export interface ServedSandbox {
  readonly dir: string;
  readonly info: ServeInfo;
  /** The ready line exactly as printed. */
  readonly readyLine: string;
  /** Variables from `eval "$(aks-bootstrap sandbox env --dir DIR)"`, run by /bin/sh. */
  readonly env: Record<string, string>;
  /** Resources in state.json, for expectations: lower-cased id -> { type, name }. */
  resources(): { id: string; type: string; name: string }[];
  /** Names of `type` in state.json, sorted. */
  names(type: string): string[];
  /** Ids (lower case, sorted) of the top-level resources ARM's generic list must show. */
  trackedIds(): string[];
  /** Secret names per vault (lower-cased vault name), from state.json. */
  secretNames(): Record<string, string[]>;
  /** Azure DevOps project names, from state.json. */
  projects(): string[];
  stop(): Promise<void>;
}

/** Waits for the first stdout line of a child, with a deadline (no sleeps). */
function firstLine(child: ChildProcess, deadlineMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(
      () => reject(new Error(`sandbox serve printed no ready line within ${deadlineMs} ms\n${err}`)),
      deadlineMs,
    );
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox serve exited with ${code} before it was ready\n${err}`));
    });
  });
}

/** Runs `eval "$(node bin sandbox env --dir DIR)"` in /bin/sh and returns the exported variables. */
export function evalSandboxEnv(dir: string): Record<string, string> {
  const script = `eval "$("${process.execPath}" "${binPath}" sandbox env --dir "$1")" && env -0`;
  const r = spawnSync("/bin/sh", ["-c", script, "sh", dir], { env: cleanEnv(), encoding: "utf8" });
  if (r.status !== 0) throw new Error(`eval "$(aks-bootstrap sandbox env)" failed: ${r.stderr}`);
  const all = Object.fromEntries(
    r.stdout
      .split("\0")
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
  );
  // cleanEnv() drops every AZURE_* variable, so those here came from the eval.
  return Object.fromEntries(
    Object.entries(all).filter(([k]) => /^(AZURE_|NODE_EXTRA_CA_CERTS$|REQUESTS_CA_BUNDLE$)/.test(k)),
  );
}

export async function serveSandbox(opts: { apply: boolean }): Promise<ServedSandbox> {
  const cwd = mkdtempSync(join(tmpdir(), "aksb-clients-"));
  const dir = join(cwd, ".sandbox");
  if (opts.apply) {
    const r = await runCli(["apply", `--sandbox=${dir}`, "--non-interactive", "--yes", "--output", "plain"], {
      cwd,
    });
    if (r.code !== 0) throw new Error(`apply --sandbox failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  const child = spawn(process.execPath, [binPath, "sandbox", "serve", "--dir", dir, "--speed", "2000"], {
    cwd,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const readyLine = await firstLine(child, 30_000);
  const info = JSON.parse(readyLine) as ServeInfo;
  const env = evalSandboxEnv(dir);
  const state = () =>
    JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as {
      resources: Record<string, { id: string; type: string; body: { name?: string } }>;
      vaults: Record<string, { secrets: Record<string, { name?: string; deleted?: unknown }> }>;
      devops?: { projects?: Record<string, { name: string }> };
    };
  const resources = () =>
    Object.values(state().resources).map((r) => ({ id: r.id, type: r.type, name: r.body.name ?? "" }));
  return {
    dir,
    info,
    readyLine,
    env,
    resources,
    names: (type) =>
      resources()
        .filter((r) => r.type.toLowerCase() === type.toLowerCase())
        .map((r) => r.name)
        .sort(),
    trackedIds: () =>
      resources()
        .filter((r) => r.id.split("/").length === 9 && r.type !== "Microsoft.Authorization/roleAssignments")
        .map((r) => r.id.toLowerCase())
        .sort(),
    secretNames: () =>
      Object.fromEntries(
        Object.entries(state().vaults).map(([vault, v]) => [
          vault,
          Object.entries(v.secrets)
            .filter(([, s]) => !s.deleted)
            .map(([k, s]) => s.name ?? k)
            .sort(),
        ]),
      ),
    projects: () =>
      Object.values(state().devops?.projects ?? {})
        .map((p) => p.name)
        .sort(),
    stop() {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    },
  };
}

/** A Python that imports the Azure SDK (Debian's /usr/bin/python3 with python3-azure first). */
export function findAzurePython(): { python?: string; reason: string } {
  for (const python of ["/usr/bin/python3", "python3", "python"]) {
    if (python.startsWith("/") && !existsSync(python)) continue;
    const r = spawnSync(
      python,
      ["-c", "import azure.identity, azure.mgmt.resource, azure.keyvault.secrets, azext_devops.devops_sdk"],
      { encoding: "utf8" },
    );
    if (r.status === 0) return { python, reason: "" };
  }
  return {
    reason:
      "no Python with the Azure SDK (azure-identity, azure-mgmt-*, azure-keyvault-secrets, azext_devops): install the apt packages python3-azure python3-azext-devops",
  };
}
