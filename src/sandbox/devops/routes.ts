import { connectionData, resourceAreas } from "./locations.js";
import type { Route } from "./router.js";
import { coreRoutes } from "./core.js";
import { gitRepoRoutes } from "./git-repos.js";
import { gitContentRoutes } from "./git-content.js";
import { gitPushRoutes } from "./git-pushes.js";
import { gitPullRequestRoutes } from "./git-pullrequests.js";
import { serviceEndpointRoutes } from "./service-endpoints.js";
import { environmentRoutes } from "./environments.js";
import { variableGroupRoutes } from "./variable-groups.js";
import { checkRoutes } from "./checks.js";
import { pipelinePermissionRoutes } from "./pipeline-permissions.js";
import { buildRoutes } from "./build.js";
import { policyRoutes } from "./policy.js";
import { identityRoutes } from "./identities.js";
import { graphRoutes } from "./graph.js";
import { runRoutes } from "./runs/runs-api.js";
import { approvalRoutes } from "./runs/approvals-api.js";
import { planEventRoutes } from "./runs/plan-events.js";
import { policyEvaluationRoutes } from "./runs/policy-evaluations.js";
import { checkRunRoutes } from "./runs/check-runs.js";
import { logRoutes } from "./runs/logs.js";

const locationRoutes: Route[] = [
  {
    id: "e81700f7-3be2-46de-8624-2eb35882fcaa",
    area: "Location",
    resource: "ResourceAreas",
    template: "_apis/ResourceAreas/{areaId}",
    resourceVersion: 1,
    methods: { GET: resourceAreas },
  },
  {
    id: "00d9565f-ed9c-4a06-9a50-00e7896ccab4",
    area: "Location",
    resource: "ConnectionData",
    template: "_apis/ConnectionData",
    resourceVersion: 1,
    methods: { GET: connectionData },
  },
];

/** Every resource the emulated organization serves. */
export const ALL_ROUTES: readonly Route[] = [
  ...locationRoutes,
  ...coreRoutes,
  ...gitRepoRoutes,
  ...gitContentRoutes,
  ...gitPushRoutes,
  ...gitPullRequestRoutes,
  ...serviceEndpointRoutes,
  ...environmentRoutes,
  ...variableGroupRoutes,
  ...checkRoutes,
  ...pipelinePermissionRoutes,
  ...buildRoutes,
  ...policyRoutes,
  ...identityRoutes,
  ...graphRoutes,
  ...runRoutes,
  ...approvalRoutes,
  ...planEventRoutes,
  ...policyEvaluationRoutes,
  ...checkRunRoutes,
  ...logRoutes,
];
