import { confirm, select, Separator } from "@inquirer/prompts";
import type { ExistingKind } from "../../answers/arm-id.js";
import type { Names } from "../../answers/names.js";
import type { AnswersInput } from "../../answers/schema.js";
import type { FoundResource, WizardLookups } from "./lookups.js";
import type { PromptIO } from "./prompt-io.js";

export type ExistingAnswers = NonNullable<AnswersInput["azure"]["existing"]>;
type Slot = keyof ExistingAnswers;

const CREATE = "\u0000create";

/** Each `azure.existing` answer (also the key of the name it replaces): its kind and question. */
const slots: readonly (readonly [Slot, ExistingKind, string])[] = [
  ["clusterStaging", "aksCluster", "Staging AKS cluster"],
  ["clusterProd", "aksCluster", "Production AKS cluster"],
  ["registryNonprod", "registry", "Non-production registry"],
  ["registryProd", "registry", "Production registry"],
  ["keyVault", "keyVault", "CI Key Vault"],
  ["workspaceNonprod", "workspace", "Non-production Log Analytics workspace"],
  ["workspaceProd", "workspace", "Production Log Analytics workspace"],
  ["appInsightsStaging", "appInsights", "Staging Application Insights"],
  ["appInsightsProd", "appInsights", "Production Application Insights"],
];

const shortLabel: Readonly<Record<ExistingKind, string>> = {
  aksCluster: "AKS cluster",
  registry: "registry",
  keyVault: "vault",
  workspace: "workspace",
  appInsights: "App Insights",
};

function choiceName(r: FoundResource): string {
  return `use ${r.name} (${r.resourceGroup})${r.lacks ? `: ${r.lacks}, preflight will ask to fix it` : ""}`;
}

/**
 * Offers the clusters, registries, vault and workspaces found in the subscription in place of
 * new ones: first one yes/no (so teams without any are asked nothing more), then, per answer
 * that has candidates, a select of "create new NAME" or one of them.
 */
export async function askExisting(
  io: PromptIO,
  lookups: WizardLookups,
  subscriptionId: string,
  app: string,
  names: Names,
  defaults: ExistingAnswers,
): Promise<ExistingAnswers> {
  const found = lookups.existingResources ? await lookups.existingResources(subscriptionId, app) : undefined;
  const offered = slots.filter(([, kind]) => (found?.[kind].length ?? 0) > 0);
  if (!found || offered.length === 0) return defaults;
  const counts = (Object.keys(shortLabel) as ExistingKind[])
    .filter((k) => found[k].length > 0)
    .map((k) => {
      const n = found[k].length;
      return `${n} ${shortLabel[k]}${n === 1 || shortLabel[k].endsWith("s") ? "" : "s"}`;
    });
  io.say(`  Found: ${counts.join(", ")}`);
  const use = await io.ask("azure.existing", (s) =>
    confirm(
      {
        message: "Use some of them instead of creating new ones?",
        default: Object.values(defaults).some((v) => v !== undefined),
      },
      s,
    ),
  );
  if (!use) return {};
  const chosen: ExistingAnswers = {};
  for (const [slot, kind, label] of offered) {
    const candidates = found[kind];
    const id = await io.ask(`azure.existing.${slot}`, (s) =>
      select<string>(
        {
          message: label,
          choices: [
            { name: `create new: ${names[slot]}`, value: CREATE },
            new Separator(),
            ...candidates.map((r) => ({ name: choiceName(r), value: r.id, short: r.name })),
          ],
          default: candidates.find((r) => r.id.toLowerCase() === defaults[slot]?.toLowerCase())?.id ?? CREATE,
          pageSize: 10,
        },
        s,
      ),
    );
    if (id !== CREATE) chosen[slot] = id;
  }
  return chosen;
}
