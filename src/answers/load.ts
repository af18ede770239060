import { readFile, stat } from "node:fs/promises";
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { UserError } from "../engine/errors.js";

/** 1-based line and column in the answers file. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A path into the answers object: keys and array indexes. */
export type FieldPath = readonly (string | number)[];

/** The parsed answers file, not yet validated, with positions for error messages. */
export interface AnswersFile {
  /** The file name as the user gave it; it starts every error line. */
  readonly fileName: string;
  readonly format: "yaml" | "json";
  /** The plain data (objects, arrays, scalars); validation happens in resolve.ts. */
  readonly raw: Record<string, unknown>;
  /**
   * Where `path` is written: the key of a mapping entry, the item of a sequence. For a path the
   * file does not contain, the position of its nearest ancestor that it does (1:1 at worst), so
   * "missing field" errors point at the object that lacks it.
   */
  positionOf(path: FieldPath): SourcePosition;
  /** Where the VALUE at `path` starts (`42` in `location: 42`); positionOf(path) when it has none. */
  valuePositionOf(path: FieldPath): SourcePosition;
  /** True when the file itself contains `path`. */
  has(path: FieldPath): boolean;
}

/** Files larger than this are not answers files; refuse them before parsing. */
const maxBytes = 1024 * 1024;

/** `azure.names.registryProd`, `keyVault.secrets[0].name`. */
export function formatPath(path: FieldPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  }
  return out === "" ? "(top level)" : out;
}

export function formatPosition(fileName: string, pos: SourcePosition): string {
  return `${fileName}:${pos.line}:${pos.column}`;
}

function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

/** The part of a `yaml` error message before its " at line N, column M:" and code excerpt. */
function describeSyntaxError(message: string): string {
  const cut = message.search(/ at line \d+, column \d+/);
  const text = (cut >= 0 ? message.slice(0, cut) : (message.split("\n")[0] ?? message)).trim();
  return text.length > 0 ? text : "invalid syntax";
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return "";
  return String(key);
}

/**
 * Parses YAML or JSON answers text. JSON is parsed by the YAML parser too (YAML 1.2 is a superset
 * of JSON) so both formats get the same line:column positions. Throws UserError for syntax errors,
 * one line per problem, never quoting the file's text (it may hold a pasted secret).
 */
export function parseAnswers(text: string, fileName: string): AnswersFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const format: "yaml" | "json" = /\.json$/i.test(fileName) ? "json" : "yaml";

  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const lp = e.linePos?.[0];
      const where = lp ? `${fileName}:${lp.line}:${lp.col}` : fileName;
      return `${where} ${format === "json" ? "JSON" : "YAML"} syntax error: ${describeSyntaxError(e.message)}`;
    });
    throw new UserError(
      lines.join("\n"),
      `Fix the ${format === "json" ? "JSON" : "YAML"} syntax, then rerun.`,
    );
  }

  const positions = new Map<string, SourcePosition>();
  const valuePositions = new Map<string, SourcePosition>();
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const walk = (node: unknown, path: (string | number)[], depth: number): void => {
    if (depth > 64 || node === null || typeof node !== "object") return;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const childPath = [...path, keyText(pair.key)];
        const keyNode = pair.key as Node | null;
        const valueNode = pair.value as Node | null;
        const range = keyNode?.range ?? valueNode?.range;
        if (range) positions.set(pathKey(childPath), at(range[0]));
        // `key:` with nothing after it has an empty null scalar: point at the key instead.
        const empty = !valueNode?.range || valueNode.range[0] === valueNode.range[1];
        if (valueNode?.range && !empty) valuePositions.set(pathKey(childPath), at(valueNode.range[0]));
        walk(valueNode, childPath, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const childPath = [...path, i];
        const range = (item as Node | null)?.range;
        if (range) positions.set(pathKey(childPath), at(range[0]));
        walk(item, childPath, depth + 1);
      });
    } else if (isAlias(node)) {
      // Aliased content is positioned at the alias; its inner fields fall back to it.
    }
  };
  const root = doc.contents as Node | null;
  positions.set(pathKey([]), root?.range ? at(root.range[0]) : { line: 1, column: 1 });
  walk(root, [], 0);

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const detail = err instanceof Error ? describeSyntaxError(err.message) : "cannot be read";
    throw new UserError(`${fileName}: ${detail}`, "Fix the file, then rerun.");
  }
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    const pos = positions.get(pathKey([])) ?? { line: 1, column: 1 };
    throw new UserError(
      `${formatPosition(fileName, pos)} the answers file must be a mapping of answers (app, azure, devops, ...), not a ${Array.isArray(raw) ? "list" : typeof raw}`,
      "See `aks-bootstrap schema` or examples/answers.yaml for the expected shape.",
    );
  }

  return {
    fileName,
    format,
    raw: raw as Record<string, unknown>,
    has: (path) => positions.has(pathKey(path)),
    valuePositionOf(path) {
      return valuePositions.get(pathKey(path)) ?? this.positionOf(path);
    },
    positionOf: (path) => {
      for (let n = path.length; n >= 0; n--) {
        const pos = positions.get(pathKey(path.slice(0, n)));
        if (pos) return pos;
      }
      return { line: 1, column: 1 };
    },
  };
}

/** Reads and parses an answers file; a missing or unreadable file is a UserError saying which. */
export async function loadAnswersFile(path: string): Promise<AnswersFile> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new UserError(
        `answers file ${path} is a directory`,
        "Pass the answers file itself to --answers.",
      );
    }
    if (info.size > maxBytes) {
      throw new UserError(
        `answers file ${path} is ${Math.round(info.size / 1024)} KiB; an answers file is a few KiB at most`,
        "Check the path given to --answers.",
      );
    }
    text = await readFile(path, "utf8");
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new UserError(
        `answers file ${path} not found`,
        "Check the path given to --answers, or run `aks-bootstrap init` to write one.",
      );
    }
    if (code === "EACCES" || code === "EPERM") {
      throw new UserError(
        `cannot read answers file ${path}: permission denied`,
        "Check the file's permissions.",
      );
    }
    throw new UserError(
      `cannot read answers file ${path}: ${code ?? (err instanceof Error ? err.message : String(err))}`,
      "Check the path given to --answers.",
    );
  }
  // A UTF-8 byte-order mark (editors on Windows add one) is not part of the content.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseAnswers(text, path);
}
