import { describe, expect, it } from "vitest";
import { evaluateCondition } from "../../src/sandbox/devops/runs/conditions.js";
import {
  branchMatches,
  loadPipeline,
  PipelineYamlError,
} from "../../src/sandbox/devops/runs/pipeline-yaml.js";

/** How a sandbox run reads a pipeline: templates, shapes, filters and conditions. */
const files = (map: Record<string, string>) => (path: string) => map[path];

describe("reading a YAML pipeline as a run does", () => {
  it("inlines a steps template relative to the including file, with typed parameters", () => {
    const model = loadPipeline(
      "/.azure-pipelines/ci.yml",
      files({
        "/.azure-pipelines/ci.yml":
          "trigger:\n  branches:\n    include: [main]\n  paths:\n    exclude: ['*.md']\nsteps:\n  - template: templates/t.yml\n    parameters:\n      publish: false\n",
        "/.azure-pipelines/templates/t.yml":
          "parameters:\n  - name: publish\n    type: boolean\n    default: 'true'\nsteps:\n  - script: npm test\n    displayName: Unit tests\n  - task: PublishTestResults@2\n    condition: and(succeededOrFailed(), eq('${{ parameters.publish }}', 'True'))\n",
      }),
    );
    const steps = model.stages[0]?.jobs[0]?.steps ?? [];
    expect(model.stages.map((s) => s.name)).toEqual(["__default"]);
    expect(steps.map((s) => s.displayName)).toEqual(["Checkout self", "Unit tests", "PublishTestResults"]);
    expect(steps[2]?.plan.condition).toBe("and(succeededOrFailed(), eq('False', 'True'))");
    expect(model.triggerPaths.exclude).toEqual(["*.md"]);
    expect(model.trigger !== "none" && branchMatches(model.trigger, "refs/heads/main")).toBe(true);
    expect(model.trigger !== "none" && branchMatches(model.trigger, "refs/heads/feature/x")).toBe(false);
  });

  it("makes a stage without dependsOn depend on the previous one, and reads deployment jobs", () => {
    const model = loadPipeline(
      "/cd.yml",
      files({
        "/cd.yml":
          "trigger: none\nstages:\n  - stage: a\n    jobs:\n      - deployment: d\n        environment: app-staging\n        strategy:\n          runOnce:\n            deploy:\n              steps:\n                - script: echo\n  - stage: b\n    jobs:\n      - job: v\n        pool: server\n        steps:\n          - task: ManualValidation@1\n",
      }),
    );
    expect(model.trigger).toBe("none");
    expect(model.stages.map((s) => [s.name, s.dependsOn])).toEqual([
      ["a", []],
      ["b", ["a"]],
    ]);
    expect(model.stages[0]?.jobs[0]).toMatchObject({ environment: "app-staging", server: false });
    // Deployment and server jobs check nothing out.
    expect(model.stages[1]?.jobs[0]?.steps.map((s) => s.plan.task)).toEqual(["ManualValidation@1"]);
  });

  it("inlines stage and job templates, each resolving its own templates relative to itself", () => {
    const model = loadPipeline(
      "/p/main.yml",
      files({
        "/p/main.yml": "stages:\n  - template: t/stage.yml\n    parameters: { env: prod }\n",
        "/p/t/stage.yml":
          "parameters:\n  - name: env\nstages:\n  - stage: deploy_${{ parameters.env }}\n    jobs:\n      - template: job.yml\n",
        "/p/t/job.yml":
          "jobs:\n  - job: j\n    steps:\n      - checkout: none\n      - template: steps.yml\n",
        "/p/t/steps.yml": "steps:\n  - script: echo\n    displayName: Hello\n",
      }),
    );
    expect(model.stages.map((s) => s.name)).toEqual(["deploy_prod"]);
    // checkout: none means no checkout step at all.
    expect(model.stages[0]?.jobs[0]?.steps.map((s) => s.displayName)).toEqual(["Hello"]);
  });

  it("binds runtime parameters (the root's) to the run's templateParameters", () => {
    const read = files({
      "/p.yml":
        "parameters:\n  - name: target\n    default: staging\n    values: [staging, production]\nsteps:\n  - script: deploy ${{ parameters.target }}\n    displayName: Deploy to ${{ parameters.target }}\n",
    });
    expect(loadPipeline("/p.yml", read).stages[0]?.jobs[0]?.steps[1]?.displayName).toBe("Deploy to staging");
    expect(
      loadPipeline("/p.yml", read, { target: "production" }).stages[0]?.jobs[0]?.steps[1]?.displayName,
    ).toBe("Deploy to production");
    expect(() => loadPipeline("/p.yml", read, { target: "moon" })).toThrow(
      "'target' parameter value 'moon' is not a valid value",
    );
    expect(() => loadPipeline("/p.yml", read, { other: "x" })).toThrow("Unexpected parameter 'other'");
  });

  it("names the file when a template is missing or a parameter unknown", () => {
    expect(() => loadPipeline("/p.yml", files({ "/p.yml": "steps:\n  - template: nope.yml\n" }))).toThrow(
      new PipelineYamlError("File /nope.yml not found in repository."),
    );
    expect(() =>
      loadPipeline(
        "/p.yml",
        files({
          "/p.yml": "steps:\n  - template: t.yml\n    parameters: { x: 1 }\n",
          "/t.yml": "steps: []\n",
        }),
      ),
    ).toThrow("/t.yml: Unexpected parameter 'x'.");
  });
});

describe("conditions", () => {
  const ctx = (anyFailed: boolean) => ({
    succeeded: !anyFailed,
    failed: anyFailed,
    canceled: false,
    variable: (n: string) => (n.toLowerCase() === "build.reason" ? "PullRequest" : undefined),
  });
  it("evaluates the functions pipelines use", () => {
    expect(evaluateCondition("succeeded()", ctx(false))).toBe(true);
    expect(evaluateCondition("succeeded()", ctx(true))).toBe(false);
    expect(evaluateCondition("succeededOrFailed()", ctx(true))).toBe(true);
    expect(evaluateCondition("and(succeededOrFailed(), eq('False', 'True'))", ctx(false))).toBe(false);
    expect(evaluateCondition("ne(variables['Build.Reason'], 'pullrequest')", ctx(false))).toBe(false);
    expect(
      evaluateCondition("or(failed(), in(variables['Build.Reason'], 'Manual', 'PullRequest'))", ctx(false)),
    ).toBe(true);
  });
});
