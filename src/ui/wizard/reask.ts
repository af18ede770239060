import { input } from "@inquirer/prompts";
import type { AnswersInput } from "../../answers/schema.js";
import { schemaAt } from "../../answers/schema-shape.js";
import { answerFieldError } from "../../answers/validate-field.js";
import { askApprovers } from "./approvers.js";
import type { WizardLookups } from "./lookups.js";
import { PromptIO, type PromptContext } from "./prompt-io.js";

export interface AskAgainOptions {
  /** The answers path at fault, as a UserError names it, e.g. devops.productionApprovers[1]. */
  readonly field: string;
  /** What was wrong with it (the plan's error message). */
  readonly problem: string;
  readonly answers: AnswersInput;
  /** The organization the plan talked to (the sandbox's URL changes between runs). */
  readonly organizationUrl: string;
  readonly lookups: WizardLookups;
  readonly context?: PromptContext;
}

/** Approver lists: asked as a whole list (the index names one entry of it). */
const APPROVER_LISTS: Readonly<Record<string, { label: string; emptyMeans: string }>> = {
  "devops.productionApprovers": { label: "Production approvers", emptyMeans: "you, the signed-in user" },
  "pipeline.manualValidation.approvers": {
    label: "Who validates",
    emptyMeans: "anyone who may run it",
  },
};

type Path = (string | number)[];

function parsePath(field: string): Path {
  return field
    .split(/\.|\[(\d+)\]/)
    .filter((seg) => seg !== undefined && seg !== "")
    .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
}

function valueAt(root: unknown, path: Path): unknown {
  let cur = root;
  for (const seg of path) cur = (cur as Record<string | number, unknown> | undefined)?.[seg];
  return cur;
}

function withValue(answers: AnswersInput, path: Path, value: unknown): AnswersInput {
  const copy = structuredClone(answers) as unknown as Record<string | number, unknown>;
  let cur = copy;
  path.slice(0, -1).forEach((seg) => {
    cur[seg] ??= {};
    cur = cur[seg] as Record<string | number, unknown>;
  });
  cur[path[path.length - 1]!] = value;
  return copy as unknown as AnswersInput;
}

function stopped(io: PromptIO, field: string): void {
  io.say(`\n✖ The plan stopped on ${field} (see above): answer it again, and the plan runs again.`);
}

/**
 * After a plan from the wizard failed on one answer: says what was wrong, asks that answer
 * again (checked as the wizard checks it), and returns the answers with it replaced.
 * Undefined when the field is not one that can be asked on its own (the caller then exits).
 */
export async function askAnswerAgain(opts: AskAgainOptions): Promise<AnswersInput | undefined> {
  const io = new PromptIO(opts.context);
  if (!io.interactive) return undefined;
  const path = parsePath(opts.field);
  const listPath = typeof path[path.length - 1] === "number" ? path.slice(0, -1) : path;
  const listField = listPath.join(".");
  const list = APPROVER_LISTS[listField];
  const schema = schemaAt(listPath);
  if (list && schema) {
    stopped(io, opts.field);
    const current = valueAt(opts.answers, listPath);
    const approvers = await askApprovers(io, opts.lookups, {
      field: listField,
      label: list.label,
      schema,
      organizationUrl: opts.organizationUrl,
      initial: Array.isArray(current) ? (current as string[]) : [],
      emptyMeans: list.emptyMeans,
    });
    return withValue(opts.answers, listPath, approvers);
  }
  const current = valueAt(opts.answers, path);
  if (typeof current !== "string" || !schemaAt(path)) return undefined;
  stopped(io, opts.field);
  io.say(`  ${opts.problem}`);
  const value = await io.ask(opts.field, (s) =>
    input(
      {
        message: opts.field,
        default: current,
        validate: (v) => {
          const problem = answerFieldError(opts.field, v);
          return problem ? `${opts.field} ${problem}` : true;
        },
      },
      s,
    ),
  );
  return withValue(opts.answers, path, value);
}
