import type { SandboxResponse } from "../types.js";

/**
 * Azure DevOps error bodies, as the service sends them: a .NET exception serialised with its
 * type name and key. azure-devops-node-api surfaces `message`; callers branch on `typeKey`.
 */
export class DevopsError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly typeKey: string,
    readonly namespace = "Microsoft.TeamFoundation.Core.WebApi",
    readonly assembly = "Microsoft.TeamFoundation.Core.WebApi",
  ) {
    super(message);
  }

  toResponse(): SandboxResponse {
    return {
      status: this.status,
      headers: { "content-type": "application/json; charset=utf-8" },
      body: {
        $id: "1",
        innerException: null,
        message: this.message,
        typeName: `${this.namespace}.${this.typeKey}, ${this.assembly}`,
        typeKey: this.typeKey,
        errorCode: 0,
        eventId: 3000,
      },
    };
  }
}

const GIT = ["Microsoft.TeamFoundation.Git.Server", "Microsoft.TeamFoundation.Git.Server"] as const;
const DT = [
  "Microsoft.TeamFoundation.DistributedTask.WebApi",
  "Microsoft.TeamFoundation.DistributedTask.WebApi",
] as const;
const SE = [
  "Microsoft.VisualStudio.Services.ServiceEndpoints.WebApi",
  "Microsoft.VisualStudio.Services.ServiceEndpoints.WebApi",
] as const;
const BUILD = ["Microsoft.TeamFoundation.Build.WebApi", "Microsoft.TeamFoundation.Build2.WebApi"] as const;
const POLICY = ["Microsoft.TeamFoundation.Policy.WebApi", "Microsoft.TeamFoundation.Policy.WebApi"] as const;
const COMMON = ["Microsoft.VisualStudio.Services.WebApi", "Microsoft.VisualStudio.Services.WebApi"] as const;

export const errors = {
  projectNotFound: (nameOrId: string) =>
    new DevopsError(
      404,
      `VS800075: The project with id 'vstfs:///Classification/TeamProject/${nameOrId}' does not exist, or you do not have permission to access it.`,
      "ProjectDoesNotExistWithNameException",
      "Microsoft.TeamFoundation.Core.WebApi",
      "Microsoft.TeamFoundation.Core.WebApi",
    ),
  projectExists: (name: string) =>
    new DevopsError(
      409,
      `TF200019: The following project already exists on the Azure DevOps Server: ${name}. You cannot create a new project with the same name as an existing project. Provide a different name.`,
      "ProjectAlreadyExistsException",
      "Microsoft.TeamFoundation.Core.WebApi",
    ),
  invalidProjectName: (name: string) =>
    new DevopsError(
      400,
      `TF200020: The following project name is not valid: ${name}. Verify that the name does not exceed the maximum character limit, only contains valid characters, and is not a reserved name.`,
      "ProjectNameNotValidException",
      "Microsoft.TeamFoundation.Core.WebApi",
    ),
  argument: (message: string, param?: string) =>
    new DevopsError(
      400,
      param ? `${message}\r\nParameter name: ${param}` : message,
      param ? "ArgumentNullException" : "ArgumentException",
      "System",
      "mscorlib",
    ),
  badRequest: (
    message: string,
    typeKey = "InvalidRequestException",
    ns: readonly [string, string] = COMMON,
  ) => new DevopsError(400, message, typeKey, ns[0], ns[1]),
  operationNotFound: (id: string) =>
    new DevopsError(
      404,
      `The operation '${id}' does not exist.`,
      "OperationNotFoundException",
      "Microsoft.VisualStudio.Services.Operations",
      "Microsoft.VisualStudio.Services.WebApi",
    ),
  repoNotFound: (nameOrId: string) =>
    new DevopsError(
      404,
      `TF401019: The Git repository with name or identifier ${nameOrId} does not exist or you do not have permissions for the operation you are attempting.`,
      "GitRepositoryNotFoundException",
      ...GIT,
    ),
  repoExists: (name: string) =>
    new DevopsError(
      409,
      `TF400948: A Git repository with the name ${name} already exists.`,
      "GitRepositoryNameAlreadyExistsException",
      ...GIT,
    ),
  invalidRepoName: (name: string) =>
    new DevopsError(
      400,
      `TF401025: '${name}' is not a valid name for a Git repository.`,
      "InvalidArgumentValueException",
      "Microsoft.TeamFoundation.SourceControl.WebApi",
      "Microsoft.TeamFoundation.SourceControl.WebApi",
    ),
  itemNotFound: (path: string, repo: string) =>
    new DevopsError(
      404,
      `TF401174: The item '${path}' could not be found in the repository '${repo}' at the version specified by '<Default>' (resolved to commit '') or you do not have permissions to access it.`,
      "GitItemNotFoundException",
      ...GIT,
    ),
  refStale: (ref: string) =>
    new DevopsError(
      409,
      `TF401028: The reference '${ref}' has already been updated by another client, so you cannot update it. Please try again.`,
      "GitReferenceStaleException",
      ...GIT,
    ),
  refNotFound: (ref: string) =>
    new DevopsError(
      404,
      `TF401035: The object '${ref}' does not exist.`,
      "GitObjectNotFoundException",
      ...GIT,
    ),
  pushRejectedByPolicy: () =>
    new DevopsError(
      409,
      "TF402455: Pushes to this branch are not permitted; you must use a pull request to update this branch.",
      "GitRefUpdateRejectedByPolicyException",
      ...GIT,
    ),
  pushChangeInvalid: (message: string) =>
    new DevopsError(400, message, "GitUnresolvableToCommitException", ...GIT),
  commitNotFound: (id: string, repo: string) =>
    new DevopsError(
      404,
      `TF401175:The version descriptor <Commit: ${id}> could not be resolved to a version in the repository ${repo}`,
      "GitUnresolvableToCommitException",
      ...GIT,
    ),
  pullRequestNotFound: () =>
    new DevopsError(
      404,
      `TF401180: The requested pull request was not found.`,
      "GitPullRequestNotFoundException",
      ...GIT,
    ),
  pullRequestExists: () =>
    new DevopsError(
      409,
      "TF401179: An active pull request for the source and target branch already exists.",
      "GitPullRequestExistsException",
      ...GIT,
    ),
  endpointNotFound: (id: string) =>
    new DevopsError(
      404,
      `Service connection with id ${id} does not exist or you do not have permission to access it.`,
      "ServiceEndpointNotFoundException",
      ...SE,
    ),
  endpointExists: (name: string) =>
    new DevopsError(
      409,
      `Service connection with name ${name} already exists. Only a user having Administrator/User role permissions on service connection ${name} can see it.`,
      "DuplicateServiceConnectionException",
      ...SE,
    ),
  endpointInvalid: (message: string) => new DevopsError(400, message, "ServiceEndpointException", ...SE),
  environmentNotFound: (id: string) =>
    new DevopsError(404, `Environment ${id} not found.`, "EnvironmentNotFoundException", ...DT),
  environmentExists: (name: string) =>
    new DevopsError(
      409,
      `Environment '${name}' already exists in current project.`,
      "EnvironmentExistsException",
      ...DT,
    ),
  variableGroupNotFound: (id: string) =>
    new DevopsError(
      404,
      `Variable group with id ${id} does not exist.`,
      "VariableGroupNotFoundException",
      ...DT,
    ),
  variableGroupExists: (name: string) =>
    new DevopsError(
      409,
      `Variable group with name '${name}' already exists.`,
      "VariableGroupExistsException",
      ...DT,
    ),
  checkNotFound: (id: string) =>
    new DevopsError(
      404,
      `Check configuration with id ${id} does not exist.`,
      "CheckConfigurationNotFoundException",
      "Microsoft.Azure.Pipelines.Checks.WebApi",
      "Microsoft.Azure.Pipelines.Checks.WebApi",
    ),
  definitionNotFound: (id: string) =>
    new DevopsError(
      404,
      `The requested build definition ${id} could not be found.`,
      "DefinitionNotFoundException",
      ...BUILD,
    ),
  definitionExists: (name: string, path: string) =>
    new DevopsError(
      409,
      `Build pipeline with name ${name} already exists in folder ${path}.`,
      "DefinitionExistsException",
      ...BUILD,
    ),
  definitionInvalid: (message: string) =>
    new DevopsError(400, message, "BuildDefinitionInvalidException", ...BUILD),
  pipelineNotFound: (id: string) =>
    new DevopsError(
      404,
      `Pipeline with id ${id} not found.`,
      "PipelineNotFoundException",
      "Microsoft.Azure.Pipelines.WebApi",
      "Microsoft.Azure.Pipelines.WebApi",
    ),
  policyNotFound: (id: string) =>
    new DevopsError(
      404,
      `TF400885: Policy configuration with ID ${id} does not exist.`,
      "PolicyConfigurationNotFoundException",
      ...POLICY,
    ),
  policyTypeNotFound: (id: string) =>
    new DevopsError(
      404,
      `TF400883: Policy type ${id} does not exist.`,
      "PolicyTypeNotFoundException",
      ...POLICY,
    ),
  policyInvalid: (message: string) =>
    new DevopsError(400, message, "InvalidPolicyConfigurationException", ...POLICY),
  routeNotFound: (path: string) =>
    new DevopsError(
      404,
      `The controller for path '${path}' was not found or does not implement IController.`,
      "HttpException",
      "System.Web",
      "System.Web",
    ),
  methodNotAllowed: () =>
    new DevopsError(
      405,
      "The requested resource does not support http method.",
      "HttpException",
      "System.Web",
      "System.Web",
    ),
  unauthorized: () =>
    new DevopsError(
      401,
      "TF400813: The user '' is not authorized to access this resource.",
      "UnauthorizedRequestException",
      "Microsoft.TeamFoundation.Framework.Server",
      "Microsoft.TeamFoundation.Framework.Server",
    ),
};
