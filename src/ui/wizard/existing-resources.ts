import { confirm, select, Separator } from "@inquirer/prompts";
import type { ExistingKind } from "../../answers/arm-id.js";
import type { Names } from "../../answers/names.js";
import type { AnswersInput } from "../../answers/schema.js";
import type { FoundResource, WizardLookups } from "./lookups.js";
import type { PromptIO } from "./prompt-io.js";

export type ExistingAnswers = NonNullable<AnswersInput["azure"]["existing"]>;
type Slot = keyof ExistingAnswers;

const CREATE = "\u0000create";

/** Each `azure.existing` answer: its kind, the question, and the name aks-bootstrap would create. */
const slots: readonly { slot: Slot; kind: ExistingKind; label: string; created: (n: Names) => string }[] = [
  {
    slot: "clusterStaging",
    kind: "aksCluster",
    label: "Staging AKS cluster",
    created: (n) => n.clusterStaging,
  },
  { slot: "clusterProd", kind: "aksCluster", label: "Production AKS cluster", created: (n) => n.clusterProd },
  {
    slot: "registryNonprod",
    kind: "registry",
    label: "Non-production registry",
    created: (n) => n.registryNonprod,
  },
  { slot: "registryProd", kind: "registry", label: "Production registry", created: (n) => n.registryProd },
  { slot: "keyVault", kind: "keyVault", label: "CI Key Vault", created: (n) => n.keyVault },
  {
    slot: "workspaceNonprod",
    kind: "workspace",
    label: "Non-production Log Analytics workspace",
    created: (n) => n.workspaceNonprod,
  },
  {
    slot: "workspaceProd",
    kind: "workspace",
    label: "Production Log Analytics workspace",
    created: (n) => n.workspaceProd,
  },
];

const shortLabel: Readonly<Record<ExistingKind, string>> = {
  aksCluster: "AKS cluster",
  registry: "registry",
  keyVault: "vault",
  workspace: "workspace",
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
  const offered = slots.filter((s) => (found?.[s.kind].length ?? 0) > 0);
  if (!found || offered.length === 0) return defaults;
  const counts = (Object.keys(shortLabel) as ExistingKind[])
    .filter((k) => found[k].length > 0)
    .map((k) => `${found[k].length} ${shortLabel[k]}${found[k].length === 1 ? "" : "s"}`);
  io.say(`  Found in the subscription: ${counts.join(", ")}`);
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
  for (const { slot, kind, label, created } of offered) {
    const candidates = found[kind];
    const id = await io.ask(`azure.existing.${slot}`, (s) =>
      select<string>(
        {
          message: label,
          choices: [
            { name: `create new: ${created(names)}`, value: CREATE },
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
