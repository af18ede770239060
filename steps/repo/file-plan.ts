import { createHash } from "node:crypto";
import type { FieldDiff } from "../../src/engine/types.js";
import { classifyManagedFile, type ManagedFileAction } from "./managed-file.js";
import { fileText, managedFiles } from "./generated-files.js";
import { starterAppFiles } from "./starter-app.js";
import type { GeneratedFile, TemplateInput } from "./template-input.js";

/**
 * Pure decision of what to write: desired files against what the default branch holds.
 */

/** What the repository holds for the paths aks-bootstrap may write. */
export interface RepoFilesState {
  /** Existing content by path (paths without a leading slash); absent files are missing. */
  readonly files: Readonly<Record<string, string>>;
}

/** A managed action, or for starter-app files: `add` when absent, `kept` when present. */
export type FileAction = ManagedFileAction | "kept";

export interface FilePlanEntry {
  readonly path: string;
  readonly mode: GeneratedFile["mode"];
  readonly action: FileAction;
  /** Full text to push (header included for managed files). */
  readonly content: string;
}

export interface FilePlan {
  readonly entries: readonly FilePlanEntry[];
  /** Entries whose action writes the file: add, update, replace. */
  readonly writes: readonly FilePlanEntry[];
  /** Whether the starter app is part of the desired files. */
  readonly starterApp: boolean;
}

export function dockerfilePath(input: TemplateInput): string {
  return input.answers.pipeline.dockerfile.replace(/^\.?\//, "");
}

/** Whether the starter app is part of the desired files (no stack choice: the answers and the Dockerfile decide). */
function wantsStarterApp(input: TemplateInput, files: RepoFilesState["files"]): boolean {
  return input.choice
    ? input.choice.starterApp
    : input.answers.pipeline.starterApp && files[dockerfilePath(input)] === undefined;
}

/** Every path the step reads: the managed files, plus the starter app's when it may be added. */
export function pathsToRead(input: TemplateInput): string[] {
  const paths = managedFiles(input).map((f) => f.path);
  if (input.choice?.starterApp ?? input.answers.pipeline.starterApp)
    paths.push(...starterAppFiles(input).map((f) => f.path));
  else paths.push(dockerfilePath(input));
  return [...new Set(paths)];
}

export function planFiles(
  input: TemplateInput,
  state: RepoFilesState,
  options: { readonly replaceEditedFiles: boolean },
): FilePlan {
  const starterApp = wantsStarterApp(input, state.files);
  const desired = [...managedFiles(input), ...(starterApp ? starterAppFiles(input) : [])];
  const entries = desired.map((file): FilePlanEntry => {
    const existing = state.files[file.path];
    const content = fileText(file);
    const action: FileAction =
      file.mode === "managed"
        ? classifyManagedFile(existing, content, options)
        : existing === undefined
          ? "add"
          : "kept";
    return { path: file.path, mode: file.mode, action, content };
  });
  const writes = entries.filter((e) => e.action === "add" || e.action === "update" || e.action === "replace");
  return { entries, writes, starterApp };
}

const FROM: Record<"add" | "update" | "replace", string> = {
  add: "absent",
  update: "generated (old template)",
  replace: "edited by a user (--replace-edited-files)",
};

/** One FieldDiff per file written. */
export function fileDiffs(plan: FilePlan): FieldDiff[] {
  return plan.writes.map((e) => ({
    field: e.path,
    from: FROM[e.action as keyof typeof FROM],
    to: e.mode === "managed" ? "current template" : "starter app",
  }));
}

/** Notes for files left alone on purpose. */
export function keptNotes(plan: FilePlan): string[] {
  const notes: string[] = [];
  for (const e of plan.entries) {
    if (e.action === "edited") {
      notes.push(`${e.path}: edited by a user, kept (rerun with --replace-edited-files to overwrite it)`);
    }
  }
  const kept = plan.entries.filter((e) => e.action === "kept").map((e) => e.path);
  if (kept.length > 0) notes.push(`starter app: existing ${kept.join(", ")} kept as they are`);
  return notes;
}

/** Deterministic branch for a set of changes, so a rerun finds its own pull request. */
export function updateBranchName(plan: FilePlan): string {
  const h = createHash("sha256");
  for (const e of [...plan.writes].sort((a, b) => a.path.localeCompare(b.path)))
    h.update(`${e.path}\0${e.content}\0`);
  return `aks-bootstrap/update-${h.digest("hex").slice(0, 8)}`;
}

export const UPDATE_BRANCH_PREFIX = "aks-bootstrap/update-";
