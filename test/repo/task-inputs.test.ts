import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { fileText, managedFiles } from "../../steps/repo/generated-files.js";
import { stackExamples, stackInput, templateInput } from "./fixtures.js";

/**
 * The inputs each task accepts, recorded from the tasks' task.json in
 * microsoft/azure-pipelines-tasks (Tasks/<Name>V<n>/task.json: `inputs[].name` and `aliases`,
 * pickList `options`, `required` with the `visibleRule` that makes it apply). ManualValidation
 * runs only in agentless (server) jobs (`runsOn: ["Server"]`).
 */
interface TaskSpec {
  /** Input name -> allowed values (pickList options) or null for free text. Aliases listed as names. */
  readonly inputs: Readonly<Record<string, readonly string[] | null>>;
  /** Required inputs, each with the condition (input = value) under which it applies. */
  readonly required: ReadonlyArray<{
    readonly input: readonly string[];
    readonly when?: readonly [string, string];
  }>;
  readonly server?: boolean;
}

const tasks: Record<string, TaskSpec> = {
  "KubernetesManifest@1": {
    inputs: {
      action: ["bake", "createSecret", "delete", "deploy", "patch", "promote", "scale", "reject"],
      connectionType: ["azureResourceManager", "kubernetesServiceConnection"],
      kubernetesServiceEndpoint: null,
      kubernetesServiceConnection: null,
      azureSubscriptionEndpoint: null,
      azureSubscriptionConnection: null,
      azureResourceGroup: null,
      kubernetesCluster: null,
      useClusterAdmin: ["true", "false"],
      namespace: null,
      strategy: ["canary", "none"],
      trafficSplitMethod: ["pod", "smi"],
      percentage: null,
      baselineAndCanaryReplicas: null,
      manifests: null,
      containers: null,
      imagePullSecrets: null,
      renderType: ["helm", "kompose", "kustomize"],
      dockerComposeFile: null,
      helmChart: null,
      releaseName: null,
      overrideFiles: null,
      overrides: null,
      kustomizationPath: null,
      resourceToPatch: ["file", "name"],
      resourceFileToPatch: null,
      kind: ["deployment", "replicaset", "statefulset"],
      name: null,
      replicas: null,
      mergeStrategy: ["json", "merge", "strategic"],
      arguments: null,
      patch: null,
      secretType: ["dockerRegistry", "generic"],
      secretName: null,
      secretArguments: null,
      dockerRegistryEndpoint: null,
      rolloutStatusTimeout: null,
    },
    required: [
      { input: ["connectionType"] },
      {
        input: ["azureSubscriptionEndpoint", "azureSubscriptionConnection"],
        when: ["connectionType", "azureResourceManager"],
      },
      { input: ["azureResourceGroup"], when: ["connectionType", "azureResourceManager"] },
      { input: ["kubernetesCluster"], when: ["connectionType", "azureResourceManager"] },
      { input: ["manifests"], when: ["action", "deploy"] },
      { input: ["secretType"], when: ["action", "createSecret"] },
    ],
  },
  "ManualValidation@1": {
    inputs: {
      notifyUsers: null,
      approvers: null,
      allowApproversToApproveTheirOwnRuns: ["true", "false"],
      instructions: null,
      onTimeout: ["reject", "resume"],
    },
    required: [{ input: ["notifyUsers"] }],
    server: true,
  },
  "AzureCLI@2": {
    inputs: {
      connectedServiceNameARM: null,
      azureSubscription: null,
      scriptType: ["ps", "pscore", "batch", "bash"],
      scriptLocation: ["inlineScript", "scriptPath"],
      scriptPath: null,
      inlineScript: null,
      scriptArguments: null,
      arguments: null,
      powerShellErrorActionPreference: ["stop", "continue", "silentlyContinue"],
      addSpnToEnvironment: ["true", "false"],
      useGlobalConfig: ["true", "false"],
      cwd: null,
      workingDirectory: null,
      failOnStandardError: ["true", "false"],
      powerShellIgnoreLASTEXITCODE: ["true", "false"],
      visibleAzLogin: ["true", "false"],
      allowNoSubscriptions: ["true", "false"],
      keepAzSessionActive: ["true", "false"],
    },
    required: [
      { input: ["connectedServiceNameARM", "azureSubscription"] },
      { input: ["scriptType"] },
      { input: ["scriptLocation"] },
      { input: ["inlineScript"], when: ["scriptLocation", "inlineScript"] },
    ],
  },
  "Docker@2": {
    inputs: {
      containerRegistry: null,
      repository: null,
      command: ["buildAndPush", "build", "push", "login", "logout", "start", "stop"],
      Dockerfile: null,
      buildContext: null,
      tags: null,
      arguments: null,
      addPipelineData: ["true", "false"],
      addBaseImageData: ["true", "false"],
      container: null,
    },
    required: [{ input: ["command"] }, { input: ["Dockerfile"], when: ["command", "buildAndPush"] }],
  },
  "PublishTestResults@2": {
    inputs: {
      testRunner: ["JUnit", "NUnit", "VSTest", "XUnit"],
      testResultsFormat: ["JUnit", "NUnit", "VSTest", "XUnit"],
      testResultsFiles: null,
      searchFolder: null,
      mergeTestResults: ["true", "false"],
      testRunTitle: null,
      platform: null,
      buildPlatform: null,
      configuration: null,
      buildConfiguration: null,
      publishRunAttachments: ["true", "false"],
    },
    required: [{ input: ["testRunner", "testResultsFormat"] }, { input: ["testResultsFiles"] }],
  },
  "PublishPipelineArtifact@1": {
    inputs: {
      path: null,
      targetPath: null,
      artifactName: null,
      artifact: null,
      artifactType: ["pipeline", "filepath"],
      publishLocation: ["pipeline", "filepath"],
      fileSharePath: null,
      parallel: ["true", "false"],
      parallelCount: null,
      properties: null,
    },
    required: [{ input: ["path", "targetPath"] }, { input: ["artifactType", "publishLocation"] }],
  },
  "NodeTool@0": {
    inputs: {
      versionSource: ["spec", "fromFile"],
      versionSpec: null,
      versionFilePath: null,
      checkLatest: ["true", "false"],
      force32bit: ["true", "false"],
      nodejsMirror: null,
    },
    required: [{ input: ["versionSource"] }],
  },
  // Tasks/UsePythonVersionV0/task.json
  "UsePythonVersion@0": {
    inputs: {
      versionSpec: null,
      disableDownloadFromRegistry: ["true", "false"],
      allowUnstable: ["true", "false"],
      githubToken: null,
      addToPath: ["true", "false"],
      architecture: ["x86", "x64"],
    },
    required: [{ input: ["versionSpec"] }, { input: ["architecture"] }],
  },
  // Tasks/UseDotNetV2/task.json: version applies when useGlobalJson is false.
  "UseDotNet@2": {
    inputs: {
      packageType: ["runtime", "sdk"],
      useGlobalJson: ["true", "false"],
      workingDirectory: null,
      version: null,
      vsVersion: null,
      includePreviewVersions: ["true", "false"],
      installationPath: null,
      performMultiLevelLookup: ["true", "false"],
      requestTimeout: null,
    },
    required: [],
  },
  // Tasks/JavaToolInstallerV0/task.json
  "JavaToolInstaller@0": {
    inputs: {
      versionSpec: null,
      jdkArchitectureOption: ["x64", "x86"],
      jdkSourceOption: ["AzureStorage", "LocalDirectory", "PreInstalled"],
      jdkFile: null,
      azureResourceManagerEndpoint: null,
      azureStorageAccountName: null,
      azureContainerName: null,
      azureCommonVirtualFile: null,
      jdkDestinationDirectory: null,
      azureResourceGroupName: null,
      cleanDestinationDirectory: ["true", "false"],
      createExtractDirectory: ["true", "false"],
    },
    required: [
      { input: ["versionSpec"] },
      { input: ["jdkArchitectureOption"] },
      { input: ["jdkSourceOption"] },
    ],
  },
  // Tasks/GoToolV0/task.json
  "GoTool@0": {
    inputs: { version: null, goPath: null, goBin: null },
    required: [{ input: ["version"] }],
  },
};

interface TaskUse {
  readonly file: string;
  readonly task: string;
  readonly inputs: Record<string, unknown>;
  readonly serverJob: boolean;
}

/** Every `task:` step in a parsed pipeline, with whether its job is agentless. */
function taskUses(file: string, node: unknown, serverJob = false, out: TaskUse[] = []): TaskUse[] {
  if (Array.isArray(node)) {
    for (const n of node) taskUses(file, n, serverJob, out);
  } else if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    const isServer = serverJob || o.pool === "server";
    if (typeof o.task === "string")
      out.push({
        file,
        task: o.task,
        inputs: (o.inputs ?? {}) as Record<string, unknown>,
        serverJob: isServer,
      });
    for (const v of Object.values(o)) taskUses(file, v, isServer, out);
  }
  return out;
}

/** Problems with one use of a task, against the table. */
function problems(use: TaskUse): string[] {
  const spec = tasks[use.task];
  if (!spec) return [`${use.task}: not in the recorded table`];
  const out: string[] = [];
  const given = Object.fromEntries(Object.entries(use.inputs).map(([k, v]) => [k, String(v)]));
  for (const [name, value] of Object.entries(given)) {
    if (!(name in spec.inputs)) out.push(`${use.task}: unknown input ${name}`);
    const allowed = spec.inputs[name];
    if (allowed && !value.includes("$(") && !allowed.includes(value))
      out.push(`${use.task}: ${name}=${value} not one of ${allowed.join(", ")}`);
  }
  for (const r of spec.required) {
    if (r.when && given[r.when[0]] !== r.when[1]) continue;
    if (!r.input.some((i) => given[i] !== undefined && given[i] !== ""))
      out.push(`${use.task}: missing required ${r.input.join("/")}`);
  }
  if (spec.server && !use.serverJob) out.push(`${use.task}: runs only in an agentless job (pool: server)`);
  return out;
}

const variants = [
  templateInput(),
  templateInput({ pipeline: { manualValidation: { enabled: true, approvers: ["ops@contoso.com"] } } }),
  templateInput({ pipeline: { manualValidation: { enabled: true } }, keyVault: { secrets: [] } }),
  ...Object.values(stackExamples).map((stack) => stackInput(stack)),
];

describe("task inputs in the generated pipelines", () => {
  const uses = variants.flatMap((input) =>
    managedFiles(input)
      .filter((f) => f.path.startsWith(".azure-pipelines/"))
      .flatMap((f) => taskUses(f.path, parse(fileText(f)))),
  );

  it("uses every task the table records and nothing else", () => {
    // Given every generated pipeline When collecting task steps Then each task is a recorded one
    expect(new Set(uses.map((u) => u.task))).toEqual(new Set(Object.keys(tasks)));
  });

  it("passes each task only inputs it accepts, with allowed values and its required inputs", () => {
    expect(uses.flatMap(problems)).toEqual([]);
  });

  it("flags an unknown input, a bad pickList value, a missing required input and a server task on an agent", () => {
    // Given deliberately wrong uses Then the checker reports each (so the test above can fail)
    expect(
      problems({
        file: "x",
        task: "KubernetesManifest@1",
        inputs: { connectionType: "azureResourceManager", clusterAdmin: true },
        serverJob: false,
      }),
    ).toEqual([
      "KubernetesManifest@1: unknown input clusterAdmin",
      "KubernetesManifest@1: missing required azureSubscriptionEndpoint/azureSubscriptionConnection",
      "KubernetesManifest@1: missing required azureResourceGroup",
      "KubernetesManifest@1: missing required kubernetesCluster",
    ]);
    expect(
      problems({
        file: "x",
        task: "ManualValidation@1",
        inputs: { notifyUsers: "a", onTimeout: "later" },
        serverJob: false,
      }),
    ).toEqual([
      "ManualValidation@1: onTimeout=later not one of reject, resume",
      "ManualValidation@1: runs only in an agentless job (pool: server)",
    ]);
  });
});
