import { describe, expect, it } from "vitest";
import { clearFailure, findDuplicates, vaultSecretNames } from "./audit.js";

/** The auditors the chaos and crash suites rely on must be able to say "no". */
const sub = "/subscriptions/s1";
const role = (name: string, principal: string) => ({
  id: `${sub}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/cr1/providers/Microsoft.Authorization/roleAssignments/${name}`,
  type: "Microsoft.Authorization/roleAssignments",
  body: {
    properties: {
      roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/r-push`,
      principalId: principal,
    },
  },
});
const endpoint = (id: string, name: string) => ({ id, name, projectReferences: [{ projectId: "p1", name }] });

describe("findDuplicates", () => {
  it("finds a second role assignment and a second service connection for one desired object", () => {
    // Given: a state with two assignments of one role to one principal on one scope (different
    // names), two connections named alike in one project, and one of everything else
    const state = {
      resources: {
        a: role("11111111-0000-0000-0000-000000000000", "pid"),
        b: role("22222222-0000-0000-0000-000000000000", "pid"),
        c: role("33333333-0000-0000-0000-000000000000", "other"),
        d: {
          id: `${sub}/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1`,
          type: "x",
          body: {},
        },
        e: {
          id: `${sub}/resourceGroups/rg2/providers/Microsoft.ContainerService/managedClusters/aks1`,
          type: "x",
          body: {},
        },
      },
      devops: {
        serviceEndpoints: {
          1: endpoint("1", "sc-demo-ci"),
          2: endpoint("2", "SC-demo-ci"),
          3: endpoint("3", "sc-demo-prod"),
        },
        definitions: { 1: { id: 1, name: "demo-ci", path: "\\", projectId: "p1" } },
      },
    };
    // When / Then
    expect(findDuplicates(state).map((d) => [d.kind, d.count])).toEqual([
      ["azure resource", 2],
      ["role assignment", 2],
      ["service connection", 2],
    ]);
  });

  it("finds nothing in a state without duplicates", () => {
    expect(findDuplicates({ resources: { a: role("1", "pid") }, devops: {} })).toEqual([]);
  });
});

describe("vaultSecretNames", () => {
  it("lists live secrets only", () => {
    const state = {
      vaults: {
        "kv-a": {
          secrets: {
            live: { versions: [{ version: "1" }] },
            gone: { versions: [{ version: "1" }], deleted: { deletedDate: 1, scheduledPurgeDate: 2 } },
          },
        },
      },
    };
    expect(vaultSecretNames(state)).toEqual(["kv-a/live"]);
  });
});

describe("clearFailure", () => {
  it("accepts error + try lines, refuses a stack, a missing hint or a bug", () => {
    expect(clearFailure("[azure]   error: creating x: failed\n[azure]   try: Rerun.\n").ok).toBe(true);
    expect(clearFailure("error: creating x: failed\n").ok).toBe(false);
    expect(clearFailure("error: x\n  try: y\n    at f (/a/b.js:1:2)\n").ok).toBe(false);
    expect(clearFailure("error: unexpected: boom\n  try: report it\n").ok).toBe(false);
  });
});
