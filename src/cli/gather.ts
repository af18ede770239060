import { join, resolve } from "node:path";
import { loadAnswersFile, type AnswersFile } from "../answers/load.js";
import { sandboxDefaults } from "../answers/resolve.js";
import { saveAnswersFile } from "../answers/save.js";
import { realTarget } from "../clients/real-target.js";
import type { Sandbox } from "../sandbox/index.js";
import type { CliArgs } from "./args.js";
import type { CliIo } from "./main.js";
import type { AnswersInput } from "../answers/schema.js";
import type { WizardLookups } from "../ui/wizard/types.js";
import { DEFAULT_ANSWERS_FILE, answersPathFor, loadAnswersFor } from "./session.js";

export interface Gathered {
  file?: AnswersFile;
  secretValues?: ReadonlyMap<string, string>;
  /** Present when the answers came from the wizard: what asking one of them again needs. */
  wizard?: WizardAnswers;
}

/** The wizard's answers, where they were saved, and its look-ups (to ask one answer again). */
export interface WizardAnswers {
  readonly answers: AnswersInput;
  readonly path: string;
  readonly lookups: WizardLookups;
}

/**
 * Answers for this run. Non-interactive: the answers file (if any); flags, env and defaults
 * are merged later by resolveAnswers. Interactive: the wizard (offering saved answers first),
 * whose result is saved so the next run can reuse it.
 */
export async function gatherAnswers(
  args: CliArgs,
  io: CliIo,
  opts: { interactive: boolean; sandbox?: Sandbox; forceWizard?: boolean },
): Promise<Gathered> {
  const saved = await loadAnswersFor(args, io);
  if (!opts.interactive) return saved ? { file: saved } : {};
  const { runWizard } = await import("../ui/wizard/index.js");
  const { wizardLookups } = await import("./lookups.js");
  const sb = opts.sandbox;
  const target = sb
    ? sb.target()
    : realTarget(
        {
          tenantId: io.env.AZURE_TENANT_ID ?? "organizations",
          subscriptionId: io.env.AZURE_SUBSCRIPTION_ID ?? "00000000-0000-0000-0000-000000000000",
          organizationUrl: io.env.AZURE_DEVOPS_ORG_URL ?? "https://dev.azure.com/unknown",
        },
        io.env,
      );
  const defaults = sb
    ? sandboxDefaults({
        tenantId: sb.tenantId,
        subscriptionId: sb.subscriptionId,
        organizationUrl: sb.organizationUrl,
        location: sb.location,
      })
    : {};
  const savedPath = answersPathFor(args, io);
  const lookups = wizardLookups(target);
  const result = await runWizard({
    lookups,
    defaults,
    ...(saved ? { saved: saved.raw as never } : {}),
    ...(savedPath ? { savedPath } : {}),
    secretValues: secretValuesFromEnv([saved?.raw, defaults], io.env),
    cwd: io.cwd,
  });
  const path = args.save ? resolve(io.cwd, args.save) : (savedPath ?? join(io.cwd, DEFAULT_ANSWERS_FILE));
  const unchanged =
    saved && path === savedPath && JSON.stringify(saved.raw) === JSON.stringify(result.answers);
  if (!unchanged) {
    await saveAnswersFile(path, result.answers);
    io.stderr.write(`Saved answers to ${path}\n`);
  }
  return {
    file: await loadAnswersFile(path),
    secretValues: result.secretValues,
    wizard: { answers: result.answers, path, lookups },
  };
}

/**
 * A plan from the wizard's answers failed on `field`: asks that answer again, saves the answers
 * and returns them for a new plan. Undefined when that answer cannot be asked on its own.
 */
export async function askAgain(
  io: CliIo,
  gathered: Gathered,
  failure: { field: string; problem: string; organizationUrl: string },
): Promise<Gathered | undefined> {
  const wizard = gathered.wizard;
  if (!wizard) return undefined;
  const { askAnswerAgain } = await import("../ui/wizard/reask.js");
  const answers = await askAnswerAgain({
    field: failure.field,
    problem: failure.problem,
    answers: wizard.answers,
    organizationUrl: failure.organizationUrl,
    lookups: wizard.lookups,
  });
  if (!answers) return undefined;
  await saveAnswersFile(wizard.path, answers);
  io.stderr.write(`Saved answers to ${wizard.path}\n`);
  return {
    file: await loadAnswersFile(wizard.path),
    ...(gathered.secretValues ? { secretValues: gathered.secretValues } : {}),
    wizard: { ...wizard, answers },
  };
}

/** Secret values already in the environment (by each secret's `env`), so the wizard skips them. */
function secretValuesFromEnv(sources: readonly unknown[], env: NodeJS.ProcessEnv): Map<string, string> {
  const values = new Map<string, string>();
  for (const source of sources) {
    const secrets = (source as { keyVault?: { secrets?: unknown } } | undefined)?.keyVault?.secrets;
    if (!Array.isArray(secrets)) continue;
    for (const s of secrets as { name?: unknown; env?: unknown }[]) {
      const value = typeof s.env === "string" ? env[s.env] : undefined;
      if (typeof s.name === "string" && value) values.set(s.name, value);
    }
  }
  return values;
}
