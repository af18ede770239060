/**
 * --help text. Lists only commands that work (a command lands here when it is implemented).
 * Kept free of imports so `aks-bootstrap --help` never loads an SDK.
 */
export const commandHelp: Record<string, string> = {
  apply: `aks-bootstrap apply [options]

Create or repair every Azure and Azure DevOps object of the CI/CD for AKS architecture:
plan first, show the changes, ask to confirm (skipped with --yes or --non-interactive),
then converge with live progress. Safe to rerun: what exists is detected, drift is repaired.

Examples:
  aks-bootstrap apply --sandbox --non-interactive --yes     try it on the built-in sandbox
  aks-bootstrap apply --answers aks-bootstrap.yaml          reuse saved answers
  aks-bootstrap apply --answers a.yaml --non-interactive --yes --output json`,
  plan: `aks-bootstrap plan [--detailed-exitcode] [options]

Show every difference between the desired state and what exists, field by field, without
changing anything. With --detailed-exitcode: exit 0 = no changes, 2 = changes pending, 1 = error.`,
  destroy: `aks-bootstrap destroy [--yes --confirm APP] [options]

Remove what aks-bootstrap created for the app, in reverse dependency order, after listing it
and asking for the app name to be typed (without a terminal: --yes --confirm APP). Kept: what
existed before (a project or repository it did not create, resources without its tag). The
Key Vault is soft-deleted, not purged: a later apply recovers it. A second destroy is a no-op.`,
  verify: `aks-bootstrap verify [--approve] [--timeout 60m] [options]

Show the delivery flow working: push a trivial change (.aks-bootstrap/verify.txt) to a new
branch aks-bootstrap/verify-<time>, open a pull request, wait for the PR pipeline and the
branch policies, complete (merge) the pull request, then follow CI and CD live: PR check
passed, PR completed, CI succeeded (the image tag in the non-prod registry), staging deployed,
acceptance tests passed, manual validation, production approval, image imported into the
production registry, production deployed. Each milestone prints its run and link.

It stops at the first gate that needs a person (a manual validation, the production approval,
a reviewer) and prints where to act: exit 3. A run waiting for permission on a resource is
reported with the fix (rerun \`aks-bootstrap apply\`): exit 1. On Azure it merges only with
--yes or after a confirmation in the terminal.

  --approve        sandbox only: approve the approvals and resume the manual validation,
                   and follow CD to production
  --timeout D      give up waiting after D (e.g. 90s, 10m, 1h30m; a bare number is minutes);
                   default 60m

Exit codes: 0 deployed to production, 1 failed (names the failing stage / job / step and its
error) or timed out or waiting for permission, 3 stopped at a gate, 130 interrupted.

Examples:
  aks-bootstrap verify --sandbox --approve      the whole flow on the sandbox
  aks-bootstrap verify --yes                    on Azure: merge without asking; stop at the gate`,
  schema: `aks-bootstrap schema

Print the JSON Schema of the answers file. Editors use it to complete and check answers files:
  aks-bootstrap schema > aks-bootstrap.schema.json`,
  init: `aks-bootstrap init [--save FILE] [options]

Ask the wizard's questions and save the answers file (default aks-bootstrap.yaml) without
changing anything in Azure or Azure DevOps.`,
  sandbox: `aks-bootstrap sandbox serve|env|state|drift|platform|seed-repo [--dir DIR] [options]

The built-in sandbox: a local emulation of Azure Resource Manager, Entra ID, Key Vault and
Azure DevOps on loopback over HTTPS. No account needed.

  sandbox serve [--dir D] [--port P] [--speed X] [--faults SPEC] [--seed N]
      Run it until SIGTERM; prints one JSON line with its endpoints, tenant, subscription,
      client id and CA file when ready (never the secret).
      --speed X divides realistic operation times (an AKS create takes minutes in Azure).
      --faults e.g. "429=0.05,503=0.02,reset=0.01,eventual=0.1,lro-fail=0.02" with --seed N;
      "unit-test-fail=1" makes the unit-test step of pipeline runs fail.
  sandbox env [--dir D]
      Print shell export lines that sign your own tools in to the running sandbox
      (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_AUTHORITY_HOST, ARM
      endpoint, CA files, AZURE_DEVOPS_EXT_PAT, organization URL). Prints secrets, for eval:
        eval "$(aks-bootstrap sandbox env)"
      Exit 1 when no sandbox runs on the folder.
  sandbox state [--dir D]
      Print the emulated state as JSON (secret values redacted).
  sandbox drift [--dir D] [KIND ...]
      Make out-of-band changes to a sandbox deployment, as a careless colleague would, so
      \`plan\` shows them and \`apply\` repairs them. No KIND = every kind:
      role-assignment registry-admin monitoring-addon secret federated-credential
      service-connection approval-check branch-policy variable-group environment
      pipeline-path pipeline-permission edited-file
  sandbox platform [--dir D]
      Add what a platform team already runs, in resource group rg-platform: an AKS cluster
      ready for workload identity, a legacy one without the OIDC issuer, a registry, a Key
      Vault, a workspace and Application Insights. Prints their resource ids, for
      azure.existing in the answers (the wizard offers them too).
  sandbox seed-repo --stack python|python-pip|go|rust [--with-dockerfile] [--dir D]
      Push an existing small app into the sandbox's repository (project and repository
      from the answers, default demo), so \`apply --sandbox\` detects its stack: python is
      Poetry, python-pip has requirements.txt, rust is a stack it cannot detect.
      --with-dockerfile adds the team's own Dockerfile, which aks-bootstrap keeps and uses.`,
};

/** Commands shown in the overview, in order. */
export const implementedCommands = [
  "apply",
  "plan",
  "destroy",
  "verify",
  "init",
  "schema",
  "sandbox",
] as const;

export function overviewHelp(version: string): string {
  return `aks-bootstrap ${version}: CI/CD for AKS apps with Azure Pipelines, set up in one run.

Creates (or finds and repairs) two container registries, two AKS clusters with Container
Insights, Key Vault, Log Analytics and Application Insights, pipeline identities with workload
identity federation and least-privilege roles; and in Azure DevOps the project, repo, service
connections, environments with a production approval, variable groups, the PR / CI / CD
pipelines, their permissions and the branch policy.

Usage: aks-bootstrap [command] [options]

Commands:
  apply            plan, confirm, converge (default)
  plan             show what apply would change; --detailed-exitcode for drift alerts
  destroy          remove what aks-bootstrap created (asks for the app name)
  verify           open a PR, merge it, follow CI and CD to the first gate (--approve: sandbox)
  init             run the wizard and save the answers file only
  schema           print the answers file's JSON Schema
  sandbox serve    run the local Azure + Azure DevOps emulation
  sandbox env      print export lines signing your own tools in to it (eval "$(...)")
  sandbox state    print the sandbox's emulated state
  sandbox drift    make out-of-band changes to a sandbox deployment
  sandbox platform add existing clusters, registry, vault (for azure.existing)
  sandbox seed-repo push an existing app (--stack python ...) into the sandbox repo

Options:
  --answers FILE          answers file (YAML or JSON); default ./aks-bootstrap.yaml if present
  --non-interactive       never prompt; a missing answer is an error naming its flag
  --yes, -y               apply without asking to confirm the plan
  --sandbox[=DIR]         run against the built-in sandbox (state kept in DIR,
                          default ./.sandbox); every answer then has a default
  --output MODE           auto | tty | plain | json (NDJSON events); default auto
  --concurrency N         most steps running at once (default 8)
  --replace-edited-files  overwrite generated files a user edited (default: keep, report)
  --confirm APP           destroy without a terminal: the app name, with --yes
  --approve               verify on the sandbox: approve the gates, follow CD to production
  --timeout D             verify: longest wait, e.g. 90s, 10m, 1h30m (default 60m)
  --app NAME, --tenant ID, --subscription ID, --location REGION,
  --organization URL, --project NAME, --repository NAME
                          override answers (precedence: flag > env > file > defaults)
  --debug                 show stack traces of unexpected errors
  --help, -h              this help; \`aks-bootstrap COMMAND --help\` for a command
  --version, -v           print the version

Environment:
  AZURE_DEVOPS_EXT_PAT    Azure DevOps PAT (default: Entra token from the Azure credential)
  AKS_BOOTSTRAP_APP, AZURE_TENANT_ID, AZURE_SUBSCRIPTION_ID, AKS_BOOTSTRAP_LOCATION,
  AZURE_DEVOPS_ORG_URL (or AZURE_DEVOPS_EXT_DEFAULTS_ORGANIZATION), AKS_BOOTSTRAP_PROJECT
  (or AZURE_DEVOPS_EXT_DEFAULTS_PROJECT), AKS_BOOTSTRAP_REPOSITORY: override answers
  Key Vault secret values come from the variables named by keyVault.secrets[].env.
  NO_COLOR, CI            no colour; plain output

Exit codes: 0 done / no changes, 1 error, 2 changes pending (plan --detailed-exitcode),
3 verify stopped at a gate that needs a person, 130 interrupted.

Try it without an Azure account:
  npx aks-bootstrap apply --sandbox --non-interactive --yes`;
}
