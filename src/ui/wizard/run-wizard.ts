import { confirm, input, password, search, select, Separator } from "@inquirer/prompts";
import type { Names } from "../../answers/names.js";
import {
  answersSchema,
  azureSchema,
  devopsSchema,
  pipelineSchema,
  secretRefSchema,
  type AnswersInput,
} from "../../answers/schema.js";
import { UserError } from "../../engine/errors.js";
import { truncate } from "../format.js";
import { parseDevopsRemote, readOriginRemote } from "./devops-remote.js";
import type { WizardLookups } from "./lookups.js";
import { globalNames, previewLine, previewNames } from "./names-preview.js";
import { defaultSources, PromptIO, type PromptContext } from "./prompt-io.js";
import { askExisting } from "./existing-resources.js";
import { askStack } from "./stack.js";
import { reviewLines } from "./review.js";
import { validateWith } from "./validate.js";
import { askApprovers } from "./approvers.js";

export interface WizardOptions {
  readonly lookups: WizardLookups;
  /** Pre-filled answers (flags, environment, sandbox defaults); offered as each prompt's default. */
  readonly defaults: Partial<AnswersInput>;
  /** Answers from an existing file: offered first. */
  readonly saved?: AnswersInput;
  /** Where `saved` came from, for the question "Use saved answers from X?". */
  readonly savedPath?: string;
  /** Test or pty streams; default process stdin/stdout (which must be a TTY). */
  readonly context?: PromptContext;
  /** The current folder's `origin` remote; default: read with git in `cwd`. `null` = none. */
  readonly gitRemote?: string | null;
  /** Folder whose git remote gives the Azure DevOps defaults; default process.cwd(). */
  readonly cwd?: string;
  /**
   * Secret values already known (from each secret's environment variable, or the sandbox's
   * generated demo values): those secrets are not asked.
   */
  readonly secretValues?: ReadonlyMap<string, string>;
  /** Extra "where can this answer come from" hints for the no-terminal error, keyed by field. */
  readonly sources?: Readonly<Record<string, string>>;
}

export interface WizardResult {
  readonly answers: AnswersInput;
  /** Key Vault secret name -> value, for secrets not yet in the vault. Never written to disk. */
  readonly secretValues: Map<string, string>;
}

const NEW = "\u0000new";

// Field schemas of the answers file, so a prompt accepts exactly what the file would.
const fields = {
  app: answersSchema.shape.app,
  location: azureSchema.shape.location,
  organizationUrl: devopsSchema.shape.organizationUrl,
  project: devopsSchema.shape.project,
  repository: devopsSchema.shape.repository,
  productionApprovers: devopsSchema.shape.productionApprovers,
  manualApprovers: pipelineSchema.shape.manualValidation.unwrap().shape.approvers,
  secretName: secretRefSchema.shape.name,
  secretEnv: secretRefSchema.shape.env,
  /** An approver: an e-mail / UPN or a [Project]\Group. */
  approver: devopsSchema.shape.productionApprovers.unwrap().element,
};

/** DB-PASSWORD -> DB_PASSWORD */
function envNameFor(secretName: string): string {
  const s = secretName.toUpperCase().replace(/[^A-Z0-9_]/g, "_");
  return /^[A-Z_]/.test(s) ? s : `_${s}`;
}

/**
 * The interactive wizard: asks, in order, sign-in, subscription, region, app name (with a live
 * preview of the derived names), Azure DevOps organization, project, repository, manual
 * validation, production approvers and Key Vault secrets, then shows a review. The caller
 * saves the answers file; secret values come back separately and are never saved.
 */
export async function runWizard(opts: WizardOptions): Promise<WizardResult> {
  const io = new PromptIO(opts.context, { ...defaultSources, ...opts.sources });
  // Fail before any cloud call when there is no terminal: name the first answer we would ask.
  if (!io.interactive) io.refuse(opts.saved ? "saved answers" : "azure.subscriptionId");
  if (opts.saved) {
    const where = opts.savedPath ?? "the answers file";
    const reuse = await io.ask("saved answers", (s) =>
      confirm({ message: `Use saved answers from ${where}?`, default: true }, s),
    );
    if (reuse) {
      const parsed = answersSchema.safeParse(opts.saved);
      if (!parsed.success) {
        throw new UserError(
          `the saved answers in ${where} are not valid: ${parsed.error.issues[0]?.message ?? "invalid"}`,
          "Fix the file, or delete it to answer again.",
        );
      }
      const names = previewNames(
        opts.saved.app,
        opts.saved.azure.subscriptionId,
        opts.saved,
        opts.saved.azure.existing,
      );
      const secretValues = await askSecretValues(
        io,
        opts.lookups,
        opts.saved.keyVault?.secrets ?? [],
        names,
        opts.secretValues,
        opts.saved.azure.existing?.keyVault,
      );
      return { answers: opts.saved, secretValues: secretValues.values };
    }
  }
  let defaults: Partial<AnswersInput> = opts.saved ?? opts.defaults;
  for (;;) {
    const round = await askAll(io, opts, defaults);
    io.say("");
    for (const line of round.review) io.say(line);
    io.say("");
    const ok = await io.ask("review", (s) =>
      confirm({ message: "Save these answers and continue?", default: true }, s),
    );
    if (ok) return { answers: round.answers, secretValues: round.secretValues };
    // Start over with what was just answered as the defaults: only changes need typing.
    defaults = round.answers;
  }
}

interface Round {
  answers: AnswersInput;
  secretValues: Map<string, string>;
  review: string[];
}

async function askAll(io: PromptIO, opts: WizardOptions, defaults: Partial<AnswersInput>): Promise<Round> {
  const { lookups } = opts;

  // 1. Sign-in: who and which tenant; a lookup error (not signed in) carries its own hint.
  const who = await lookups.signedIn();
  io.say(`✔ Signed in as ${who.user}`);
  io.say(`  tenant ${who.tenantId}`);
  // The signed-in user is the natural validator, when their name is an e-mail/UPN (a service
  // principal's object id is not).
  const me = fields.approver.safeParse(who.user).success && who.user.includes("@") ? [who.user] : [];

  // 2. Subscription
  const subscriptions = await lookups.subscriptions();
  if (subscriptions.length === 0) {
    throw new UserError(
      `${who.user} can see no Azure subscription`,
      "Ask for access to a subscription, or sign in to another tenant with `az login --tenant TENANT`.",
    );
  }
  // One subscription: nothing to choose, say which (as if answered).
  const only = subscriptions.length === 1 ? subscriptions[0] : undefined;
  if (only) io.say(`✔ Subscription ${only.name} (the only one)\n  ${only.id}`);
  const subscriptionId = only
    ? only.id
    : await io.ask("azure.subscriptionId", (s) =>
        select(
          {
            message: "Subscription",
            choices: subscriptions.map((sub) => ({
              name: `${sub.name} (${sub.id})`,
              value: sub.id,
              short: sub.name,
            })),
            default: subscriptions.find((sub) => sub.id === defaults.azure?.subscriptionId)?.id,
            pageSize: 10,
          },
          s,
        ),
      );
  const subscription = subscriptions.find((sub) => sub.id === subscriptionId)!;

  // 3. Region: searchable, only where AKS is offered.
  const regions = await lookups.regions(subscriptionId);
  if (regions.length === 0) {
    throw new UserError(
      `subscription ${subscription.name} lists no region that offers AKS`,
      "Register the provider with `az provider register --namespace Microsoft.ContainerService`, or pick another subscription.",
    );
  }
  const preferred = defaults.azure?.location;
  const location = await io.ask("azure.location", (s) =>
    search(
      {
        message: "Region (where AKS is offered; type to search)",
        source: (term) => {
          const t = (term ?? "").toLowerCase().replace(/\s+/g, "");
          const list = regions.filter((r) => r.includes(t));
          // The default region first, so Enter on an empty search picks it.
          return preferred && list.includes(preferred)
            ? [preferred, ...list.filter((r) => r !== preferred)]
            : list;
        },
        validate: validateWith(fields.location),
        pageSize: 8,
      },
      s,
    ),
  );

  // 4. App name, with a live preview of the derived names and a global-availability check.
  const namesOf = (app: string): Names => previewNames(app, subscriptionId, defaults);
  const validApp = validateWith(fields.app);
  const appDefault = defaults.app ?? "";
  const app = await io.ask("app", (s) =>
    input(
      {
        message: "App name (every resource name derives from it)",
        default: appDefault || undefined,
        // Preview above the typed value: the value stays on the last line, so the cursor is right.
        transformer: (value, { isFinal }) => {
          if (isFinal) return value;
          const candidate = value || appDefault;
          const preview =
            candidate && validApp(candidate) === true
              ? previewLine(namesOf(candidate))
              : "names appear as you type";
          const width = (io.columns ?? 80) - 2;
          return `\n  ${truncate(preview, width)}\n  › ${value}`;
        },
        validate: async (value) => {
          const valid = validApp(value);
          if (valid !== true) return valid;
          const availability = await lookups.nameAvailability(namesOf(value));
          const taken = globalNames(namesOf(value)).filter((n) => availability[n] === false);
          return taken.length === 0
            ? true
            : `${taken.join(", ")} ${taken.length === 1 ? "is" : "are"} taken in Azure: choose another app name`;
        },
      },
      s,
    ),
  );
  io.say(truncate(`  free in Azure: ${globalNames(namesOf(app)).join(", ")}`, io.columns ?? 80));

  // 4b. Existing clusters, registries, vault and workspaces of the subscription, if any.
  const existing = await askExisting(
    io,
    lookups,
    subscriptionId,
    app,
    namesOf(app),
    defaults.azure?.existing ?? {},
  );
  const names = previewNames(app, subscriptionId, defaults, existing);

  // 5. Azure DevOps organization: default from this folder's git remote when it is Azure Repos.
  const remoteUrl =
    opts.gitRemote === undefined
      ? await readOriginRemote(opts.cwd ?? process.cwd())
      : (opts.gitRemote ?? undefined);
  const remote = remoteUrl ? parseDevopsRemote(remoteUrl) : undefined;
  const organizationUrl = (
    await io.ask("devops.organizationUrl", (s) =>
      input(
        {
          message: "Azure DevOps organization URL",
          default: defaults.devops?.organizationUrl ?? remote?.organizationUrl,
          validate: validateWith(fields.organizationUrl),
        },
        s,
      ),
    )
  ).replace(/\/+$/, "");

  // 6. Project: pick an existing one or create a new one.
  const projects = await lookups.projects(organizationUrl);
  if (projects.length === 0) io.say("  No project in this organization yet: name the one to create.");
  const projectDefault =
    defaults.devops?.project ?? (remote?.organizationUrl === organizationUrl ? remote.project : undefined);
  let project = await pickOrNew(io, "devops.project", "Project", projects, projectDefault);
  const createProject = project === NEW;
  if (createProject) {
    project = await io.ask("devops.project", (s) =>
      input(
        {
          message: "New project name",
          default: projectDefault && !projects.includes(projectDefault) ? projectDefault : app,
          validate: (v) =>
            projects.some((p) => p.toLowerCase() === v.toLowerCase())
              ? `${v} already exists: pick it from the list`
              : validateWith(fields.project)(v),
        },
        s,
      ),
    );
  }

  // 7. Repository: a new project has none to pick from.
  const repos = createProject ? [] : await lookups.repositories(organizationUrl, project);
  const repoDefault =
    defaults.devops?.repository ?? (remote && remote.project === project ? remote.repository : undefined);
  let repository =
    repos.length > 0 ? await pickOrNew(io, "devops.repository", "Repository", repos, repoDefault) : NEW;
  const createRepository = repository === NEW;
  if (createRepository) {
    repository = await io.ask("devops.repository", (s) =>
      input(
        {
          message: "New repository name",
          default: repoDefault && !repos.includes(repoDefault) ? repoDefault : app,
          validate: (v) =>
            repos.some((r) => r.toLowerCase() === v.toLowerCase())
              ? `${v} already exists: pick it from the list`
              : validateWith(fields.repository)(v),
        },
        s,
      ),
    );
  }

  // 7b. The existing repository's stack: what was detected, and a chance to change it.
  const stack = await askStack(
    io,
    lookups,
    {
      organizationUrl,
      project,
      repository,
      isNew: createProject || createRepository,
      ...(defaults.pipeline?.dockerfile ? { dockerfile: defaults.pipeline.dockerfile } : {}),
    },
    defaults.stack,
  );

  // 8. Manual validation between staging and production.
  const mvDefaults = defaults.pipeline?.manualValidation;
  const manual = await io.ask("pipeline.manualValidation", (s) =>
    confirm(
      { message: "Pause for a manual validation before production?", default: mvDefaults?.enabled ?? false },
      s,
    ),
  );
  let manualApprovers: string[] = mvDefaults?.approvers ?? [];
  if (manual) {
    manualApprovers = await askApprovers(io, lookups, {
      field: "pipeline.manualValidation",
      label: "Who validates",
      schema: fields.manualApprovers,
      organizationUrl,
      initial: manualApprovers.length > 0 ? manualApprovers : me,
      emptyMeans: "anyone who may run it",
      ...(createProject ? { projectToCreate: project } : {}),
    });
  }

  // 9. Production approvers (the Approval check on the production environment).
  const productionApprovers = await askApprovers(io, lookups, {
    field: "devops.productionApprovers",
    label: "Production approvers",
    schema: fields.productionApprovers,
    organizationUrl,
    initial: defaults.devops?.productionApprovers ?? [],
    emptyMeans: "you, the signed-in user",
    ...(createProject ? { projectToCreate: project } : {}),
  });
  const approverFallback =
    productionApprovers.length === 0 ? await signedInDevopsName(lookups, organizationUrl) : undefined;

  // 10. Key Vault secret names, then values for those not in the vault yet.
  const secrets = await askSecretNames(io, defaults.keyVault?.secrets ?? []);

  const answers: AnswersInput = {
    ...(defaults.$schema ? { $schema: defaults.$schema } : {}),
    app,
    azure: {
      ...defaults.azure,
      tenantId: subscription.tenantId,
      subscriptionId,
      location,
      // Only the chosen ones; none chosen = no `existing` key in the saved file.
      existing: Object.keys(existing).length > 0 ? existing : undefined,
    },
    devops: {
      ...defaults.devops,
      organizationUrl,
      project,
      createProject,
      repository,
      createRepository,
      productionApprovers,
    },
    ...(stack ? { stack } : {}),
    pipeline: {
      ...defaults.pipeline,
      manualValidation: { ...mvDefaults, enabled: manual, approvers: manualApprovers },
    },
    keyVault: { secrets },
  };
  const parsed = answersSchema.safeParse(answers);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(
      `the answers are not valid at ${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "invalid"}`,
      "Check the defaults given by flags or the answers file.",
    );
  }
  const secretValues = await askSecretValues(
    io,
    lookups,
    secrets,
    names,
    opts.secretValues,
    existing.keyVault,
  );
  const review = reviewLines(answers, names, {
    subscriptionName: subscription.name,
    newSecrets: [...secretValues.values.keys()],
    existingSecrets: secretValues.existing,
    ...(approverFallback ? { signedInApprover: approverFallback } : {}),
  });
  return { answers, secretValues: secretValues.values, review };
}

/** Who approves when nobody is named, as Azure DevOps names them; undefined when it cannot say. */
async function signedInDevopsName(lookups: WizardLookups, orgUrl: string): Promise<string | undefined> {
  try {
    return await lookups.devopsUser?.(orgUrl);
  } catch {
    return undefined;
  }
}

/** A select of existing items plus "Create a new ...". Returns NEW for the latter. */
async function pickOrNew(
  io: PromptIO,
  field: string,
  label: string,
  items: readonly string[],
  preferred: string | undefined,
): Promise<string> {
  if (items.length === 0) return NEW;
  return io.ask(field, (s) =>
    select<string>(
      {
        message: label,
        choices: [
          ...items.map((i) => ({ name: i, value: i })),
          new Separator(),
          { name: `Create a new ${label.toLowerCase()}`, value: NEW },
        ],
        default: preferred && items.includes(preferred) ? preferred : undefined,
        pageSize: 10,
      },
      s,
    ),
  );
}

type SecretRef = { name: string; env: string };

async function askSecretNames(io: PromptIO, initial: readonly SecretRef[]): Promise<SecretRef[]> {
  const secrets = [...initial];
  if (secrets.length > 0) io.say(`  Key Vault secrets: ${secrets.map((s) => s.name).join(", ")}`);
  for (;;) {
    const more = await io.ask("keyVault.secrets", (s) =>
      confirm(
        {
          message:
            secrets.length === 0
              ? "Do the integration tests need a secret from Key Vault?"
              : "Add another secret?",
          default: false,
        },
        s,
      ),
    );
    if (!more) return secrets;
    const name = await io.ask("keyVault.secrets", (s) =>
      input(
        {
          message: "Secret name in Key Vault (the name, not the value)",
          validate: (v) =>
            secrets.some((x) => x.name.toLowerCase() === v.toLowerCase())
              ? `${v} is already listed`
              : validateWith(fields.secretName)(v),
        },
        s,
      ),
    );
    const env = await io.ask("keyVault.secrets", (s) =>
      input(
        {
          message: `Environment variable for ${name} in the test step`,
          default: envNameFor(name),
          validate: validateWith(fields.secretEnv),
        },
        s,
      ),
    );
    secrets.push({ name, env });
  }
}

/**
 * Asks (masked) the value of each secret the vault does not hold yet; secrets already there
 * are kept and not asked again.
 */
async function askSecretValues(
  io: PromptIO,
  lookups: WizardLookups,
  secrets: readonly SecretRef[],
  names: Names,
  given: ReadonlyMap<string, string> | undefined,
  /** Resource id of an existing vault (azure.existing.keyVault), which may live in any group. */
  existingVault?: string,
): Promise<{ values: Map<string, string>; existing: string[] }> {
  const values = new Map<string, string>();
  if (secrets.length === 0) return { values, existing: [] };
  const existing = await lookups.existingSecrets(names, existingVault);
  for (const secret of secrets) {
    if (existing.includes(secret.name)) {
      io.say(`✔ ${secret.name} is already in ${names.keyVault}: kept`);
      continue;
    }
    const known = given?.get(secret.name);
    if (known) {
      io.say(`✔ ${secret.name}: value given beforehand ($${secret.env} or sandbox demo value)`);
      values.set(secret.name, known);
      continue;
    }
    const value = await io.ask(
      `the value of secret ${secret.name}`,
      (s) =>
        password(
          {
            message: `Value of ${secret.name} (goes to Key Vault only)`,
            mask: "•",
            validate: (v) => (v.length > 0 ? true : "must not be empty"),
          },
          s,
        ),
      `the environment variable ${secret.env}`,
    );
    values.set(secret.name, value);
  }
  return { values, existing: existing.filter((e) => secrets.some((s) => s.name === e)) };
}
