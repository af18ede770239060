import { toYaml } from "./yaml-text.js";
import type { GeneratedFile, TemplateInput } from "./template-input.js";
import {
  appConfigSecretName,
  commandsOf,
  groupVariables as v,
  healthPath,
  imageRegistryPlaceholder,
  manifestPaths,
  manifestsArtifact,
  pipelinePaths,
  stackOf,
} from "./template-input.js";
import { publishTestResults } from "./pipeline-build-and-test.js";
import { setupSteps } from "./stack/toolchain.js";

type Yaml = Record<string, unknown>;

/** Alias of the CI pipeline resource; `$(resources.pipeline.ci.runID)` is the image tag. */
export const ciResourceAlias = "ci";

const manifestsDir = `$(Pipeline.Workspace)/${ciResourceAlias}/${manifestsArtifact}`;
const fileName = (path: string) => path.slice(path.lastIndexOf("/") + 1);

/**
 * KubernetesManifest@1 over an Azure Resource Manager connection: the task fetches user
 * (never admin) credentials and converts them with kubelogin, which works with local
 * accounts disabled and Entra ID + Azure RBAC.
 */
function k8sConnection(connection: string): Yaml {
  return {
    connectionType: "azureResourceManager",
    azureSubscriptionConnection: connection,
    azureResourceGroup: `$(${v.resourceGroup})`,
    kubernetesCluster: `$(${v.clusterName})`,
    useClusterAdmin: false,
  };
}

/** Steps of a deployment job: namespace first, then the config secret, then the app. */
function deploySteps(input: TemplateInput, connection: string): Yaml[] {
  const { app } = input.answers;
  const repo = input.names.imageRepository;
  const conn = k8sConnection(connection);
  return [
    { download: ciResourceAlias, artifact: manifestsArtifact, displayName: "Download the manifests" },
    {
      task: "KubernetesManifest@1",
      displayName: "Create the namespace",
      inputs: {
        action: "deploy",
        ...conn,
        manifests: `${manifestsDir}/${fileName(manifestPaths.namespace)}`,
      },
    },
    {
      task: "KubernetesManifest@1",
      displayName: "Store the Application Insights connection string",
      inputs: {
        action: "createSecret",
        ...conn,
        namespace: `$(${v.namespace})`,
        secretType: "generic",
        secretName: appConfigSecretName(app),
        secretArguments: `--from-literal=APPLICATIONINSIGHTS_CONNECTION_STRING="$(${v.appInsightsConnectionString})"`,
      },
    },
    {
      // The task swaps `containers` only into images that already name the same registry, so
      // the placeholder registry is first replaced with this environment's login server.
      script: `sed -i "s#image: ${imageRegistryPlaceholder}/${repo}#image: $(${v.registryLoginServer})/${repo}#" "${manifestsDir}/${fileName(manifestPaths.deployment)}"`,
      displayName: "Point the manifests at this environment's registry",
    },
    {
      task: "KubernetesManifest@1",
      displayName: "Deploy",
      inputs: {
        action: "deploy",
        ...conn,
        namespace: `$(${v.namespace})`,
        manifests: [manifestPaths.deployment, manifestPaths.service]
          .map((p) => `${manifestsDir}/${fileName(p)}`)
          .join("\n"),
        containers: `$(${v.registryLoginServer})/${repo}:$(imageTag)`,
        rolloutStatusTimeout: "600",
      },
    },
  ];
}

function deploymentJob(
  input: TemplateInput,
  name: string,
  environment: string,
  connection: string,
  first: readonly Yaml[] = [],
): Yaml {
  return {
    deployment: name,
    displayName: `Deploy to ${environment}`,
    environment,
    strategy: { runOnce: { deploy: { steps: [...first, ...deploySteps(input, connection)] } } },
  };
}

/** Acceptance tests against the staging service's public address, found with the staging connection. */
function acceptanceJob(input: TemplateInput): Yaml {
  const { answers, names } = input;
  const c = commandsOf(input);
  const script = [
    "set -euo pipefail",
    `az aks get-credentials --resource-group "$(${v.resourceGroup})" --name "$(${v.clusterName})" --overwrite-existing`,
    "kubelogin convert-kubeconfig -l azurecli",
    "ip=''",
    "for _ in $(seq 1 60); do",
    `  ip=$(kubectl get service ${answers.app} --namespace "$(${v.namespace})" -o jsonpath='{.status.loadBalancer.ingress[0].ip}')`,
    '  [ -n "$ip" ] && break',
    "  sleep 10",
    "done",
    '[ -n "$ip" ] || { echo "The service has no external address yet"; exit 1; }',
    'export APP_URL="http://$ip"',
    `curl --fail --silent --show-error --retry 10 --retry-all-errors --retry-delay 5 "$APP_URL${healthPath}" > /dev/null`,
    c.acceptanceTest,
  ].join("\n");
  return {
    job: "acceptance",
    displayName: "Acceptance tests",
    dependsOn: "deploy_staging",
    steps: [
      { checkout: "self" },
      ...setupSteps(stackOf(input)),
      { script: c.install, displayName: "Install dependencies" },
      {
        task: "AzureCLI@2",
        displayName: "Run acceptance tests against staging",
        inputs: {
          azureSubscription: names.connectionStaging,
          scriptType: "bash",
          scriptLocation: "inlineScript",
          inlineScript: script,
        },
      },
      publishTestResults(input, "Acceptance tests (staging)", "Publish acceptance test results"),
    ],
  };
}

function manualValidationStage({ answers }: TemplateInput): Yaml {
  const mv = answers.pipeline.manualValidation;
  // notifyUsers is required; without named approvers the project's contributors are notified
  // and anyone allowed to queue the pipeline may act on it.
  const notify =
    mv.approvers.length > 0 ? mv.approvers.join("\n") : `[${answers.devops.project}]\\Contributors`;
  return {
    stage: "validate",
    displayName: "Manual validation",
    dependsOn: "staging",
    jobs: [
      {
        job: "manual_validation",
        displayName: "Wait for validation",
        pool: "server",
        // The job must outlive the task, or the job timeout would cut the wait short.
        // A string here, a number on the step: as the pipeline schema types them (Azure reads both alike).
        timeoutInMinutes: String(mv.timeoutMinutes + 60),
        steps: [
          {
            task: "ManualValidation@1",
            timeoutInMinutes: mv.timeoutMinutes,
            inputs: {
              notifyUsers: notify,
              ...(mv.approvers.length > 0 ? { approvers: mv.approvers.join(",") } : {}),
              instructions: mv.instructions,
              onTimeout: "reject",
              // A named validator is a second person; without one, whoever may run it resumes.
              ...(mv.approvers.length > 0 ? { allowApproversToApproveTheirOwnRuns: false } : {}),
            },
          },
        ],
      },
    ],
  };
}

/**
 * Copies the tested image from the non-prod registry to the production registry, as the
 * production identity (Data Importer on both registries). It runs INSIDE the production
 * deployment job, so the production environment's Approval check gates the first use of the
 * production connection too, not only the deploy.
 */
function importStep({ names }: TemplateInput): Yaml {
  const repo = names.imageRepository;
  return {
    task: "AzureCLI@2",
    displayName: `Promote ${repo}:$(imageTag) into the production registry (az acr import)`,
    inputs: {
      azureSubscription: names.connectionProd,
      scriptType: "bash",
      scriptLocation: "inlineScript",
      // --force makes a rerun of this job succeed when the tag was already imported.
      inlineScript: `az acr import --name "$(${v.prodRegistryName})" --source "$(${v.sourceRegistryLoginServer})/${repo}:$(imageTag)" --image "${repo}:$(imageTag)" --force`,
    },
  };
}

/**
 * CD: triggered by each successful CI run on the default branch; staging, acceptance tests,
 * optional manual validation, then production (whose environment's Approval check gates both the
 * promotion with az acr import and the deploy).
 */
export function cdPipeline(input: TemplateInput): GeneratedFile {
  const { answers, names } = input;
  const stages: Yaml[] = [
    {
      stage: "staging",
      displayName: "Staging",
      variables: [{ group: names.variableGroupStaging }],
      jobs: [
        deploymentJob(input, "deploy_staging", names.environmentStaging, names.connectionStaging),
        acceptanceJob(input),
      ],
    },
  ];
  if (answers.pipeline.manualValidation.enabled) stages.push(manualValidationStage(input));
  stages.push({
    stage: "production",
    displayName: "Promote and deploy to production",
    dependsOn: answers.pipeline.manualValidation.enabled ? "validate" : "staging",
    variables: [{ group: names.variableGroupProd }],
    jobs: [
      deploymentJob(input, "deploy_production", names.environmentProd, names.connectionProd, [
        importStep(input),
      ]),
    ],
  });
  const doc = {
    trigger: "none",
    pr: "none",
    resources: {
      pipelines: [
        {
          pipeline: ciResourceAlias,
          source: names.pipelineCi,
          trigger: { branches: { include: [answers.devops.defaultBranch] } },
        },
      ],
    },
    variables: [{ name: "imageTag", value: `$(resources.pipeline.${ciResourceAlias}.runID)` }],
    pool: { vmImage: "ubuntu-latest" },
    stages,
  };
  return { path: pipelinePaths.cd, body: toYaml(doc), mode: "managed" };
}
