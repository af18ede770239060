import type { Step, StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids, type PipelineRole } from "../ids.js";
import type { ObservedIdentity, ObservedServiceConnection } from "../observed.js";

/** Entra's audience for tokens exchanged by workload identity federation. */
export const FEDERATION_AUDIENCE = "api://AzureADTokenExchange";

/**
 * The CI identity also signs in for the Docker registry connection (acr-APP-nonprod), which
 * reports its own subject: a second federated credential on the same identity.
 */
export const registryFederatedCredentialId = "azure/federated-credential/registry";

export interface ObservedFederatedCredential {
  readonly id: string;
  readonly name: string;
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
}

function resourceGroupOf(resourceId: string): string {
  const m = /\/resourceGroups\/([^/]+)\//i.exec(resourceId);
  if (!m?.[1]) throw new Error(`cannot read the resource group from ${resourceId}`);
  return m[1];
}

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number })?.statusCode === 404;
}

/**
 * A federated identity credential on a pipeline's user-assigned identity. Issuer and subject
 * are COPIED from what the service connection reports (never computed), so a recreated
 * connection with a new subject moves the credential along.
 */
function federatedCredentialStep(
  deps: StepDeps,
  opts: { id: string; role: PipelineRole; connectionStepId: string; connectionName: string; after?: string },
): Step<ObservedFederatedCredential> {
  const identityId = ids.azure.identity(opts.role);
  // One credential per connection, named after it: several connections may share an identity.
  const name = `fic-${opts.connectionName}`;

  const target = (ctx: StepContext) => {
    const identity = ctx.observed<ObservedIdentity>(identityId);
    return identity ? { identity, resourceGroup: resourceGroupOf(identity.id) } : undefined;
  };

  return {
    id: opts.id,
    title: `Federated credential ${name}`,
    group: "azure",
    dependsOn: [identityId, opts.connectionStepId, ...(opts.after ? [opts.after] : [])],
    async detect(ctx) {
      const t = target(ctx);
      if (!t) return undefined;
      try {
        const fic = await deps.azure.msi.federatedIdentityCredentials.get(
          t.resourceGroup,
          t.identity.name,
          name,
        );
        return {
          id: fic.id ?? "",
          name: fic.name ?? name,
          issuer: fic.issuer ?? "",
          subject: fic.subject ?? "",
          audiences: fic.audiences ?? [],
        };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    diff(observed, ctx) {
      const connection = ctx.observed<ObservedServiceConnection>(opts.connectionStepId);
      if (!observed) return { kind: "create", summary: `trust ${opts.connectionName} on ${identityId}` };
      if (!connection) {
        // Plan with the connection still to be created: its subject is only known after apply.
        return {
          kind: "update",
          fields: [{ field: "subject", from: observed.subject, to: "(reported by the new connection)" }],
        };
      }
      const fields = [
        { field: "issuer", from: observed.issuer, to: connection.workloadIdentityFederationIssuer },
        { field: "subject", from: observed.subject, to: connection.workloadIdentityFederationSubject },
        { field: "audiences", from: observed.audiences, to: [FEDERATION_AUDIENCE] },
      ].filter((f) => JSON.stringify(f.from) !== JSON.stringify(f.to));
      return fields.length ? { kind: "update", fields } : { kind: "noop" };
    },
    teardown: {
      // Named after its connection by aks-bootstrap; others on the identity are kept.
      owned: (o) => o.name === name,
      containedIn: identityId,
      remove: async (o, ctx) => {
        const t = target(ctx);
        if (!t) return;
        try {
          await deps.azure.msi.federatedIdentityCredentials.delete(t.resourceGroup, t.identity.name, o.name);
        } catch (err) {
          if (!isNotFound(err)) throw err; // already gone: nothing to do
        }
      },
    },
    async apply(_change, _observed, ctx) {
      const t = target(ctx);
      const connection = ctx.observed<ObservedServiceConnection>(opts.connectionStepId);
      if (!t || !connection)
        throw new Error(`the identity or the connection ${opts.connectionName} is not available`);
      const fic = await deps.azure.msi.federatedIdentityCredentials.createOrUpdate(
        t.resourceGroup,
        t.identity.name,
        name,
        {
          issuer: connection.workloadIdentityFederationIssuer,
          subject: connection.workloadIdentityFederationSubject,
          audiences: [FEDERATION_AUDIENCE],
        },
      );
      return {
        id: fic.id ?? "",
        name: fic.name ?? name,
        issuer: fic.issuer ?? connection.workloadIdentityFederationIssuer,
        subject: fic.subject ?? connection.workloadIdentityFederationSubject,
        audiences: fic.audiences ?? [FEDERATION_AUDIENCE],
      };
    },
  };
}

/** Federated credential of one pipeline identity for its ARM service connection. */
export function federatedCredentialStepFor(
  deps: StepDeps,
  role: PipelineRole,
): Step<ObservedFederatedCredential> {
  const n = deps.names;
  return federatedCredentialStep(deps, {
    id: ids.azure.federatedCredential(role),
    role,
    connectionStepId: ids.devops.serviceConnection(role),
    connectionName:
      role === "ci" ? n.connectionCi : role === "staging" ? n.connectionStaging : n.connectionProd,
  });
}

/** Federated credential of the CI identity for the Docker registry connection. */
export function registryFederatedCredentialStep(deps: StepDeps): Step<ObservedFederatedCredential> {
  return federatedCredentialStep(deps, {
    id: registryFederatedCredentialId,
    role: "ci",
    connectionStepId: ids.devops.registryConnection,
    connectionName: deps.names.registryConnection,
    // Azure refuses concurrent credential writes on one identity: queue behind the CI one.
    after: ids.azure.federatedCredential("ci"),
  });
}

/** All four: one per ARM connection, one for the registry connection. */
export function federatedCredentialSteps(deps: StepDeps): Step[] {
  return [
    federatedCredentialStepFor(deps, "ci"),
    federatedCredentialStepFor(deps, "staging"),
    federatedCredentialStepFor(deps, "prod"),
    registryFederatedCredentialStep(deps),
  ] as Step[];
}
