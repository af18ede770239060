import { UserError } from "../../src/engine/errors.js";
import type { Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import { doing } from "./common.js";

export interface ObservedDevopsSignIn {
  readonly userId: string;
  readonly userName: string;
  readonly credential: "entra" | "pat";
}

interface ConnectionData {
  authenticatedUser?: { id?: string; providerDisplayName?: string };
}

/**
 * Signs in to Azure DevOps before anything is changed: a refused credential, a sign-in page or
 * an unknown organization stops the run here with one clear message, instead of failing every
 * Azure DevOps step (and, when the Azure side waits for the preflight ids, before any Azure
 * resource is made for a run that cannot finish).
 */
export function devopsSignInStep(deps: StepDeps): Step<ObservedDevopsSignIn> {
  const org = deps.devops.organizationUrl;
  const credential = deps.target.devopsAuth.kind;
  return {
    id: ids.preflight.devopsAuth,
    title: `Azure DevOps sign-in to ${org}`,
    group: "preflight",
    dependsOn: [],
    detect: () =>
      doing(`signing in to Azure DevOps at ${org}`, async () => {
        const res = await deps.devops.rest<ConnectionData>(
          "GET",
          "_apis/connectionData?api-version=7.1-preview.1",
        );
        const user = res.body?.authenticatedUser;
        if (res.status === 404 || !user?.id) {
          throw new UserError(
            `the Azure DevOps organization ${org} was not found`,
            "Check devops.organizationUrl in the answers (e.g. https://dev.azure.com/contoso), then rerun.",
          );
        }
        return { userId: user.id, userName: user.providerDisplayName ?? user.id, credential };
      }),
    diff: (observed) => ({
      kind: "noop",
      notes: observed
        ? [
            `signed in as ${observed.userName} (${credential === "pat" ? "AZURE_DEVOPS_EXT_PAT" : "Entra token"})`,
          ]
        : [],
    }),
    apply: async () => undefined,
  };
}
