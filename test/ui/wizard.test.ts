import { screen } from "@inquirer/testing/vitest";
import { until } from "../helpers/prompt-screen.js";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Names } from "../../src/answers/names.js";
import type { AnswersInput } from "../../src/answers/schema.js";
import { AbortedError, UserError } from "../../src/engine/errors.js";
import { confirmPlan, runWizard, type WizardLookups } from "../../src/ui/wizard/index.js";
import { planScript } from "./fixtures.js";

const tenant = "11111111-1111-1111-1111-111111111111";
const sub1 = "22222222-2222-2222-2222-222222222222";
const sub2 = "33333333-3333-3333-3333-333333333333";

interface FakeCloud {
  lookups: WizardLookups;
  calls: string[];
}

/** A cloud as the wizard sees it: two subscriptions, two projects, one repo, chosen secrets present. */
function fakeCloud(
  over: { existingSecrets?: string[]; taken?: string[]; projects?: string[] } = {},
): FakeCloud {
  const calls: string[] = [];
  const lookups: WizardLookups = {
    async signedIn() {
      calls.push("signedIn");
      return { user: "ada@contoso.com", tenantId: tenant };
    },
    async subscriptions() {
      return [
        { id: sub1, name: "Dev", tenantId: tenant },
        { id: sub2, name: "Prod", tenantId: tenant },
      ];
    },
    async regions() {
      return ["eastus", "northeurope", "westeurope", "westus2"];
    },
    async nameAvailability(names: Names) {
      calls.push(`availability:${names.registryNonprod}`);
      const taken = over.taken ?? [];
      return Object.fromEntries(
        [names.registryNonprod, names.registryProd, names.keyVault].map((n) => [
          n,
          !taken.some((t) => n.includes(t)),
        ]),
      );
    },
    async projects(orgUrl) {
      calls.push(`projects:${orgUrl}`);
      return over.projects ?? ["alpha", "beta"];
    },
    async repositories(_org, project) {
      calls.push(`repositories:${project}`);
      return project === "beta" ? ["beta-web", "beta-api"] : [];
    },
    async existingSecrets() {
      return over.existingSecrets ?? [];
    },
  };
  return { lookups, calls };
}

async function answer(pattern: RegExp, ...keys: (string | { type: string })[]): Promise<string> {
  const shown = await until(pattern);
  for (const k of keys) {
    if (typeof k === "string") screen.keypress(k);
    else screen.type(k.type);
  }
  return shown;
}

function start(
  cloud: FakeCloud,
  extra: {
    defaults?: Partial<AnswersInput>;
    saved?: AnswersInput;
    gitRemote?: string | null;
    secretValues?: ReadonlyMap<string, string>;
  } = {},
) {
  const out = new PassThrough();
  const said: string[] = [];
  out.on("data", (c: Buffer) => said.push(c.toString("utf8")));
  const result = runWizard({
    lookups: cloud.lookups,
    defaults: extra.defaults ?? {},
    ...(extra.saved ? { saved: extra.saved, savedPath: "aks-bootstrap.yaml" } : {}),
    gitRemote:
      extra.gitRemote === undefined
        ? "https://contoso@dev.azure.com/contoso/beta/_git/beta-api"
        : extra.gitRemote,
    context: { input: screen.input, output: out },
    ...(extra.secretValues ? { secretValues: extra.secretValues } : {}),
  });
  // Surface a failure of the wizard instead of a timeout in `until`.
  result.catch(() => undefined);
  return { result, said: () => said.join("") };
}

/** Answers the defaults up to the repository of the git remote (contoso/beta/beta-api). */
async function toRemoteRepository(): Promise<void> {
  await answer(/Subscription/, "enter");
  await answer(/Region/, { type: "eastus" });
  await answer(/❯ eastus/, "enter");
  await answer(/App name/, { type: "shop" }, "enter");
  await answer(/organization URL/, "enter");
  await answer(/❯ beta/, "enter");
  await answer(/❯ beta-api/, "enter");
}

describe("wizard", () => {
  it("new project: asks everything in order, creates project and repository, with manual validation off", async () => {
    // Given a signed-in user and no Azure Repos remote
    const cloud = fakeCloud();
    const run = start(cloud, { gitRemote: null });
    // When they pick the second subscription, search a region, name the app...
    await answer(/Subscription/, "down", "enter");
    await answer(/Region/, { type: "westeu" });
    await answer(/❯ westeurope/, "enter");
    const appScreen = await answer(/App name/, { type: "shop" });
    expect(appScreen).toContain("App name");
    // the preview follows the typed value
    expect(
      await until(/rg-shop-nonprod · aks-shop-staging · crshopnonprod[0-9a-f]{4} · kv-shop-ci-[0-9a-f]{4}/),
    ).toContain("› shop");
    screen.keypress("enter");
    await answer(/organization URL/, { type: "https://dev.azure.com/contoso" }, "enter");
    await answer(/❯ alpha/, "down", "down", "enter"); // past beta and the separator
    await answer(/New project name \(shop\)/, { type: "shop-x" }, "enter");
    await answer(/New repository name/, "enter"); // default: the app name
    await answer(/manual validation/, "enter"); // default: no
    // empty = the signed-in user, said with the question
    await answer(/Production approvers/, "enter");
    expect(run.said()).toContain("empty = you, the signed-in user");
    await answer(/need a secret from Key Vault/, "enter"); // no
    await answer(/Save these answers/, "enter");
    const { answers, secretValues } = await run.result;

    // Then the answers are those of a new project and repository
    expect(answers).toMatchObject({
      app: "shop",
      azure: { tenantId: tenant, subscriptionId: sub2, location: "westeurope" },
      devops: {
        organizationUrl: "https://dev.azure.com/contoso",
        project: "shop-x",
        createProject: true,
        repository: "shop",
        createRepository: true,
        productionApprovers: [],
      },
      pipeline: { manualValidation: { enabled: false, approvers: [] } },
      keyVault: { secrets: [] },
    });
    expect(secretValues.size).toBe(0);
    // a new project has no repositories to list
    expect(cloud.calls.filter((c) => c.startsWith("repositories"))).toEqual([]);
    expect(run.said()).toContain(
      "✔ Signed in as ada@contoso.com\n  tenant 11111111-1111-1111-1111-111111111111",
    );
    expect(run.said()).toMatch(/Review[\s\S]*project shop-x \(created if missing\)/);
    expect(run.said()).toContain("production: you, the signed-in user");
  });

  it("existing project from the git remote: picks project and repository, manual validation on with approvers", async () => {
    // Given the folder's remote points at contoso/beta/beta-api
    const cloud = fakeCloud();
    const run = start(cloud);
    await answer(/Subscription/, "enter");
    await answer(/Region/, { type: "eastus" });
    await answer(/❯ eastus/, "enter");
    await answer(/App name/, { type: "shop" }, "enter");
    // Then the organization defaults from the remote
    await answer(/organization URL.*https:\/\/dev\.azure\.com\/contoso/, "enter");
    // and the project and repository are preselected from it
    await answer(/❯ beta/, "enter");
    await answer(/❯ beta-api/, "enter");
    await answer(/manual validation/, { type: "y" }, "enter");
    await answer(/Who validates/, { type: "qa@contoso.com, lead@contoso.com" }, "enter");
    await answer(/Production approvers/, "enter");
    await answer(/need a secret from Key Vault/, "enter");
    await answer(/Save these answers/, "enter");
    const { answers } = await run.result;
    expect(answers.devops).toMatchObject({
      project: "beta",
      createProject: false,
      repository: "beta-api",
      createRepository: false,
    });
    expect(answers.pipeline?.manualValidation).toMatchObject({
      enabled: true,
      approvers: ["qa@contoso.com", "lead@contoso.com"],
    });
    expect(run.said()).toContain("manual validation on: qa@contoso.com, lead@contoso.com");
  });

  it("an existing repository with no known stack: says so and the stack is chosen by hand", async () => {
    // Given the remote's repository holds an app in a stack aks-bootstrap cannot detect
    const cloud = fakeCloud();
    const asked: string[] = [];
    cloud.lookups = {
      ...cloud.lookups,
      async repoStack(_org, project, repository) {
        asked.push(`${project}/${repository}`);
        return { kind: "undetectable", nested: [], dockerfile: false };
      },
    };
    const run = start(cloud);
    await toRemoteRepository();
    // Then the stack select starts at the first stack (nothing detected to offer); Go is last
    const shown = await until(/Stack the pipelines build/);
    expect(shown).not.toMatch(/detected/);
    for (let i = 0; i < 9; i++) screen.keypress("down");
    await answer(/❯ Go/, "enter");
    await answer(/manual validation/, "enter");
    await answer(/Production approvers/, "enter");
    await answer(/need a secret from Key Vault/, "enter");
    await answer(/Save these answers/, "enter");
    const { answers } = await run.result;
    expect(asked).toEqual(["beta/beta-api"]);
    expect(run.said()).toContain("✗ No stack detected in beta-api: choose the one to build");
    expect(answers.stack).toEqual({ language: "go", tool: "go" });
    expect(run.said()).toContain("Stack       Go (chosen)");
  });

  it("an empty existing repository gets the starter app; a repository it cannot read is left to the plan", async () => {
    for (const [repoStack, said] of [
      [
        async () => ({ kind: "empty", dockerfile: false }) as const,
        "beta-api is empty: the Node.js starter app goes in",
      ],
      [
        async () => {
          throw new Error("TF401019: no permission");
        },
        "Could not read beta-api to detect its stack (TF401019: no permission): the plan will",
      ],
    ] as const) {
      const cloud = fakeCloud();
      cloud.lookups = { ...cloud.lookups, repoStack };
      const run = start(cloud);
      await toRemoteRepository();
      // Then no stack question: the next one is manual validation
      await answer(/manual validation/, "enter");
      await answer(/Production approvers/, "enter");
      await answer(/need a secret from Key Vault/, "enter");
      await answer(/Save these answers/, "enter");
      const { answers } = await run.result;
      expect(run.said()).toContain(said);
      expect(answers.stack).toBeUndefined();
    }
  });

  it("rejects an answer with the answers file's own rule, and a taken global name", async () => {
    const cloud = fakeCloud({ taken: ["crtaken"] });
    const run = start(cloud, { gitRemote: null });
    await answer(/Subscription/, "enter");
    await answer(/Region/, { type: "westus2" });
    await answer(/❯ westus2/, "enter");
    await answer(/App name/, { type: "Bad_Name" }, "enter");
    // the same message the answers file gives
    await until(/must be 2-16 characters: lowercase letters/);
    for (let i = 0; i < "Bad_Name".length; i++) screen.keypress("backspace");
    screen.type("taken");
    screen.keypress("enter");
    await until(/crtakennonprod[0-9a-f]{4}, crtakenprod[0-9a-f]{4} are taken in Azure/);
    for (let i = 0; i < "taken".length; i++) screen.keypress("backspace");
    screen.type("shop");
    screen.keypress("enter");
    await answer(/organization URL/, { type: "not a url" }, "enter");
    await until(/must be the organization URL/);
    expect(cloud.calls.some((c) => c.startsWith("projects"))).toBe(false);
    // Ctrl-C ends the wizard as an interruption
    screen.keypress({ name: "c", ctrl: true });
    await expect(run.result).rejects.toBeInstanceOf(AbortedError);
  });

  it("asks values only for secrets not yet in the vault, masked, and never echoes them", async () => {
    // Given saved answers with two secrets, one already in the vault
    const saved: AnswersInput = {
      app: "shop",
      azure: { tenantId: tenant, subscriptionId: sub1, location: "westeurope" },
      devops: { organizationUrl: "https://dev.azure.com/contoso", project: "beta", repository: "beta-api" },
      keyVault: {
        secrets: [
          { name: "db-password", env: "DB_PASSWORD" },
          { name: "api-key", env: "API_KEY" },
        ],
      },
    };
    const cloud = fakeCloud({ existingSecrets: ["db-password"] });
    const run = start(cloud, { saved });
    // When they reuse the saved answers
    await answer(/Use saved answers from aks-bootstrap.yaml\?/, "enter");
    // Then only api-key is asked, masked
    await answer(/Value of api-key/, { type: "s3cr3t-value" });
    const masked = await until(/••••/);
    expect(masked).not.toContain("s3cr3t-value");
    screen.keypress("enter");
    const { answers, secretValues } = await run.result;
    expect(answers).toBe(saved);
    expect([...secretValues.entries()]).toEqual([["api-key", "s3cr3t-value"]]);
    expect(run.said()).toContain("db-password is already in kv-shop-ci-");
    expect(run.said()).not.toContain("s3cr3t-value");
    expect(await screen.getFullOutput()).not.toContain("s3cr3t-value");
    expect(cloud.calls).not.toContain("signedIn"); // nothing else asked
  });

  it("does not ask a secret whose value was given beforehand (env var or sandbox)", async () => {
    const saved: AnswersInput = {
      app: "shop",
      azure: { tenantId: tenant, subscriptionId: sub1, location: "westeurope" },
      devops: { organizationUrl: "https://dev.azure.com/contoso", project: "beta", repository: "beta-api" },
      keyVault: { secrets: [{ name: "api-key", env: "API_KEY" }] },
    };
    const run = start(fakeCloud(), { saved, secretValues: new Map([["api-key", "from-env"]]) });
    await answer(/Use saved answers/, "enter");
    const { secretValues } = await run.result;
    expect(secretValues.get("api-key")).toBe("from-env");
    expect(run.said()).toContain("✔ api-key: value given beforehand");
    expect(run.said()).not.toContain("from-env");
  });

  it("adds a secret name and env var in a fresh run, asking its value", async () => {
    const cloud = fakeCloud({ projects: [] });
    const run = start(cloud, {
      gitRemote: null,
      defaults: {
        devops: { organizationUrl: "https://dev.azure.com/contoso", project: "shop", repository: "shop" },
      },
    });
    await answer(/Subscription/, "enter");
    await answer(/Region/, "enter");
    await answer(/App name/, { type: "shop" }, "enter");
    await answer(/organization URL/, "enter");
    // no projects at all: straight to a new project name, then a new repository
    await answer(/New project name/, "enter");
    await answer(/New repository name/, "enter");
    await answer(/manual validation/, "enter");
    await answer(/Production approvers/, "enter");
    await answer(/need a secret from Key Vault/, { type: "y" }, "enter");
    await answer(/Secret name in Key Vault/, { type: "db-password" }, "enter");
    await answer(/Environment variable for db-password.*DB_PASSWORD/, "enter");
    await answer(/Add another secret/, "enter");
    await answer(/Value of db-password/, { type: "pw" }, "enter");
    await answer(/Save these answers/, "enter");
    const { answers, secretValues } = await run.result;
    expect(answers.keyVault?.secrets).toEqual([{ name: "db-password", env: "DB_PASSWORD" }]);
    expect(secretValues.get("db-password")).toBe("pw");
    expect(answers.azure.location).toBe("eastus");
    expect(run.said()).toContain("db-password -> $DB_PASSWORD (value given)");
  });

  it("with a single subscription, says which instead of asking", async () => {
    const cloud = fakeCloud();
    const single = {
      ...cloud.lookups,
      subscriptions: async () => [{ id: sub2, name: "Prod", tenantId: tenant }],
    };
    const run = start({ lookups: single, calls: cloud.calls }, { gitRemote: null });
    await until(/Region/);
    expect(run.said()).toContain(
      "✔ Subscription Prod (the only one)\n  33333333-3333-3333-3333-333333333333",
    );
    screen.keypress({ name: "c", ctrl: true });
    await expect(run.result).rejects.toBeInstanceOf(AbortedError);
  });

  it("does not offer a service principal's id as approver (not an e-mail)", async () => {
    const cloud = fakeCloud({ projects: [] });
    const spn = {
      ...cloud.lookups,
      signedIn: async () => ({ user: "e5058b72-7c3a-47df-8276-630ee221149f", tenantId: tenant }),
    };
    const run = start({ lookups: spn, calls: cloud.calls }, { gitRemote: null });
    await answer(/Subscription/, "enter");
    await answer(/Region/, "enter");
    await answer(/App name/, { type: "shop" }, "enter");
    await answer(/organization URL/, { type: "https://dev.azure.com/contoso" }, "enter");
    await answer(/New project name/, "enter");
    expect(run.said()).toContain("No project in this organization yet");
    await answer(/New repository name/, "enter");
    await answer(/manual validation/, "enter");
    const approvers = await answer(/Production approvers/, "enter");
    expect(approvers).not.toContain("e5058b72");
    await answer(/need a secret from Key Vault/, "enter");
    await answer(/Save these answers/, "enter");
    expect((await run.result).answers.devops.productionApprovers).toEqual([]);
    expect(run.said()).toContain("production: you, the signed-in user");
  });

  it("stops with what to try when the subscription offers AKS nowhere", async () => {
    const cloud = fakeCloud();
    const none = { ...cloud.lookups, regions: async () => [] };
    const run = start({ lookups: none, calls: cloud.calls }, { gitRemote: null });
    await answer(/Subscription/, "enter");
    const err = await run.result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe("subscription Dev lists no region that offers AKS");
    expect((err as UserError).hint).toContain("Microsoft.ContainerService");
  });

  it("turns Ctrl-C in a prompt into an interruption (exit 130)", async () => {
    const run = start(fakeCloud());
    await until(/Subscription/);
    screen.keypress({ name: "c", ctrl: true });
    await expect(run.result).rejects.toBeInstanceOf(AbortedError);
  });
});

describe("without a terminal", () => {
  it("a prompt reached without a TTY fails naming the field and what provides it", async () => {
    // Given stdin is not a TTY and no test streams
    const was = process.stdin.isTTY;
    Object.defineProperty(process.stdin, "isTTY", { value: false, configurable: true });
    try {
      const cloud = fakeCloud();
      const err = await runWizard({
        lookups: cloud.lookups,
        defaults: {},
        gitRemote: null,
        context: { output: new PassThrough() },
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).message).toContain(
        "azure.subscriptionId is needed, but there is no terminal",
      );
      expect((err as UserError).hint).toContain("AZURE_SUBSCRIPTION_ID");
      // and it fails before calling the cloud
      expect(cloud.calls).toEqual([]);
      const planErr = await confirmPlan({
        plan: planScript().events,
        color: false,
        context: { output: new PassThrough() },
      }).catch((e: unknown) => e);
      expect((planErr as UserError).hint).toContain("--yes");
    } finally {
      Object.defineProperty(process.stdin, "isTTY", { value: was, configurable: true });
    }
  });
});

describe("confirmPlan", () => {
  it("shows the plan screen and asks to apply", async () => {
    const out = new PassThrough();
    const said: string[] = [];
    out.on("data", (c: Buffer) => said.push(c.toString("utf8")));
    const ok = confirmPlan({
      plan: planScript().events,
      color: false,
      context: { input: screen.input, output: out },
    });
    await answer(/Apply these changes\?/, { type: "n" }, "enter");
    await expect(ok).resolves.toBe(false);
    expect(said.join("")).toContain("Plan: 2 to create, 2 to update, 3 unchanged");
  });

  it("with no plan given, only asks (the live view already showed the plan)", async () => {
    const out = new PassThrough();
    const said: string[] = [];
    out.on("data", (c: Buffer) => said.push(c.toString("utf8")));
    const ok = confirmPlan({ context: { input: screen.input, output: out } });
    await answer(/Apply these changes\? \(Y\/n\)/, "enter");
    await expect(ok).resolves.toBe(true);
    expect(said.join("")).toBe("");
  });

  it("asks to destroy with 'no' as the default", async () => {
    const ok = confirmPlan({
      plan: [{ stepId: "a", title: "Resource group rg-x", group: "azure", change: { kind: "delete" } }],
      mode: "destroy",
      context: { input: screen.input, output: new PassThrough() },
    });
    await answer(/Delete everything listed above\? \(y\/N\)/, "enter");
    await expect(ok).resolves.toBe(false);
  });

  it("does not ask when nothing changes", async () => {
    const ok = await confirmPlan({
      plan: [{ stepId: "a", title: "Resource group rg-x", group: "azure", change: { kind: "noop" } }],
      color: false,
      context: { input: screen.input, output: new PassThrough() },
    });
    expect(ok).toBe(true);
  });
});

describe("wizard: approvers checked against the organization", () => {
  /** The organization knows Alex and Megan, and each project's groups; `asked` records look-ups. */
  function withDirectory(asked: string[][] = []): FakeCloud {
    const cloud = fakeCloud();
    const known = ["alex@contoso.com", "megan@contoso.com", "[beta]\\Release Managers"];
    const lookups: WizardLookups = {
      ...cloud.lookups,
      async approvers(_org, names, opts) {
        asked.push([...names, ...(opts?.projectToCreate ? [`create:${opts.projectToCreate}`] : [])]);
        return names.map((name) => {
          const isKnown =
            known.some((k) => k.toLowerCase() === name.toLowerCase()) ||
            (opts?.projectToCreate !== undefined && name === `[${opts.projectToCreate}]\\Contributors`);
          if (isKnown) return { name, known: true };
          return name.startsWith("alx")
            ? { name, known: false, suggestion: "alex@contoso.com" }
            : { name, known: false };
        });
      },
      async devopsUser() {
        return "Ada Lovelace";
      },
    };
    return { lookups, calls: cloud.calls };
  }

  async function toApprovers(): Promise<void> {
    await toRemoteRepository();
    await answer(/manual validation/, "enter");
  }

  it("names an unknown approver with a did-you-mean and asks again; a group is accepted", async () => {
    const asked: string[][] = [];
    const run = start(withDirectory(asked));
    await toApprovers();
    await answer(/Production approvers/, { type: "megan@contoso.com, alx@contoso.com" }, "enter");
    // Then the prompt stays, saying which entry is unknown and what was probably meant
    expect(await until(/not a user or group/)).toContain(
      "alx@contoso.com (did you mean alex@contoso.com?) is not a user or group of this Azure DevOps organization",
    );
    // When the user replaces the answer with a user and a group (a name with a space)
    for (let i = 0; i < 40; i++) screen.keypress("backspace");
    screen.type("alex@contoso.com, [beta]\\Release Managers");
    screen.keypress("enter");
    await answer(/need a secret from Key Vault/, "enter");
    await answer(/Save these answers/, "enter");
    const { answers } = await run.result;
    expect(answers.devops.productionApprovers).toEqual(["alex@contoso.com", "[beta]\\Release Managers"]);
    expect(asked).toContainEqual(["alex@contoso.com", "[beta]\\Release Managers"]);
    expect(run.said()).toContain("production: alex@contoso.com, [beta]\\Release Managers");
  });

  it("empty means the signed-in user, and the review says who that is", async () => {
    const asked: string[][] = [];
    const run = start(withDirectory(asked));
    await toApprovers();
    await answer(/Production approvers/, "enter");
    expect(run.said()).toContain(
      "e-mails or [Project]\\Group, comma-separated; empty = you, the signed-in user",
    );
    await answer(/need a secret from Key Vault/, "enter");
    await answer(/Save these answers/, "enter");
    expect((await run.result).answers.devops.productionApprovers).toEqual([]);
    expect(run.said()).toContain("production: you, the signed-in user (Ada Lovelace)");
    // nothing to look up for an empty answer
    expect(asked).toEqual([]);
  });

  it("for a project the run creates, says which of its groups can be named now", async () => {
    const run = start(withDirectory(), { gitRemote: null });
    await answer(/Subscription/, "enter");
    await answer(/Region/, "enter");
    await answer(/App name/, { type: "shop" }, "enter");
    await answer(/organization URL/, { type: "https://dev.azure.com/contoso" }, "enter");
    await answer(/❯ alpha/, "down", "down", "enter");
    await answer(/New project name/, { type: "shop-x" }, "enter");
    await answer(/New repository name/, "enter");
    await answer(/manual validation/, "enter");
    await answer(/Production approvers/, { type: "[shop-x]\\Release Managers" }, "enter");
    expect(await until(/created by this run/)).toContain("[shop-x]\\Contributors, can be named now");
    for (let i = 0; i < 40; i++) screen.keypress("backspace");
    screen.type("[shop-x]\\Contributors");
    screen.keypress("enter");
    await answer(/need a secret from Key Vault/, "enter");
    await answer(/Save these answers/, "enter");
    expect((await run.result).answers.devops.productionApprovers).toEqual(["[shop-x]\\Contributors"]);
  });

  it("refuses a name that is neither an e-mail nor a [Project]\\Group before asking the organization", async () => {
    const asked: string[][] = [];
    const run = start(withDirectory(asked));
    await toApprovers();
    await answer(/Production approvers/, { type: "release managers" }, "enter");
    expect(await until(/must be an e-mail/)).toContain("or a group as [Project]\\Group");
    expect(asked).toEqual([]);
    screen.keypress({ name: "c", ctrl: true });
    await expect(run.result).rejects.toBeInstanceOf(AbortedError);
  });
});
