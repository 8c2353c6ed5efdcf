import type { RoutingGraph, RoutingSimulationScript } from '@provod/contracts';
import { describeEnd, partyOf, type CallEnd } from '../node-handler.ts';
import { RoutingWalk, type RoutingPathStep } from '../routing-engine.ts';
import { SimulatedCall, type SimulatedTenant } from './simulated-call.ts';

export interface SchemeSimulation {
  readonly path: readonly RoutingPathStep[];
  readonly end: CallEnd;
  /** The one-line result: `answered by 101`, `voicemail 100`, `hung up`… */
  readonly result: string;
  readonly party: string | null;
}

/**
 * Walks `graph` for a call that is not placed: the same engine and node handlers as a
 * real call, with a `SimulatedCall` answering every action from the script.
 */
export async function simulateScheme(
  graph: RoutingGraph,
  tenant: SimulatedTenant,
  call: { caller: string; dialled: string; at: Date; script: RoutingSimulationScript },
): Promise<SchemeSimulation> {
  const walk = new RoutingWalk(graph, new SimulatedCall(tenant, call));
  const { path, end } = await walk.run();
  return { path, end, result: describeEnd(end), party: partyOf(end) };
}
