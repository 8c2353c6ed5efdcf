import {
  routingGraphSchema,
  routingSimulationScriptSchema,
  validateRoutingGraph,
  type ForwardingRules,
  type RoutingGraph,
  type RoutingNodeInput,
  type RoutingSimulationScriptInput,
} from '@provod/contracts';
import type { RoutingExtension } from './routing-context.ts';
import { simulateScheme, type SchemeSimulation } from './simulator/simulate-scheme.ts';

/**
 * Shared by the routing tests: graphs go through the contract's schema and validator as
 * a saved scheme would, so a test cannot walk a graph the API would refuse.
 */
export function graphOf(nodes: RoutingNodeInput[], entry = nodes[0]?.id ?? ''): RoutingGraph {
  const graph = routingGraphSchema.parse({ entry, nodes });
  const issues = validateRoutingGraph(graph);
  if (issues.length > 0) throw new Error(`invalid test graph: ${JSON.stringify(issues)}`);
  return graph;
}

const noForwarding: ForwardingRules = {
  unconditional: null,
  busy: null,
  noAnswer: null,
  unreachable: null,
};

export function extension(
  number: string,
  options: Partial<Omit<RoutingExtension, 'number'>> = {},
): RoutingExtension {
  return {
    number,
    doNotDisturb: false,
    forwarding: noForwarding,
    voicemailEnabled: true,
    ...options,
  };
}

export interface SimulateOptions {
  extensions?: RoutingExtension[];
  /** Registered extensions; default every extension given. */
  registered?: string[];
  script?: RoutingSimulationScriptInput;
  caller?: string;
  at?: string;
  timeZone?: string;
}

export function simulate(
  graph: RoutingGraph,
  options: SimulateOptions = {},
): Promise<SchemeSimulation> {
  const extensions = options.extensions ?? [];
  return simulateScheme(
    graph,
    {
      timeZone: options.timeZone ?? 'Europe/Moscow',
      extensions,
      registered: new Set(options.registered ?? extensions.map((e) => e.number)),
    },
    {
      caller: options.caller ?? '+74951234567',
      dialled: '+74950000000',
      at: new Date(options.at ?? '2025-06-02T09:00:00Z'),
      script: routingSimulationScriptSchema.parse(options.script ?? {}),
    },
  );
}

/** `nodeId:outcome` for each step, the shortest way to state a path in a test. */
export function route(simulation: SchemeSimulation): string[] {
  return simulation.path.map((step) => `${step.nodeId}:${step.outcome}`);
}

/** Simulated seconds the call spent in the step at `index`. */
export function secondsIn(simulation: SchemeSimulation, index: number): number {
  const step = simulation.path[index];
  if (step === undefined) throw new Error(`no step ${index} in the path`);
  return (Date.parse(step.leftAt) - Date.parse(step.enteredAt)) / 1000;
}
