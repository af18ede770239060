import type { IGitApi } from "azure-devops-node-api/GitApi.js";
import {
  GitVersionType,
  VersionControlRecursionType,
} from "azure-devops-node-api/interfaces/GitInterfaces.js";
import { readFiles, type RepoLocation } from "../repo-git.js";
import { detectStack } from "./detect.js";
import type { StackDetection } from "./types.js";

/** A commit id, or `{ branch }` for the branch's tip. */
export type RepoVersion = string | { readonly branch: string };

/**
 * The repository as the stack detection and the files step see it: every file path at one
 * version (one listing request) and a reader that fetches each file at most once.
 */
export interface RepoSnapshot {
  readonly paths: readonly string[];
  /** Contents read so far, by path. */
  readonly contents: ReadonlyMap<string, string>;
  read(path: string): Promise<string | undefined>;
  /** Reads the listed ones of `paths` not read yet (absent files cost no request). */
  readMany(paths: readonly string[]): Promise<void>;
}

export async function snapshotRepo(
  git: IGitApi,
  at: RepoLocation,
  version: RepoVersion,
): Promise<RepoSnapshot> {
  const descriptor =
    typeof version === "string"
      ? { version, versionType: GitVersionType.Commit }
      : { version: version.branch, versionType: GitVersionType.Branch };
  const items =
    (await git.getItems(
      at.repositoryId,
      at.project,
      "/",
      VersionControlRecursionType.Full,
      false,
      false,
      false,
      false,
      descriptor,
    )) ?? [];
  const paths = items
    .filter((i) => !i.isFolder && typeof i.path === "string")
    .map((i) => (i.path as string).replace(/^\/+/, ""))
    .filter(Boolean);
  const listed = new Set(paths);
  const contents = new Map<string, string>();
  const readMany = async (wanted: readonly string[]) => {
    const missing = [...new Set(wanted)].filter((p) => listed.has(p) && !contents.has(p));
    if (missing.length === 0) return;
    for (const [p, text] of await readFiles(git, at, version, missing)) contents.set(p, text);
  };
  return {
    paths,
    contents,
    readMany,
    async read(path) {
      await readMany([path]);
      return contents.get(path);
    },
  };
}

/** Detects the stack of a repository through the Git API, reading only the files it needs. */
export async function detectRepoStack(
  git: IGitApi,
  at: RepoLocation,
  version: RepoVersion,
  dockerfile: string,
): Promise<{ detection: StackDetection; snapshot: RepoSnapshot }> {
  const snapshot = await snapshotRepo(git, at, version);
  const detection = await detectStack(snapshot.paths, (p) => snapshot.read(p), { dockerfile });
  return { detection, snapshot };
}
