import { parse, parseDocument, visit } from "yaml";
import { describe, expect, it } from "vitest";
import { managedFiles } from "../../steps/repo/generated-files.js";
import { pipelinePaths } from "../../steps/repo/template-input.js";
import { groupVariables, pipelineResources } from "../../steps/devops/variables.js";
import { templateInput } from "./fixtures.js";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function doc(input: ReturnType<typeof templateInput>, path: string): Doc {
  const file = managedFiles(input).find((f) => f.path === path);
  if (!file) throw new Error(`${path} not generated`);
  return parse(file.body) as Doc;
}

/** All steps of a parsed pipeline, wherever they are nested. */
function allSteps(node: unknown, out: Doc[] = []): Doc[] {
  if (Array.isArray(node)) node.forEach((n) => allSteps(n, out));
  else if (node && typeof node === "object") {
    const o = node as Doc;
    if (Array.isArray(o.steps)) out.push(...(o.steps as Doc[]));
    Object.values(o).forEach((v) => allSteps(v, out));
  }
  return out;
}

describe("build-and-test template", () => {
  it("runs the answers' install, lint, build and unit-test commands and publishes results", () => {
    // Given custom commands
    const input = templateInput({
      pipeline: {
        commands: {
          install: "make deps",
          lint: "make lint",
          build: "make",
          unitTest: "make test",
          integrationTest: "make it",
          acceptanceTest: "make at",
        },
      },
    });
    // When the template is generated
    const t = doc(input, pipelinePaths.buildAndTest);
    // Then its scripts are those commands in order, followed by PublishTestResults@2
    expect(t.steps.filter((s: Doc) => s.script).map((s: Doc) => s.script)).toEqual([
      "make deps",
      "make lint",
      "make",
      "make test",
    ]);
    expect(t.steps.at(-1).task).toBe("PublishTestResults@2");
    expect(t.steps.at(-1).condition).toContain("succeededOrFailed()");
  });
});

describe("PR pipeline", () => {
  it("has no CI trigger and runs the shared template", () => {
    const pr = doc(templateInput(), pipelinePaths.pr);
    expect(pr.trigger).toBe("none");
    expect(pr.steps).toEqual([{ template: "templates/build-and-test.yml", parameters: expect.any(Object) }]);
  });
});

describe("CI pipeline", () => {
  const input = templateInput();
  const ci = doc(input, pipelinePaths.ci);

  it("triggers on the default branch only", () => {
    expect(ci.trigger.branches.include).toEqual(["main"]);
    expect(
      doc(
        templateInput({
          devops: {
            organizationUrl: "https://dev.azure.com/c",
            project: "P",
            repository: "r",
            defaultBranch: "trunk",
          },
        }),
        pipelinePaths.ci,
      ).trigger.branches.include,
    ).toEqual(["trunk"]);
  });

  it("maps each Key Vault secret to its env var on the integration-test step only", () => {
    // Given secrets db-password -> DB_PASSWORD and api-key -> API_KEY
    expect(ci.variables).toContainEqual({ group: input.names.variableGroupSecrets });
    const steps = allSteps(ci);
    const it = steps.find((s) => s.script === "npm run test:integration");
    // Then only that step receives them, by env mapping from the linked group's variables
    expect(it?.env).toEqual({ DB_PASSWORD: "$(db-password)", API_KEY: "$(api-key)" });
    expect(steps.filter((s) => s.env)).toHaveLength(1);
  });

  it("omits the secrets group when there are no secrets", () => {
    const noSecrets = doc(templateInput({ keyVault: { secrets: [] } }), pipelinePaths.ci);
    expect(JSON.stringify(noSecrets.variables)).not.toContain("ci-secrets");
    expect(allSteps(noSecrets).find((s) => s.script === "npm run test:integration")?.env).toBeUndefined();
  });

  it("builds and pushes the image through the registry connection, tagged with the build id, and publishes the manifests", () => {
    const steps = allSteps(ci);
    const docker = steps.find((s) => s.task === "Docker@2");
    expect(docker?.inputs).toMatchObject({
      command: "buildAndPush",
      containerRegistry: input.names.registryConnection,
      repository: "$(imageRepository)",
      tags: "$(tag)",
    });
    expect(ci.variables).toContainEqual({ name: "tag", value: "$(Build.BuildId)" });
    const artifact = steps.find((s) => s.task === "PublishPipelineArtifact@1");
    expect(artifact?.inputs).toMatchObject({
      targetPath: "$(Build.SourcesDirectory)/deploy/k8s",
      artifact: "manifests",
    });
    // The template runs before the integration tests and the image build
    expect(steps.findIndex((s) => s.template)).toBeLessThan(steps.findIndex((s) => s.task === "Docker@2"));
  });
});

describe("CD pipeline", () => {
  const input = templateInput();
  const cd = doc(input, pipelinePaths.cd);
  const stage = (name: string) => cd.stages.find((s: Doc) => s.stage === name) as Doc;

  it("is triggered only by CI runs on the default branch", () => {
    expect(cd.trigger).toBe("none");
    expect(cd.resources.pipelines).toEqual([
      { pipeline: "ci", source: input.names.pipelineCi, trigger: { branches: { include: ["main"] } } },
    ]);
    expect(cd.variables).toContainEqual({ name: "imageTag", value: "$(resources.pipeline.ci.runID)" });
  });

  it("orders staging -> production without manual validation", () => {
    expect(cd.stages.map((s: Doc) => s.stage)).toEqual(["staging", "production"]);
    expect(stage("production").dependsOn).toBe("staging");
  });

  it("deploys staging from its variable group over the staging ARM connection, namespace first", () => {
    const s = stage("staging");
    expect(s.variables).toEqual([{ group: input.names.variableGroupStaging }]);
    const job = s.jobs.find((j: Doc) => j.deployment);
    expect(job.environment).toBe(input.names.environmentStaging);
    const k8s = allSteps(job).filter((x) => x.task === "KubernetesManifest@1");
    expect(k8s.map((x) => x.inputs.action)).toEqual(["deploy", "createSecret", "deploy"]);
    expect(k8s[0]!.inputs.manifests).toMatch(/namespace\.yaml$/);
    for (const x of k8s) {
      expect(x.inputs).toMatchObject({
        connectionType: "azureResourceManager",
        azureSubscriptionConnection: input.names.connectionStaging,
        azureResourceGroup: `$(${groupVariables.resourceGroup})`,
        kubernetesCluster: `$(${groupVariables.clusterName})`,
        useClusterAdmin: false,
      });
    }
    expect(k8s[1]!.inputs.secretArguments).toContain(`$(${groupVariables.appInsightsConnectionString})`);
    expect(k8s[2]!.inputs.containers).toBe(`$(${groupVariables.registryLoginServer})/demo:$(imageTag)`);
  });

  it("runs acceptance tests after the staging deployment", () => {
    const acc = stage("staging").jobs.find((j: Doc) => j.job === "acceptance");
    expect(acc.dependsOn).toBe("deploy_staging");
    expect(JSON.stringify(acc)).toContain("npm run test:acceptance");
  });

  it("promotes with az acr import over the production connection, inside the approved production job", () => {
    const s = stage("production");
    expect(s.variables).toEqual([{ group: input.names.variableGroupProd }]);
    // The import is the production deployment job's first step: the environment's Approval
    // check gates the first use of the production connection, not only the deploy.
    expect(s.jobs).toHaveLength(1);
    expect(s.jobs[0].environment).toBe(input.names.environmentProd);
    const steps = allSteps(s.jobs[0]);
    const cli = steps.find((x) => x.task === "AzureCLI@2");
    expect(steps.indexOf(cli!)).toBeLessThan(steps.findIndex((x) => x.task === "KubernetesManifest@1"));
    expect(cli?.inputs.azureSubscription).toBe(input.names.connectionProd);
    expect(cli?.inputs.inlineScript).toMatch(
      /^az acr import --name "\$\(prodRegistryName\)" --source "\$\(sourceRegistryLoginServer\)\/demo:\$\(imageTag\)" --image "demo:\$\(imageTag\)"/,
    );
  });

  it("deploys production on its environment with the production connection and group", () => {
    const s = stage("production");
    expect(s.variables).toEqual([{ group: input.names.variableGroupProd }]);
    const job = s.jobs[0];
    expect(job.environment).toBe(input.names.environmentProd);
    expect(
      allSteps(job)
        .filter((x) => x.task === "KubernetesManifest@1")
        .every((x) => x.inputs.azureSubscriptionConnection === input.names.connectionProd),
    ).toBe(true);
  });

  it("adds an agentless manual validation between staging and production when enabled", () => {
    // Given manual validation with approvers and a timeout
    const mv = doc(
      templateInput({
        pipeline: {
          manualValidation: {
            enabled: true,
            approvers: ["a@contoso.com", "b@contoso.com"],
            timeoutMinutes: 90,
            instructions: "Look",
          },
        },
      }),
      pipelinePaths.cd,
    );
    // Then a server job runs ManualValidation@1 that rejects on timeout and forbids self-approval
    expect(mv.stages.map((s: Doc) => s.stage)).toEqual(["staging", "validate", "production"]);
    const v = mv.stages[1];
    expect(v.dependsOn).toBe("staging");
    expect(mv.stages[2].dependsOn).toBe("validate");
    const job = v.jobs[0];
    expect(job.pool).toBe("server");
    const step = job.steps[0];
    expect(step.task).toBe("ManualValidation@1");
    expect(step.timeoutInMinutes).toBe(90);
    expect(Number(job.timeoutInMinutes)).toBeGreaterThan(90);
    expect(step.inputs).toEqual({
      notifyUsers: "a@contoso.com\nb@contoso.com",
      approvers: "a@contoso.com,b@contoso.com",
      instructions: "Look",
      onTimeout: "reject",
      allowApproversToApproveTheirOwnRuns: false,
    });
  });
});

describe("generated files", () => {
  it("use no YAML anchors or aliases (Azure Pipelines rejects them)", () => {
    for (const f of managedFiles(templateInput({ pipeline: { manualValidation: { enabled: true } } }))) {
      const d = parseDocument(f.body);
      let aliases = 0;
      visit(d, { Alias: () => void aliases++ });
      expect({ path: f.path, aliases, anchors: /(^|\s)&\w+/m.test(f.body) }).toEqual({
        path: f.path,
        aliases: 0,
        anchors: false,
      });
    }
  });

  it("are the same for the same answers (pure) and differ when an answer changes", () => {
    expect(managedFiles(templateInput())).toEqual(managedFiles(templateInput()));
    expect(managedFiles(templateInput({ pipeline: { containerPort: 3000 } }))).not.toEqual(
      managedFiles(templateInput()),
    );
  });
});

describe("resources the pipelines use", () => {
  /** Service connections, variable groups and environments a parsed pipeline names. */
  function used(
    node: unknown,
    out = {
      serviceConnections: new Set<string>(),
      variableGroups: new Set<string>(),
      environments: new Set<string>(),
    },
  ) {
    if (Array.isArray(node)) node.forEach((n) => used(n, out));
    else if (node && typeof node === "object") {
      const o = node as Doc;
      if (typeof o.group === "string") out.variableGroups.add(o.group);
      if (typeof o.environment === "string") out.environments.add(o.environment);
      for (const key of ["azureSubscription", "azureSubscriptionConnection", "containerRegistry"]) {
        if (typeof o[key] === "string") out.serviceConnections.add(o[key]);
      }
      Object.values(o).forEach((v) => used(v, out));
    }
    return out;
  }

  it("match the permissions table of the Azure DevOps steps (CI's connection is used by its Key Vault group)", () => {
    // Given the per-pipeline resources the permissions step grants
    const input = templateInput({ pipeline: { manualValidation: { enabled: true } } });
    const table = pipelineResources(input.names);
    for (const kind of ["pr", "ci", "cd"] as const) {
      // When collecting what each generated pipeline names
      const u = used(doc(input, pipelinePaths[kind]));
      const expected = table[kind];
      // Then it uses exactly those (sc-APP-ci reaches CI through the Key Vault linked group, not the YAML)
      expect([...u.serviceConnections].sort()).toEqual(
        expected.serviceConnections.filter((c) => c !== input.names.connectionCi).sort(),
      );
      expect([...u.variableGroups].sort()).toEqual([...expected.variableGroups].sort());
      expect([...u.environments].sort()).toEqual([...expected.environments].sort());
    }
  });
});
