import { createHash } from "node:crypto";
import type { GitCommitRecord } from "./state.js";

/**
 * Real Git object ids (SHA-1 over Git's object encoding), so commit and blob ids look and
 * behave like the service's: identical content gives identical blob ids.
 */
export const ZERO_ID = "0000000000000000000000000000000000000000";

function sha1(type: string, content: Buffer): string {
  return createHash("sha1")
    .update(Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]))
    .digest("hex");
}

export function blobId(content: Buffer): string {
  return sha1("blob", content);
}

/** Tree id of a flat snapshot ("/a/b.txt" -> blob id), built from nested trees as Git does. */
export function treeId(tree: Readonly<Record<string, string>>): string {
  return folderTreeIds(tree).get("") ?? sha1("tree", Buffer.alloc(0));
}

/** Ids of every folder ("" is the root, "/src" a subfolder) of a snapshot. */
export function folderTreeIds(tree: Readonly<Record<string, string>>): Map<string, string> {
  interface Node {
    files: Map<string, string>;
    dirs: Map<string, Node>;
  }
  const root: Node = { files: new Map(), dirs: new Map() };
  for (const [path, id] of Object.entries(tree)) {
    const parts = path.split("/").filter(Boolean);
    let node = root;
    for (const dir of parts.slice(0, -1)) {
      let next = node.dirs.get(dir);
      if (!next) {
        next = { files: new Map(), dirs: new Map() };
        node.dirs.set(dir, next);
      }
      node = next;
    }
    node.files.set(parts[parts.length - 1] ?? "", id);
  }
  const ids = new Map<string, string>();
  const hash = (node: Node, path: string): string => {
    const entries: { name: string; mode: string; id: string }[] = [];
    for (const [name, id] of node.files) entries.push({ name, mode: "100644", id });
    for (const [name, child] of node.dirs)
      entries.push({ name: `${name}/`, mode: "40000", id: hash(child, `${path}/${name}`) });
    // Git sorts tree entries by name, directories compared as if suffixed with "/".
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const body = Buffer.concat(
      entries.map((e) =>
        Buffer.concat([Buffer.from(`${e.mode} ${e.name.replace(/\/$/, "")}\0`), Buffer.from(e.id, "hex")]),
      ),
    );
    const id = sha1("tree", body);
    ids.set(path, id);
    return id;
  };
  hash(root, "");
  return ids;
}

export function commitId(input: {
  tree: string;
  parents: readonly string[];
  author: { name: string; email: string; date: string };
  comment: string;
}): string {
  const when = `${Math.floor(Date.parse(input.author.date) / 1000)} +0000`;
  const who = `${input.author.name} <${input.author.email}> ${when}`;
  const text = [
    `tree ${input.tree}`,
    ...input.parents.map((p) => `parent ${p}`),
    `author ${who}`,
    `committer ${who}`,
    "",
    input.comment,
  ].join("\n");
  return sha1("commit", Buffer.from(`${text}\n`));
}

/** A commit record over a full tree: ids computed, the comment ending in a newline as Git stores it. */
export function commitRecord(input: Omit<GitCommitRecord, "commitId" | "treeId">): GitCommitRecord {
  const comment = input.comment.endsWith("\n") ? input.comment : `${input.comment}\n`;
  const tid = treeId(input.tree);
  return {
    ...input,
    commitId: commitId({ tree: tid, parents: input.parents, author: input.author, comment }),
    treeId: tid,
    comment,
  };
}
