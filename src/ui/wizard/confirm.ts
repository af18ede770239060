import { confirm } from "@inquirer/prompts";
import type { EngineEvent, RunMode } from "../../engine/types.js";
import { countChanges, planEntries, renderPlanText, type PlanEntry } from "../plan-text.js";
import { defaultSources, PromptIO, type PromptContext } from "./prompt-io.js";

export interface ConfirmPlanOptions {
  /** The plan run's events (or entries). Absent: ask only (the live view already showed it). */
  readonly plan?: readonly (EngineEvent | PlanEntry)[];
  readonly mode?: Exclude<RunMode, "plan">;
  readonly color?: boolean;
  readonly columns?: number;
  readonly context?: PromptContext;
  /** Print the plan screen before asking (default true). */
  readonly showPlan?: boolean;
}

/**
 * Shows the plan screen and asks to go ahead. True when there is nothing to change (no
 * question). Without a terminal it fails naming `--yes`; the caller skips it under --yes.
 * Destroy defaults to "no".
 */
export async function confirmPlan(opts: ConfirmPlanOptions = {}): Promise<boolean> {
  const io = new PromptIO(opts.context, defaultSources);
  if (opts.plan) {
    const entries = planEntries(opts.plan);
    if (opts.showPlan !== false) {
      io.say(
        renderPlanText(entries, { color: opts.color ?? false, columns: opts.columns ?? io.columns ?? 80 }),
      );
      io.say("");
    }
    const counts = countChanges(entries);
    if (counts.create + counts.update + counts.delete === 0) return true;
  }
  const destroy = opts.mode === "destroy";
  return io.ask("plan confirmation", (s) =>
    confirm(
      { message: destroy ? "Delete everything listed above?" : "Apply these changes?", default: !destroy },
      s,
    ),
  );
}

/**
 * Asked on the first Ctrl-C. True = stop: no new work starts, running operations reach a safe
 * point, exit 130. A second Ctrl-C (or no terminal) also means stop.
 */
export async function confirmAbort(context?: PromptContext): Promise<boolean> {
  const io = new PromptIO(context, defaultSources);
  if (!io.interactive) return true;
  try {
    return await io.ask("abort confirmation", (s) =>
      confirm(
        { message: "Stop? Running operations finish their current call, nothing new starts.", default: true },
        s,
      ),
    );
  } catch {
    return true;
  }
}

/**
 * verify merges a pull request into the default branch: asked before anything is pushed.
 * `afterApply`: offered at the end of the wizard ("Run verify now?").
 */
export async function confirmVerify(
  what: { readonly repository: string; readonly branch: string; readonly afterApply?: boolean },
  context?: PromptContext,
): Promise<boolean> {
  const io = new PromptIO(context, defaultSources);
  const merge = `opens a pull request on ${what.repository}, merges it into ${what.branch} once its checks pass, then follows CI and CD`;
  return io.ask("verify confirmation", (s) =>
    confirm(
      {
        message: what.afterApply ? `Run verify now? It ${merge}.` : `verify ${merge}. Go ahead?`,
        default: true,
      },
      s,
    ),
  );
}
