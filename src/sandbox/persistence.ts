import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SandboxState, SecretStore } from "./state.js";

/**
 * Atomic JSON files: write a temp file, then rename over the old one. A process killed mid-write
 * leaves the previous complete file, never a torn one.
 */
export function writeJsonAtomic(path: string, value: unknown, mode = 0o644): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 1), { mode });
  renameSync(tmp, path);
}

export function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    // A torn file cannot happen with writeJsonAtomic; a hand-edited broken one is kept aside
    // (never silently lost) and the sandbox starts afresh.
    renameSync(path, `${path}.unreadable-${Date.now()}`);
    return undefined;
  }
}

export const statePath = (dir: string) => join(dir, "state.json");
export const secretsPath = (dir: string) => join(dir, "secrets.json");

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

export function loadState(dir: string): SandboxState | undefined {
  return readJson<SandboxState>(statePath(dir));
}

export function loadSecrets(dir: string): SecretStore | undefined {
  return readJson<SecretStore>(secretsPath(dir));
}

export function saveAll(dir: string, state: SandboxState, secrets: SecretStore): void {
  writeJsonAtomic(secretsPath(dir), secrets, 0o600);
  writeJsonAtomic(statePath(dir), state);
}
