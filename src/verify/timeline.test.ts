import { describe, expect, it } from "vitest";
import {
  currentActivity,
  firstFailure,
  jobRecords,
  normalizeRecords,
  progressOf,
  waitingOn,
} from "./timeline.js";

/**
 * Timeline records in the two forms verify meets: azure-devops-node-api's (enums as numbers:
 * state 0 pending / 1 inProgress / 2 completed; result 0 succeeded / 2 failed; issue type 1 error)
 * and the REST answer's (names).
 */
const prRun = normalizeRecords([
  { id: "s", type: "Stage", name: "__default", identifier: "__default", state: 2, result: 2, order: 1 },
  { id: "p", parentId: "s", type: "Phase", name: "Job", identifier: "Job", state: 2, result: 2, order: 1 },
  {
    id: "j",
    parentId: "p",
    type: "Job",
    name: "Job",
    identifier: "Job.__default",
    state: 2,
    result: 2,
    order: 1,
    issues: [{ type: 1, message: "The job failed: a step exited with an error." }],
  },
  { id: "t1", parentId: "j", type: "Task", name: "Lint", state: 2, result: 0, order: 3 },
  {
    id: "t2",
    parentId: "j",
    type: "Task",
    name: "Unit tests",
    state: 2,
    result: 2,
    order: 5,
    issues: [
      { type: 2, message: "a warning, not shown" },
      { type: 1, message: "Bash exited with code '1'." },
    ],
  },
  { id: "t3", parentId: "j", type: "Task", name: "Publish", state: 2, result: 4, order: 6 },
]);

describe("reading a failed run's timeline", () => {
  it("names the failing stage / job / step and its error, the step's first", () => {
    expect(firstFailure(prRun)).toEqual({
      where: 'job "Job" / step "Unit tests"',
      messages: ["Bash exited with code '1'.", "The job failed: a step exited with an error."],
    });
  });

  it("a job's Phase and Job records count as the job, by identifier or display name", () => {
    expect(jobRecords(prRun, "Job").map((r) => r.id)).toEqual(["p", "j"]);
    expect(progressOf(jobRecords(prRun, "Job")).kind).toBe("failed");
    expect(progressOf(jobRecords(prRun, "absent")).kind).toBe("absent");
  });
});

const cd = (over: Record<string, unknown>[]) =>
  normalizeRecords([
    {
      id: "st",
      type: "Stage",
      name: "Staging",
      identifier: "staging",
      state: "completed",
      result: "succeeded",
      order: 1,
    },
    {
      id: "ph",
      parentId: "st",
      type: "Phase",
      name: "Deploy to demo-staging",
      identifier: "deploy_staging",
      state: "completed",
      result: "succeeded",
      order: 1,
    },
    {
      id: "pr",
      type: "Stage",
      name: "Promote and deploy to production",
      identifier: "production",
      state: "pending",
      order: 3,
    },
    ...over,
  ]);

describe("a failed approval", () => {
  it("is named as the stage's approval, with the service's reason", () => {
    const records = cd([
      {
        id: "c",
        parentId: "pr",
        type: "Checkpoint",
        name: "Checkpoint",
        state: "completed",
        result: "failed",
        order: 1,
      },
      {
        id: "ca",
        parentId: "c",
        type: "Checkpoint.Approval",
        name: "Checkpoint.Approval",
        state: "completed",
        result: "failed",
        order: 1,
        issues: [{ type: "error", message: "The approval timed out." }],
      },
    ]);
    expect(firstFailure(records)).toEqual({
      where: 'stage "Promote and deploy to production" / checks / approval',
      messages: ["The approval timed out."],
    });
  });
});

describe("what a CD run waits for", () => {
  it("a finished deployment job is succeeded", () => {
    expect(progressOf(jobRecords(cd([]), "deploy_staging", "Deploy to demo-staging")).kind).toBe("succeeded");
  });

  it("an approval checkpoint of a stage", () => {
    const records = cd([
      { id: "c", parentId: "pr", type: "Checkpoint", name: "Checkpoint", state: "inProgress", order: 1 },
      {
        id: "ca",
        parentId: "c",
        type: "Checkpoint.Approval",
        name: "Checkpoint.Approval",
        state: "inProgress",
        order: 1,
      },
    ]);
    expect(waitingOn(records)).toEqual({
      kind: "approval",
      where: 'stage "Promote and deploy to production"',
    });
  });

  it("a stage waiting for permission: the Authorization checkpoint, with the service's warning", () => {
    const message =
      "This pipeline needs permission to access a resource before this run can continue to Promote and deploy to production";
    const records = cd([
      { id: "c", parentId: "pr", type: "Checkpoint", name: "Checkpoint", state: "inProgress", order: 1 },
      {
        id: "cz",
        parentId: "c",
        type: "Checkpoint.Authorization",
        name: "Checkpoint.Authorization",
        state: 1,
        order: 1,
        issues: [{ type: 2, message }],
      },
    ]);
    expect(waitingOn(records)).toEqual({
      kind: "permission",
      where: 'stage "Promote and deploy to production"',
      messages: [message],
    });
  });

  it("a ManualValidation task in progress, with its job for the resume event", () => {
    const records = cd([
      {
        id: "v",
        type: "Stage",
        name: "Manual validation",
        identifier: "validate",
        state: "inProgress",
        order: 2,
      },
      {
        id: "vj",
        parentId: "v",
        type: "Job",
        name: "Wait for validation",
        identifier: "validate.manual_validation",
        state: "inProgress",
        order: 1,
      },
      {
        id: "vt",
        parentId: "vj",
        type: "Task",
        name: "ManualValidation",
        task: { name: "ManualValidation" },
        state: "inProgress",
        order: 1,
      },
    ]);
    const waiting = waitingOn(records);
    expect(waiting?.kind).toBe("manual-validation");
    expect(waiting?.kind === "manual-validation" && waiting.task.parentId).toBe("vj");
    expect(currentActivity(records)).toBe(
      'stage "Manual validation" / job "Wait for validation" / step "ManualValidation"',
    );
  });

  it("nothing when the run is simply running", () => {
    expect(waitingOn(cd([]))).toBeUndefined();
  });
});
