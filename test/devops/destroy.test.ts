import { afterEach, describe, expect, test } from "vitest";
import { applyRun, destroyRun } from "../../src/engine/runner.js";
import { ids } from "../../steps/ids.js";
import { POLICY_TYPES } from "../../steps/devops/branch-policy.js";
import { devopsState, startDevopsBed, type DevopsBed } from "./harness.js";

async function ficNames(bed: DevopsBed): Promise<string[]> {
  const out: string[] = [];
  for (const role of ["ci", "staging", "prod"] as const) {
    const identity = bed.identities[role];
    const rg = /resourceGroups\/([^/]+)/.exec(identity.id)![1]!;
    for await (const f of bed.deps.azure.msi.federatedIdentityCredentials.list(rg, identity.name))
      out.push(f.name!);
  }
  return out.sort();
}

describe("destroy of the Azure DevOps side", () => {
  let bed: DevopsBed | undefined;
  afterEach(async () => bed?.close());

  test("a project aks-bootstrap created goes with everything in it; a second destroy is a no-op; apply rebuilds", async () => {
    bed = await startDevopsBed();
    expect((await applyRun(bed.steps())).outcome).toBe("succeeded");
    expect(await ficNames(bed)).toHaveLength(4);

    // When destroyed
    const result = await destroyRun(bed.steps());
    expect(result.failed).toEqual([]);
    expect(result.changes.get(ids.devops.project)?.kind).toBe("delete");
    expect(result.changes.get(ids.devops.pipeline("ci"))).toMatchObject({
      kind: "delete",
      summary: expect.stringMatching(/^with /) as unknown,
    });

    // Then the project, its contents and the federated credentials are gone
    const s = devopsState(bed.sandbox);
    expect(Object.values(s.projects)).toEqual([]);
    expect(Object.values(s.serviceEndpoints)).toEqual([]);
    expect(Object.values(s.definitions)).toEqual([]);
    expect(await ficNames(bed)).toEqual([]);

    // And a second destroy finds nothing to remove
    const again = await destroyRun(bed.steps());
    expect([...again.changes.values()].filter((c) => c.kind === "delete")).toEqual([]);

    // And apply rebuilds it all
    expect((await applyRun(bed.steps())).outcome).toBe("succeeded");
    expect(Object.values(devopsState(bed.sandbox).definitions)).toHaveLength(3);
  });

  test("in a project that existed before, only what aks-bootstrap created is removed", async () => {
    bed = await startDevopsBed();
    // Given a project (and its default repository) made by someone else
    const queued = await bed.deps.devops.rest("POST", "_apis/projects?api-version=7.1", {
      name: "demo",
      description: "the team's own project",
      capabilities: {
        versioncontrol: { sourceControlType: "Git" },
        processTemplate: { templateTypeId: "adcc42ab-9882-485e-a3ed-7678f01f66bc" },
      },
    });
    expect(queued.status).toBe(202);
    expect((await applyRun(bed.steps())).outcome).toBe("succeeded");

    // When destroyed
    const result = await destroyRun(bed.steps());
    expect(result.failed).toEqual([]);

    // Then the project and repository stay; connections, environments, groups, pipelines and the
    // build policy go; the reviewer policy (no marker of ours) stays
    const s = devopsState(bed.sandbox);
    expect(Object.values(s.projects).map((p) => p.name)).toEqual(["demo"]);
    expect(Object.values(s.repositories).map((r) => r.name)).toEqual(["demo"]);
    expect(Object.values(s.serviceEndpoints)).toEqual([]);
    expect(Object.values(s.environments)).toEqual([]);
    expect(Object.values(s.variableGroups)).toEqual([]);
    expect(Object.values(s.definitions)).toEqual([]);
    expect(Object.values(s.checks)).toEqual([]);
    const live = Object.values(s.policies).filter((p) => !p.isDeleted);
    expect(live.map((p) => p.typeId)).toEqual([POLICY_TYPES.reviewers]);
    expect(await ficNames(bed)).toEqual([]);
  });
});
