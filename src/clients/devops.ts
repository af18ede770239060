import type { WebApi } from "azure-devops-node-api";

/**
 * Azure DevOps access. `api()` is azure-devops-node-api's WebApi (Entra token or PAT, CA
 * from the Target); `rest()` calls routes the node API lacks (approval checks, pipeline
 * permissions) with the same auth, CA and throttling backoff.
 * (Implementation: owned by the Azure DevOps steps work; this is the contract.)
 */
export interface DevopsClients {
  readonly organizationUrl: string;
  api(): Promise<WebApi>;
  rest<T = unknown>(
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    pathAndQuery: string,
    body?: unknown,
  ): Promise<{ readonly status: number; readonly body: T }>;
}
