import type { Step, StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids, type PipelineRole } from "../ids.js";
import type { ObservedIdentity } from "../observed.js";
import {
  KNOWN_AFTER_APPLY,
  MANAGED_DESCRIPTION,
  diffFields,
  doing,
  projectOf,
  requireProject,
} from "./common.js";
import {
  connectionTeardown,
  findEndpoint,
  observeEndpoint,
  projectReference,
  putEndpoint,
  subscriptionName,
  type ConnectionFields,
  type ObservedConnectionDetail,
} from "./endpoints.js";

export function connectionName(deps: StepDeps, role: PipelineRole): string {
  const n = deps.names;
  return role === "ci" ? n.connectionCi : role === "staging" ? n.connectionStaging : n.connectionProd;
}

/**
 * Azure Resource Manager connection for one pipeline identity: workload identity federation,
 * creationMode Manual (we bring the identity; Azure DevOps creates no app registration).
 * Its reported issuer and subject go onto the identity's federated credential.
 */
export function serviceConnectionStep(deps: StepDeps, role: PipelineRole): Step<ObservedConnectionDetail> {
  const name = connectionName(deps, role);
  const identityId = ids.azure.identity(role);

  const desired = (ctx: StepContext): ConnectionFields => ({
    type: "AzureRM",
    scheme: "WorkloadIdentityFederation",
    servicePrincipalId: ctx.observed<ObservedIdentity>(identityId)?.clientId ?? KNOWN_AFTER_APPLY,
    tenantId: deps.target.tenantId,
    subscriptionId: deps.target.subscriptionId,
    creationMode: "Manual",
  });

  return {
    id: ids.devops.serviceConnection(role),
    title: `Service connection ${name}`,
    group: "devops",
    dependsOn: [ids.devops.project, identityId],
    async detect(ctx) {
      const project = projectOf(ctx);
      if (!project) return undefined;
      return doing(`reading service connection ${name}`, async () => {
        const found = await findEndpoint(deps, project.id, name);
        return found ? observeEndpoint(found) : undefined;
      });
    },
    diff(observed, ctx) {
      if (!observed)
        return { kind: "create", summary: `AzureRM, workload identity federation, ${identityId}` };
      const fields = diffFields(observed, desired(ctx));
      return fields.length ? { kind: "update", fields } : { kind: "noop" };
    },
    teardown: connectionTeardown(deps),
    async apply(_change, observed, ctx) {
      const project = requireProject(ctx);
      const identity = ctx.observed<ObservedIdentity>(identityId);
      if (!identity) throw new Error(`the pipeline identity for ${role} is not available`);
      return doing(`${observed ? "updating" : "creating"} service connection ${name}`, async () =>
        putEndpoint(
          deps,
          project,
          {
            name,
            type: "AzureRM",
            url: `${deps.target.armEndpoint.replace(/\/+$/, "")}/`,
            description: `${MANAGED_DESCRIPTION}: deploys as ${identity.name}`,
            authorization: {
              scheme: "WorkloadIdentityFederation",
              parameters: { serviceprincipalid: identity.clientId, tenantid: deps.target.tenantId },
            },
            data: {
              creationMode: "Manual",
              environment: "AzureCloud",
              scopeLevel: "Subscription",
              subscriptionId: deps.target.subscriptionId,
              subscriptionName: await subscriptionName(deps),
            },
            isShared: false,
            isReady: true,
            serviceEndpointProjectReferences: projectReference(project, name),
          },
          observed?.id,
        ),
      );
    },
  };
}
