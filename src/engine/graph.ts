import { BugError } from "./errors.js";
import type { Step } from "./types.js";

/** Steps indexed by id, with dependents, validated: unique ids, known dependencies, no cycle. */
export interface StepGraph {
  readonly steps: ReadonlyMap<string, Step>;
  readonly dependents: ReadonlyMap<string, readonly string[]>;
  /** A topological order (dependencies first); stable with respect to input order. */
  readonly order: readonly string[];
}

export function buildGraph(steps: readonly Step[]): StepGraph {
  const byId = new Map<string, Step>();
  for (const step of steps) {
    if (byId.has(step.id)) throw new BugError(`Two steps share the id "${step.id}"`);
    byId.set(step.id, step);
  }
  const dependents = new Map<string, string[]>([...byId.keys()].map((id) => [id, []]));
  for (const step of steps) {
    for (const dep of step.dependsOn) {
      if (!byId.has(dep)) throw new BugError(`Step "${step.id}" depends on unknown step "${dep}"`);
      dependents.get(dep)!.push(step.id);
    }
  }
  return { steps: byId, dependents, order: topologicalOrder(steps, byId) };
}

function topologicalOrder(steps: readonly Step[], byId: ReadonlyMap<string, Step>): string[] {
  const state = new Map<string, "visiting" | "done">();
  const order: string[] = [];
  const visit = (id: string, path: string[]): void => {
    const seen = state.get(id);
    if (seen === "done") return;
    if (seen === "visiting") {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new BugError(`Step dependencies form a cycle: ${cycle.join(" -> ")}`);
    }
    state.set(id, "visiting");
    for (const dep of byId.get(id)!.dependsOn) visit(dep, [...path, id]);
    state.set(id, "done");
    order.push(id);
  };
  for (const step of steps) visit(step.id, []);
  return order;
}

/** Length of the longest dependency chain (1 for a graph with no edges). */
export function graphDepth(graph: StepGraph): number {
  const depth = new Map<string, number>();
  for (const id of graph.order) {
    const deps = graph.steps.get(id)!.dependsOn;
    depth.set(id, 1 + Math.max(0, ...deps.map((d) => depth.get(d)!)));
  }
  return Math.max(0, ...depth.values());
}
