/**
 * Persisted state of the emulated Azure DevOps organization. Plain JSON (the core writes it to
 * disk atomically); no secret value is ever stored here: secret parameters of service
 * endpoints and secret variables are dropped on the way in, as the service never returns them.
 */
import type { ApprovalRecord, PolicyEvaluationState, RunRecordExtra } from "./runs/run-state.js";

export interface IdentityRef {
  readonly id: string;
  readonly displayName: string;
  readonly uniqueName: string;
}

export type ProjectState = "createPending" | "wellFormed";

export interface ProjectRecord {
  id: string;
  name: string;
  description?: string;
  visibility: "private" | "public";
  state: ProjectState;
  revision: number;
  lastUpdateTime: string;
  processTemplateId: string;
  sourceControlType: "Git" | "Tfvc";
}

export interface OperationRecord {
  id: string;
  /** What completes when the operation succeeds. */
  kind: "projectCreate" | "projectDelete";
  projectId: string;
  createdAt: number;
  /** Epoch ms when it reaches succeeded (realistic duration / speed). */
  doneAt: number;
  status: "queued" | "inProgress" | "succeeded" | "failed";
}

export interface GitCommitRecord {
  commitId: string;
  treeId: string;
  parents: string[];
  comment: string;
  author: { name: string; email: string; date: string };
  /** Snapshot of the whole tree after this commit: path ("/a/b.txt") -> blob id. */
  tree: Record<string, string>;
  pushId: number;
  changeCounts: { Add: number; Edit: number; Delete: number };
}

export interface GitPushRecord {
  pushId: number;
  date: string;
  pushedBy: IdentityRef;
  commitIds: string[];
  refUpdates: { name: string; oldObjectId: string; newObjectId: string }[];
}

export interface GitPullRequestRecord {
  pullRequestId: number;
  title: string;
  description: string;
  sourceRefName: string;
  targetRefName: string;
  status: "active" | "abandoned" | "completed";
  createdBy: IdentityRef;
  creationDate: string;
  isDraft: boolean;
  lastMergeSourceCommit: string;
  lastMergeTargetCommit: string;
  /** Set when completed: the merge commit pushed to the target branch. */
  lastMergeCommit?: string;
  closedDate?: string;
  closedBy?: IdentityRef;
  /** Reviewer id -> vote (10 approved, 5 with suggestions, 0, -5 waiting, -10 rejected). */
  votes?: Record<string, { vote: number; reviewer: IdentityRef }>;
}

export interface GitRepositoryRecord {
  id: string;
  name: string;
  projectId: string;
  /** Branch name -> commit id. */
  refs: Record<string, string>;
  /** Commit id -> commit. */
  commits: Record<string, GitCommitRecord>;
  /** Blob id -> base64 content. */
  blobs: Record<string, string>;
  pushes: GitPushRecord[];
  isDisabled: boolean;
  /** First branch pushed becomes the default branch, as in the service. */
  defaultBranch?: string;
}

export interface ServiceEndpointRecord {
  id: string;
  name: string;
  type: string;
  url: string;
  description: string;
  owner: string;
  isShared: boolean;
  data: Record<string, string>;
  /** Scheme and the non-secret parameters; secret parameters are never stored. */
  authorization: { scheme: string; parameters: Record<string, string> };
  /** Names of secret parameters the caller supplied (returned as null). */
  secretParameterNames: string[];
  projectReferences: { projectId: string; name: string; description: string }[];
  createdBy: IdentityRef;
}

export interface EnvironmentRecord {
  id: number;
  projectId: string;
  name: string;
  description: string;
  createdBy: IdentityRef;
  createdOn: string;
  lastModifiedOn: string;
}

export interface CheckConfigurationRecord {
  id: number;
  projectId: string;
  version: number;
  type: { id: string; name: string };
  settings: unknown;
  timeout: number;
  resource: { type: string; id: string; name?: string };
  createdBy: IdentityRef;
  createdOn: string;
  modifiedOn: string;
}

export interface VariableRecord {
  value?: string;
  isSecret?: boolean;
  isReadOnly?: boolean;
  enabled?: boolean;
  contentType?: string;
  expires?: string;
}

export interface VariableGroupRecord {
  id: number;
  name: string;
  description: string;
  type: "Vsts" | "AzureKeyVault";
  providerData?: { serviceEndpointId: string; vault: string; lastRefreshedOn?: string };
  variables: Record<string, VariableRecord>;
  projectReferences: { projectId: string; name: string; description: string }[];
  createdBy: IdentityRef;
  createdOn: string;
  modifiedOn: string;
}

export interface PipelinePermissionRecord {
  allPipelines: { authorized: boolean; authorizedBy?: IdentityRef; authorizedOn?: string } | null;
  pipelines: { id: number; authorized: boolean; authorizedBy?: IdentityRef; authorizedOn?: string }[];
}

export interface BuildDefinitionRecord {
  id: number;
  projectId: string;
  name: string;
  path: string;
  revision: number;
  queueStatus: "enabled" | "paused" | "disabled";
  process: { type: number; yamlFilename: string };
  repository: { id: string; type: string; name: string; defaultBranch: string };
  /** The rest of the definition as sent (triggers, variables, queue ...), echoed back. */
  extra: Record<string, unknown>;
  createdDate: string;
  authoredBy: IdentityRef;
}

/** A build (a pipeline run): what was queued, and its progress (runs/run-state.ts). */
export interface BuildRecord extends RunRecordExtra {
  id: number;
  definitionId: number;
  projectId: string;
  buildNumber: string;
  sourceBranch: string;
  queueTime: string;
  requestedFor: IdentityRef;
}

export interface PolicyConfigurationRecord {
  id: number;
  projectId: string;
  revision: number;
  typeId: string;
  isEnabled: boolean;
  isBlocking: boolean;
  isDeleted: boolean;
  settings: Record<string, unknown>;
  createdBy: IdentityRef;
  createdDate: string;
}

export interface DevopsState {
  organization: string;
  organizationId: string;
  /** Next integer ids per kind (ADO hands out small integers for these). */
  counters: {
    push: number;
    pullRequest: number;
    environment: number;
    check: number;
    variableGroup: number;
    definition: number;
    build: number;
    policy: number;
  };
  projects: Record<string, ProjectRecord>;
  operations: Record<string, OperationRecord>;
  repositories: Record<string, GitRepositoryRecord>;
  pullRequests: Record<string, GitPullRequestRecord & { repositoryId: string }>;
  serviceEndpoints: Record<string, ServiceEndpointRecord>;
  environments: Record<string, EnvironmentRecord>;
  checks: Record<string, CheckConfigurationRecord>;
  variableGroups: Record<string, VariableGroupRecord>;
  /** Key "projectId/resourceType/resourceId" (type lower-cased). */
  pipelinePermissions: Record<string, PipelinePermissionRecord>;
  definitions: Record<string, BuildDefinitionRecord>;
  builds: Record<string, BuildRecord>;
  policies: Record<string, PolicyConfigurationRecord>;
  /** Approvals of runs waiting at an environment's Approval check (by id). */
  approvals?: Record<string, ApprovalRecord>;
  /** Policy evaluations of pull requests (by evaluation id). */
  policyEvaluations?: Record<string, PolicyEvaluationState>;
  /** Users and service principals known to the organization (everyone who has signed in). */
  members?: Record<string, IdentityRef>;
}

/** Deterministic organization id from its name, so a fresh state of the same org has the same id. */
function organizationIdFor(organization: string): string {
  let h = 2166136261;
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) {
    for (const c of `${organization}:${i}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    bytes.push(h & 0xff);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function emptyDevopsState(organization: string): DevopsState {
  return {
    organization,
    organizationId: organizationIdFor(organization),
    counters: {
      push: 1,
      pullRequest: 1,
      environment: 1,
      check: 1,
      variableGroup: 1,
      definition: 1,
      build: 1,
      policy: 1,
    },
    projects: {},
    operations: {},
    repositories: {},
    pullRequests: {},
    serviceEndpoints: {},
    environments: {},
    checks: {},
    variableGroups: {},
    pipelinePermissions: {},
    definitions: {},
    builds: {},
    policies: {},
  };
}
