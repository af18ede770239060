import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SandboxState, SecretStore } from "./state.js";

/**
 * Atomic JSON files: write a temp file, then rename over the old one. A process killed mid-write
 * leaves the previous complete file, never a torn one.
 */
export function writeJsonAtomic(path: string, value: unknown, mode = 0o644): void {
  writeTextAtomic(path, JSON.stringify(value), mode);
}

function writeTextAtomic(path: string, text: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
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

/**
 * Group commit: `markDirty()` after a change, `flush()` before answering. Concurrent requests
 * share one write, and the secrets file is rewritten only when it changed, so a busy sandbox
 * does not spend its time renaming files; every acknowledged change is on disk.
 */
export function createPersister(dir: string, state: SandboxState, secrets: SecretStore) {
  let dirty = false;
  let pending: Promise<void> | undefined;
  let lastSecrets = "";
  const writeNow = () => {
    dirty = false;
    const secretsText = JSON.stringify(secrets);
    if (secretsText !== lastSecrets) {
      writeTextAtomic(secretsPath(dir), secretsText, 0o600);
      lastSecrets = secretsText;
    }
    writeTextAtomic(statePath(dir), JSON.stringify(state), 0o644);
  };
  return {
    markDirty(): void {
      dirty = true;
    },
    /** Writes now if anything changed (used on close and by synchronous callers). */
    flushSync(): void {
      if (dirty) writeNow();
    },
    flush(): Promise<void> {
      if (!dirty) return pending ?? Promise.resolve();
      pending ??= new Promise<void>((resolve, reject) => {
        setImmediate(() => {
          pending = undefined;
          try {
            if (dirty) writeNow();
            resolve();
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      });
      return pending;
    },
  };
}
