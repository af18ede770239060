/**
 * Persisted state of pipeline runs (builds), their timelines and approvals. Plain JSON, kept in
 * DevopsState with the rest of the organization, so a restarted sandbox resumes every run from
 * its recorded times.
 */

/** Build.reason values the sandbox produces (a subset of the spec's BuildReason). */
export type BuildReason = "manual" | "individualCI" | "pullRequest" | "resourceTrigger";
/** TimelineRecord.state. */
export type RecordState = "pending" | "inProgress" | "completed";
/** TimelineRecord.result. */
export type RecordResult = "succeeded" | "succeededWithIssues" | "failed" | "canceled" | "skipped";

export interface Issue {
  readonly type: "error" | "warning";
  readonly message: string;
  readonly category?: string;
}

/** One step as the run executes it: the YAML step after templates, with its task and inputs. */
export interface StepPlan {
  /** "task" (task name@version), "script", "checkout", "download", "publish". */
  readonly kind: "task" | "script" | "checkout" | "download" | "publish";
  readonly task?: string;
  readonly inputs: Record<string, string>;
  readonly script?: string;
  readonly condition?: string;
  readonly continueOnError?: boolean;
  readonly timeoutInMinutes?: number;
  readonly env?: Record<string, string>;
}

export interface TimelineRecordState {
  id: string;
  parentId: string | null;
  type:
    "Stage" | "Phase" | "Job" | "Task" | "Checkpoint" | "Checkpoint.Approval" | "Checkpoint.Authorization";
  name: string;
  /** Stage/job name from the YAML (`identifier` in the service's records). */
  identifier?: string;
  refName?: string;
  order: number;
  state: RecordState;
  result?: RecordResult;
  startTime?: string;
  finishTime?: string;
  issues: Issue[];
  /** Stage/job: names it depends on; Task: what to run. */
  dependsOn?: string[];
  condition?: string;
  step?: StepPlan;
  /** Job: environment of a deployment job; server jobs run no agent. */
  environment?: string;
  server?: boolean;
  /** Variables declared at this level (stage or job), and variable groups it links. */
  variables?: Record<string, string>;
  groups?: string[];
  /** Checkpoint.Authorization: the resources the pipeline still needs permission for. */
  unauthorized?: { type: string; id: string; name: string }[];
  /** ManualValidation / approval waits: how the person answered, and when. */
  resolution?: { result: "succeeded" | "rejected"; at: string; by?: string; comment?: string };
}

export interface RunRecordExtra {
  reason: BuildReason;
  sourceVersion: string;
  repositoryId: string;
  status: "notStarted" | "inProgress" | "completed";
  result?: "succeeded" | "failed" | "canceled";
  startTime?: string;
  finishTime?: string;
  planId: string;
  triggerInfo: Record<string, string>;
  templateParameters: Record<string, string>;
  /** Run-time variables given when queued (name -> value; secret ones never stored). */
  queueVariables: Record<string, string>;
  /** Pipeline-level variables and groups of the YAML. */
  variables: Record<string, string>;
  groups: string[];
  /** `resources.pipelines` aliases: the run each alias resolved to. */
  pipelineResources: Record<
    string,
    { definitionId: number; runId: number; runName: string; sourceBranch: string; sourceVersion: string }
  >;
  pullRequestId?: number;
  /** Validation errors that failed the run before it started. */
  validationErrors: string[];
  /** Faults rolled when the run was queued (e.g. "unit-test-fail"). */
  faults: string[];
  records: TimelineRecordState[];
  /** Set once the completion side effects (triggers, policy) ran. */
  completionHandled?: boolean;
}

export interface ApprovalRecord {
  id: string;
  projectId: string;
  buildId: number;
  /** The Checkpoint.Approval record (same id) and the stage it gates. */
  stageRecordId: string;
  status: "pending" | "approved" | "rejected" | "timedOut" | "canceled";
  createdOn: string;
  lastModifiedOn: string;
  instructions: string;
  minRequiredApprovers: number;
  executionOrder: "anyOrder" | "inSequence";
  /** Minutes before the approval times out. */
  timeout: number;
  approvers: { id: string; displayName: string; uniqueName: string }[];
  /**
   * Who may not answer: the check's blockedApprovers, and the run's requester when the check
   * says `requesterCannotBeApprover` (optional: approvals stored before it was recorded).
   */
  blockedApprovers?: { id: string; displayName: string; uniqueName: string }[];
  steps: {
    approverId: string;
    status: "pending" | "approved" | "rejected";
    comment?: string;
    actualApprover?: { id: string; displayName: string; uniqueName: string };
    lastModifiedOn?: string;
  }[];
}

/** One policy evaluation of a pull request (build validation or reviewers). */
export interface PolicyEvaluationState {
  evaluationId: string;
  configurationId: number;
  pullRequestId: number;
  projectId: string;
  buildId?: number;
  startedDate: string;
  completedDate?: string;
}
