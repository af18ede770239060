import { input } from "@inquirer/prompts";
import type { z } from "zod";
import type { ApproverLookup, WizardLookups } from "./lookups.js";
import type { PromptIO } from "./prompt-io.js";
import { validateWith } from "./validate.js";

/**
 * "a@x.com, [demo]\Release Managers; b@y.com" -> the three names. Commas and semicolons
 * separate; spaces separate too, except inside a group name (which has spaces, e.g.
 * "Release Managers").
 */
export function splitApprovers(raw: string): string[] {
  return raw
    .split(/[,;\n]+/)
    .flatMap((part) => (part.includes("[") ? [part.trim()] : part.split(/\s+/)))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** "x@y.com is not a user or group of the organization (did you mean ...?)" */
export function unknownApproversMessage(checks: readonly ApproverLookup[]): string | undefined {
  const unknown = checks.filter((c) => !c.known);
  if (unknown.length === 0) return undefined;
  const each = unknown.map((c) => (c.suggestion ? `${c.name} (did you mean ${c.suggestion}?)` : c.name));
  return `${each.join(", ")} ${unknown.length === 1 ? "is not a user or group" : "are not users or groups"} of this Azure DevOps organization`;
}

export interface AskApproversOptions {
  /** Answers field, e.g. devops.productionApprovers (for the no-terminal error). */
  readonly field: string;
  /** What the approvers do, e.g. "Production approvers". */
  readonly label: string;
  /** The schema of the answers field: the prompt accepts exactly what the file would. */
  readonly schema: z.ZodType<unknown>;
  readonly organizationUrl: string;
  readonly initial: readonly string[];
  /** What an empty answer means, e.g. "you, the signed-in user". */
  readonly emptyMeans: string;
  /** The project this run creates (its default groups may be named before it exists). */
  readonly projectToCreate?: string;
}

/**
 * Asks approvers and checks each one against the organization's users and groups as it is
 * typed (the look-up the plan uses): an unknown one is named, with a close known name when
 * there is one, and the question stays open until every name is known (or the answer is empty).
 */
export async function askApprovers(
  io: PromptIO,
  lookups: WizardLookups,
  opts: AskApproversOptions,
): Promise<string[]> {
  const validForm = validateWith(opts.schema, splitApprovers);
  const checked = new Map<string, string | true>();
  const validate = async (raw: string): Promise<string | true> => {
    const form = validForm(raw);
    if (form !== true) return form;
    const names = splitApprovers(raw);
    if (names.length === 0 || !lookups.approvers) return true;
    const key = names.join("\n").toLowerCase();
    const known = checked.get(key);
    if (known !== undefined) return known;
    let verdict: string | true;
    try {
      const pending = opts.projectToCreate ? { projectToCreate: opts.projectToCreate } : {};
      const checks = await lookups.approvers(opts.organizationUrl, names, pending);
      const unknown = unknownApproversMessage(checks);
      const prefix = opts.projectToCreate ? `[${opts.projectToCreate.toLowerCase()}]\\` : undefined;
      const ofNewProject =
        prefix && checks.some((c) => !c.known && c.name.toLowerCase().startsWith(prefix))
          ? ` (project ${opts.projectToCreate} is created by this run: of its groups only the default ones, e.g. [${opts.projectToCreate}]\\Contributors, can be named now)`
          : "";
      verdict = unknown ? `${unknown}${ofNewProject}` : true;
    } catch (err) {
      // The organization could not be asked (no permission to read identities): the plan checks again.
      io.say(`  could not check the approvers now: ${err instanceof Error ? err.message : String(err)}`);
      verdict = true;
    }
    checked.set(key, verdict);
    return verdict;
  };
  const raw = await io.ask(opts.field, (s) => {
    // On its own line: the question stays short enough for an 80-column terminal.
    io.say(`  e-mails or [Project]\\Group, comma-separated; empty = ${opts.emptyMeans}`);
    return input(
      {
        message: opts.label,
        default: opts.initial.length > 0 ? opts.initial.join(", ") : undefined,
        validate,
      },
      s,
    );
  });
  return splitApprovers(raw);
}
