import type { RunMode, RunOutcome } from "../engine/types.js";

/** Where the operator goes next; the CLI builds these URLs from the answers and the Target. */
export interface SummaryLinks {
  /** Azure portal, e.g. the non-prod resource group. */
  readonly portal?: string;
  /** The Azure DevOps project. */
  readonly devopsProject?: string;
  /** The project's pipelines page. */
  readonly pipelines?: string;
}

/** `label: url` lines for the links that are present. */
export function linkLines(links: SummaryLinks | undefined): string[] {
  if (!links) return [];
  const lines: string[] = [];
  if (links.portal) lines.push(`Azure portal:  ${links.portal}`);
  if (links.devopsProject) lines.push(`Azure DevOps:  ${links.devopsProject}`);
  if (links.pipelines) lines.push(`Pipelines:     ${links.pipelines}`);
  return lines;
}

/**
 * The delivery flow this tool set up, drawn in plain characters so it survives NO_COLOR,
 * log files and 80 columns (widest line: 66).
 */
export const flowPicture: readonly string[] = [
  "  pull request ──► PR pipeline: lint, build, unit tests (blocks merge)",
  "       │ merge",
  "       ▼",
  "  CI pipeline: tests + Key Vault secrets ──► image ──► non-prod ACR",
  "       │ on success",
  "       ▼",
  "  CD pipeline: staging AKS ──► acceptance tests ──► [approval]",
  "       ──► import image to prod ACR ──► production AKS",
];

/** `pending`: changes a plan found (create + update + delete); a plan without any says so. */
export function nextSteps(mode: RunMode, outcome: RunOutcome, pending = 1): string[] {
  if (outcome === "aborted") {
    return ["Rerun the same command to continue: finished objects are detected and kept."];
  }
  if (mode === "verify") return verifyNextSteps(outcome);
  if (outcome === "failed") {
    return ["Fix the errors above, then rerun: what succeeded is detected and kept."];
  }
  if (outcome === "stopped") return [];
  switch (mode) {
    case "plan":
      return pending > 0
        ? ["Run `aks-bootstrap apply` to make these changes."]
        : ["Nothing to do: everything matches the answers."];
    case "destroy":
      return ["Everything aks-bootstrap created is gone; rerun `aks-bootstrap apply` to start again."];
    case "apply":
      return [
        "1. Push a branch and open a pull request: the PR pipeline checks it.",
        "2. Merge it: CI builds the image, CD deploys to staging, then production.",
        "3. Rerun `aks-bootstrap` any time: it reports drift and repairs it.",
        "Or run `aks-bootstrap verify`: it does 1 and 2 and follows the runs to the first approval.",
      ];
  }
}

function verifyNextSteps(outcome: RunOutcome): string[] {
  switch (outcome) {
    case "succeeded":
      return ["The whole flow works: every pull request now goes the same way to production."];
    case "stopped":
      return [
        "A person acts at the link above, as its next: line says; Azure DevOps then carries on by itself.",
        "Rerun `aks-bootstrap verify` to follow it on from there (on the sandbox, --approve answers the gates the signed-in identity may approve).",
      ];
    case "failed":
      return ["Fix what the error names, then rerun `aks-bootstrap verify` (it opens a new pull request)."];
    case "aborted":
      return [
        "The runs already queued go on in Azure DevOps; rerun `aks-bootstrap verify` to follow a new one.",
      ];
  }
}

/** verify's summary line: `8 of 9 milestones passed, 1 waiting` (counts of zero left out). */
export function milestoneTally(t: {
  readonly passed: number;
  readonly total: number;
  readonly failed: number;
  readonly waiting: number;
  readonly skipped: number;
}): string {
  const parts = [`${t.passed} of ${t.total} milestones passed`];
  if (t.failed > 0) parts.push(`${t.failed} failed`);
  if (t.waiting > 0) parts.push(`${t.waiting} waiting for a person`);
  if (t.skipped > 0) parts.push(`${t.skipped} not reached`);
  return parts.join(", ");
}
