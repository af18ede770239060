import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadAnswersFile, type AnswersFile } from "../answers/load.js";
import { sandboxDefaults } from "../answers/resolve.js";
import { saveAnswersFile } from "../answers/save.js";
import { realTarget } from "../clients/real-target.js";
import type { Sandbox } from "../sandbox/index.js";
import type { CliArgs } from "./args.js";
import type { CliIo } from "./main.js";
import { DEFAULT_ANSWERS_FILE, answersPathFor, loadAnswersFor } from "./session.js";

export interface Gathered {
  file?: AnswersFile;
  secretValues?: ReadonlyMap<string, string>;
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
  const result = await runWizard({
    lookups: wizardLookups(target),
    defaults,
    ...(saved ? { saved: saved.raw as never } : {}),
    cwd: io.cwd,
  });
  const path = args.save
    ? resolve(io.cwd, args.save)
    : (answersPathFor(args, io) ?? join(io.cwd, DEFAULT_ANSWERS_FILE));
  await saveAnswersFile(path, result.answers);
  io.stderr.write(`Saved answers to ${path}${existsSync(path) ? "" : ""}\n`);
  return { file: await loadAnswersFile(path), secretValues: result.secretValues };
}
