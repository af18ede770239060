import type { Step, StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import type { ObservedIdentity, ObservedRegistry } from "../observed.js";
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

/**
 * Docker registry connection to the non-prod ACR, used by Docker@2 in CI to push.
 *
 * It is the "Azure Container Registry" flavour of a Docker registry connection (registrytype
 * ACR) with workload identity federation, authenticating as the CI identity (which holds
 * AcrPush on that registry). Docker@2 and container jobs accept this scheme, so no registry
 * password or admin user exists anywhere. It reports its own issuer and subject, so the CI
 * identity gets a second federated credential for it (steps/azure/federated-credential.ts).
 */
export function registryConnectionStep(deps: StepDeps): Step<ObservedConnectionDetail> {
  const name = deps.names.registryConnection;
  const identityId = ids.azure.identity("ci");
  const registryId = ids.azure.registry("nonprod");

  const desired = (ctx: StepContext): ConnectionFields => {
    const registry = ctx.observed<ObservedRegistry>(registryId);
    return {
      type: "dockerregistry",
      scheme: "WorkloadIdentityFederation",
      servicePrincipalId: ctx.observed<ObservedIdentity>(identityId)?.clientId ?? KNOWN_AFTER_APPLY,
      tenantId: deps.target.tenantId,
      subscriptionId: deps.target.subscriptionId,
      creationMode: "Manual",
      registryId: registry?.id ?? KNOWN_AFTER_APPLY,
      loginServer: registry?.loginServer ?? KNOWN_AFTER_APPLY,
    };
  };

  return {
    id: ids.devops.registryConnection,
    title: `Registry connection ${name}`,
    group: "devops",
    dependsOn: [ids.devops.project, identityId, registryId],
    async detect(ctx) {
      const project = projectOf(ctx);
      if (!project) return undefined;
      return doing(`reading registry connection ${name}`, async () => {
        const found = await findEndpoint(deps, project.id, name);
        return found ? observeEndpoint(found) : undefined;
      });
    },
    diff(observed, ctx) {
      if (!observed)
        return {
          kind: "create",
          summary: "Docker registry (ACR), workload identity federation as the CI identity",
        };
      const fields = diffFields(observed, desired(ctx));
      return fields.length ? { kind: "update", fields } : { kind: "noop" };
    },
    teardown: connectionTeardown(deps),
    async apply(_change, observed, ctx) {
      const project = requireProject(ctx);
      const identity = ctx.observed<ObservedIdentity>(identityId);
      const registry = ctx.observed<ObservedRegistry>(registryId);
      if (!identity || !registry)
        throw new Error("the CI identity or the non-prod registry is not available");
      return doing(`${observed ? "updating" : "creating"} registry connection ${name}`, async () =>
        putEndpoint(
          deps,
          project,
          {
            name,
            type: "dockerregistry",
            url: `https://${registry.loginServer}`,
            description: `${MANAGED_DESCRIPTION}: pushes to ${registry.name} as ${identity.name}`,
            authorization: {
              scheme: "WorkloadIdentityFederation",
              parameters: {
                serviceprincipalid: identity.clientId,
                tenantid: deps.target.tenantId,
                loginServer: registry.loginServer,
                scope: registry.id,
              },
            },
            data: {
              registryId: registry.id,
              registrytype: "ACR",
              subscriptionId: deps.target.subscriptionId,
              subscriptionName: await subscriptionName(deps),
              creationMode: "Manual",
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
