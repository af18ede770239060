import type { ServiceEndpoint } from "azure-devops-node-api/interfaces/ServiceEndpointInterfaces.js";
import type { StepDeps } from "../deps.js";
import type { ObservedProject, ObservedServiceConnection } from "../observed.js";
import type { StepContext } from "../../src/engine/types.js";
import { ids } from "../ids.js";
import { MANAGED_DESCRIPTION, doing, isManaged, requireProject } from "./common.js";

/** What a service-connection step observes: the cross-family fields plus what it converges. */
export interface ObservedConnectionDetail extends ObservedServiceConnection {
  readonly type: string;
  readonly scheme: string;
  readonly servicePrincipalId?: string;
  readonly tenantId?: string;
  readonly subscriptionId?: string;
  readonly creationMode?: string;
  readonly registryId?: string;
  readonly loginServer?: string;
  readonly description?: string;
}

/** The flat fields of a connection that a step converges; compared field by field. */
export type ConnectionFields = Omit<
  ObservedConnectionDetail,
  keyof ObservedServiceConnection | "description"
>;

/** Destroy: a connection aks-bootstrap created goes, by id; the project takes it along when it goes too. */
export function connectionTeardown(deps: StepDeps) {
  return {
    owned: (o: ObservedConnectionDetail) => isManaged(o.description),
    containedIn: ids.devops.project,
    remove: async (o: ObservedConnectionDetail, ctx: StepContext) => {
      const project = requireProject(ctx);
      await doing(`deleting service connection ${o.name}`, async () => {
        const api = await (await deps.devops.api()).getServiceEndpointApi();
        await api.deleteServiceEndpoint(o.id, [project.id]);
      });
    },
  };
}

/** Finds a connection by exact name in the project; undefined when absent. */
export async function findEndpoint(
  deps: StepDeps,
  projectId: string,
  name: string,
): Promise<ServiceEndpoint | undefined> {
  const api = await (await deps.devops.api()).getServiceEndpointApi();
  const found = (await api.getServiceEndpointsByNames(projectId, [name])) ?? [];
  return found.find((e) => e.name?.toLowerCase() === name.toLowerCase());
}

export async function endpointById(
  deps: StepDeps,
  projectId: string,
  id: string,
): Promise<ServiceEndpoint | undefined> {
  const api = await (await deps.devops.api()).getServiceEndpointApi();
  return (await api.getServiceEndpointDetails(projectId, id)) ?? undefined;
}

export function observeEndpoint(e: ServiceEndpoint): ObservedConnectionDetail {
  const p = e.authorization?.parameters ?? {};
  const d = e.data ?? {};
  const opt = (k: string, v: string | undefined) => (v !== undefined && v !== null ? { [k]: v } : {});
  return {
    id: e.id ?? "",
    name: e.name ?? "",
    workloadIdentityFederationIssuer: p.workloadIdentityFederationIssuer ?? "",
    workloadIdentityFederationSubject: p.workloadIdentityFederationSubject ?? "",
    type: e.type ?? "",
    scheme: e.authorization?.scheme ?? "",
    ...opt("servicePrincipalId", p.serviceprincipalid),
    ...opt("tenantId", p.tenantid),
    ...opt("subscriptionId", d.subscriptionId),
    ...opt("creationMode", d.creationMode),
    ...opt("registryId", d.registryId),
    ...opt("loginServer", p.loginServer),
    ...opt("description", e.description),
  };
}

/** Subscription display name for the connection's data; the id when it cannot be read. */
const subscriptionNames = new WeakMap<StepDeps, Promise<string>>();
export function subscriptionName(deps: StepDeps): Promise<string> {
  let p = subscriptionNames.get(deps);
  if (!p) {
    const id = deps.target.subscriptionId;
    p = deps.azure.subscriptions.subscriptions.get(id).then(
      (s) => s.displayName ?? id,
      () => id,
    );
    subscriptionNames.set(deps, p);
  }
  return p;
}

export function projectReference(project: ObservedProject, name: string) {
  return [
    { projectReference: { id: project.id, name: project.name }, name, description: MANAGED_DESCRIPTION },
  ];
}

/**
 * Creates or replaces a connection and returns it as the service reports it afterwards, which
 * is where the workload identity federation issuer and subject come from.
 */
export async function putEndpoint(
  deps: StepDeps,
  project: ObservedProject,
  body: ServiceEndpoint,
  existingId: string | undefined,
): Promise<ObservedConnectionDetail> {
  const api = await (await deps.devops.api()).getServiceEndpointApi();
  const saved = existingId
    ? await api.updateServiceEndpoint({ ...body, id: existingId }, existingId)
    : await api.createServiceEndpoint(body);
  if (!saved?.id) throw new Error("the service returned no connection");
  let observed = observeEndpoint(saved);
  if (!observed.workloadIdentityFederationSubject || !observed.workloadIdentityFederationIssuer) {
    // Some API versions leave them out of the write answer; the details read has them.
    const details = await endpointById(deps, project.id, saved.id);
    if (details) observed = observeEndpoint(details);
  }
  if (!observed.workloadIdentityFederationSubject || !observed.workloadIdentityFederationIssuer) {
    throw new Error(
      "the service did not report the workload identity federation issuer and subject, so no federated credential can be created",
    );
  }
  return observed;
}
