import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { stringify } from "yaml";
import { BugError, UserError } from "../engine/errors.js";
import { answersJsonSchema, schemaFileName } from "./json-schema.js";
import { formatPath } from "./load.js";
import { answersSchema, type AnswersInput } from "./schema.js";
import { looksLikeSecret } from "./secret-guard.js";

export interface SavedAnswers {
  readonly answersPath: string;
  /** The JSON Schema written next to the answers file, which the file's first line points to. */
  readonly schemaPath: string;
}

/** The first line of saved YAML answers: yaml-language-server reads it to check and complete the file. */
export function schemaComment(schemaRef = `./${schemaFileName}`): string {
  return `# yaml-language-server: $schema=${schemaRef}`;
}

/**
 * Writes the answers file (YAML, or JSON when `path` ends in .json) and, next to it, the JSON
 * Schema its first line (YAML) or `$schema` key (JSON) refers to. Both writes are atomic: a crash
 * leaves the old file or the new one, never half of one.
 *
 * The answers are written as given (defaults the caller left out stay out). They must pass the
 * schema, which has no field for a secret value; as a second line of defence a secret name that
 * looks like a pasted value is refused. Either failure is a bug of the caller: validate first.
 */
export async function saveAnswersFile(path: string, answers: AnswersInput): Promise<SavedAnswers> {
  const checked = answersSchema.safeParse(answers);
  if (!checked.success) {
    const fields = checked.error.issues.map((i) => formatPath(i.path.filter((s) => typeof s !== "symbol")));
    throw new BugError(`refusing to save answers that fail validation (${[...new Set(fields)].join(", ")})`);
  }
  checked.data.keyVault.secrets.forEach((s, i) => {
    if (looksLikeSecret(s.name) || looksLikeSecret(s.env)) {
      throw new BugError(`refusing to save keyVault.secrets[${i}]: it looks like a secret value, not a name`);
    }
  });

  const schemaPath = join(dirname(path), schemaFileName);
  const { $schema: _ignored, ...body } = answers;
  const isJson = /\.json$/i.test(path);
  const text = isJson
    ? `${JSON.stringify({ $schema: `./${schemaFileName}`, ...body }, null, 2)}\n`
    : `${schemaComment()}\n# aks-bootstrap answers: \`aks-bootstrap plan --answers ${basename(path)}\` reuses them.\n${stringify(body, { lineWidth: 0 })}`;

  await writeAtomic(schemaPath, `${JSON.stringify(answersJsonSchema(), null, 2)}\n`);
  await writeAtomic(path, text);
  return { answersPath: path, schemaPath };
}

/** Write to a temporary file in the same folder, flush, then rename over the target. */
async function writeAtomic(path: string, content: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const fh = await open(tmp, "wx", 0o644);
    try {
      await fh.writeFile(content, "utf8");
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "the folder does not exist"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : (code ?? (err instanceof Error ? err.message : String(err)));
    throw new UserError(`cannot write ${path}: ${why}`, "Choose a writable path for the answers file.", {
      cause: err,
    });
  }
}
