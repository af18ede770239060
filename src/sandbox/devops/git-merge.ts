import { commitRecord } from "./git-objects.js";
import type { GitCommitRecord, GitRepositoryRecord, IdentityRef } from "./state.js";

/**
 * Merge commits of pull requests: the PR build runs on the merge of source into target
 * (refs/pull/N/merge), and completing the PR pushes that merge to the target branch.
 */
function ancestors(repo: GitRepositoryRecord, tip: string): Set<string> {
  const seen = new Set<string>();
  const todo = [tip];
  while (todo.length > 0) {
    const id = todo.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    todo.push(...(repo.commits[id]?.parents ?? []));
  }
  return seen;
}

/** The nearest common ancestor of two commits (breadth-first from `b`). */
function mergeBase(repo: GitRepositoryRecord, a: string, b: string): string | undefined {
  const ofA = ancestors(repo, a);
  const queue = [b];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (ofA.has(id)) return id;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(repo.commits[id]?.parents ?? []));
  }
  return undefined;
}

/** Target's tree with the source's changes since the merge base (the source wins a conflict). */
function mergedTree(repo: GitRepositoryRecord, target: string, source: string): Record<string, string> {
  const base = mergeBase(repo, target, source);
  const baseTree = (base && repo.commits[base]?.tree) || {};
  const srcTree = repo.commits[source]?.tree ?? {};
  const tree = { ...(repo.commits[target]?.tree ?? {}) };
  for (const p of new Set([...Object.keys(baseTree), ...Object.keys(srcTree)])) {
    if (baseTree[p] === srcTree[p]) continue;
    const id = srcTree[p];
    if (id === undefined) delete tree[p];
    else tree[p] = id;
  }
  return tree;
}

/** Creates (and stores) the merge commit of `source` into `target`. */
export function mergeCommit(
  repo: GitRepositoryRecord,
  target: string,
  source: string,
  comment: string,
  who: IdentityRef,
  date: string,
  pushId: number,
): GitCommitRecord {
  const tree = mergedTree(repo, target, source);
  const author = { name: who.displayName, email: who.uniqueName, date: date.replace(/\.\d+Z$/, "Z") };
  const before = repo.commits[target]?.tree ?? {};
  const counts = { Add: 0, Edit: 0, Delete: 0 };
  for (const p of new Set([...Object.keys(before), ...Object.keys(tree)])) {
    if (before[p] === tree[p]) continue;
    if (before[p] === undefined) counts.Add++;
    else if (tree[p] === undefined) counts.Delete++;
    else counts.Edit++;
  }
  const c = commitRecord({ parents: [target, source], comment, author, tree, pushId, changeCounts: counts });
  repo.commits[c.commitId] = c;
  return c;
}
