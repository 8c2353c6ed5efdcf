import { ProvodError, type NodeKind, type RoutingGraph, type RoutingNode } from '@provod/contracts';
import { nodeHandlers } from './node-handlers.ts';
import {
  type CallEnd,
  type CallNeed,
  type NodeContext,
  type NodeHandler,
  type NodeHandlers,
  type NodeStep,
} from './node-handler.ts';
import type { RoutingContext } from './routing-context.ts';

/**
 * How often one call may enter the same node. Validation already refuses loops that do
 * not wait for the caller, so only menus can bring a call back (an IVR whose timeout
 * points at itself, a "back to the main menu" key); five entries of a menu with the
 * default two retries is fifteen prompts — beyond that the caller is not using it.
 */
export const maxNodeEntries = 5;

/** One node the call passed through, as the CDR keeps it. */
export interface RoutingPathStep {
  readonly nodeId: string;
  readonly kind: NodeKind;
  readonly outcome: string;
  readonly note: string;
  readonly enteredAt: string;
  readonly leftAt: string;
}

export interface RoutingResult {
  readonly path: readonly RoutingPathStep[];
  readonly end: CallEnd;
}

/** What the caller has been given so far; it only moves forward. */
type CallState = 'ringing' | 'early_media' | 'answered';

type WalkState = 'ready' | 'walking' | 'done';

export interface RoutingWalkOptions {
  handlers?: NodeHandlers;
  /** Told of a node's failure that came after the walk was cancelled (nobody awaits it). */
  onLateError?: (error: unknown) => void;
}

/**
 * Walks a routing scheme for one call, node by node, from `entry` until a node ends the
 * call. `run` once; `cancel` when the caller hangs up (the node in progress is abandoned
 * and the walk ends as `caller_hung_up`). The same walk drives real calls and the
 * simulator: only the `RoutingContext` differs.
 */
export class RoutingWalk {
  #state: WalkState = 'ready';
  #call: CallState = 'ringing';
  readonly #nodes: ReadonlyMap<string, RoutingNode>;
  readonly #path: RoutingPathStep[] = [];
  readonly #entries = new Map<string, number>();
  readonly #cancelled = new AbortController();
  readonly #signal: AbortSignal;
  readonly #handlers: NodeHandlers;

  constructor(
    private readonly graph: RoutingGraph,
    private readonly ctx: RoutingContext,
    private readonly options: RoutingWalkOptions = {},
  ) {
    this.#nodes = new Map(graph.nodes.map((node) => [node.id, node]));
    this.#signal = AbortSignal.any([ctx.signal, this.#cancelled.signal]);
    this.#handlers = options.handlers ?? nodeHandlers;
  }

  get state(): WalkState {
    return this.#state;
  }

  cancel(): void {
    this.#cancelled.abort();
  }

  async run(): Promise<RoutingResult> {
    if (this.#state !== 'ready') throw new Error(`the walk is ${this.#state}; run it only once`);
    this.#state = 'walking';
    try {
      const end = await this.#walk();
      if (end.kind === 'hung_up' || end.kind === 'loop_limit') {
        await this.ctx.actions.hangup(end.kind === 'hung_up' ? end.cause : 'normal');
      }
      return { path: [...this.#path], end };
    } finally {
      this.#state = 'done';
    }
  }

  async #walk(): Promise<CallEnd> {
    let id = this.graph.entry;
    for (;;) {
      if (this.#signal.aborted) return { kind: 'caller_hung_up' };
      const node = this.#nodes.get(id);
      if (node === undefined) {
        throw new ProvodError('invalid_routing_scheme', `the scheme has no node ${id}`, [
          { path: 'graph.nodes', nodeId: id, message: 'an edge leads to a missing node' },
        ]);
      }
      const enteredAt = this.ctx.now().toISOString();
      const entries = (this.#entries.get(id) ?? 0) + 1;
      this.#entries.set(id, entries);
      if (entries > maxNodeEntries) {
        const note = `entered ${maxNodeEntries} times already: the call goes round, hang up`;
        this.#record(node, { outcome: 'loop_limit', note }, enteredAt);
        return { kind: 'loop_limit', nodeId: id };
      }
      const step = await this.#runNode(node);
      if (step === 'cancelled') {
        this.#record(node, { outcome: 'caller_hung_up', note: 'the caller hung up' }, enteredAt);
        return { kind: 'caller_hung_up' };
      }
      this.#record(node, step, enteredAt);
      if ('end' in step) return step.end;
      id = step.next;
    }
  }

  #record(node: RoutingNode, step: Pick<NodeStep, 'outcome' | 'note'>, enteredAt: string): void {
    this.#path.push({
      nodeId: node.id,
      kind: node.kind,
      outcome: step.outcome,
      note: step.note,
      enteredAt,
      leftAt: this.ctx.now().toISOString(),
    });
  }

  /** Runs a node's handler against the call, unless the caller hangs up first. */
  async #runNode(node: RoutingNode): Promise<NodeStep | 'cancelled'> {
    const handler = handlerFor(this.#handlers, node.kind);
    const nodeContext: NodeContext = {
      call: this.ctx.call,
      tenant: this.ctx.tenant,
      actions: this.ctx.actions,
      now: () => this.ctx.now(),
      signal: this.#signal,
      provide: (need) => this.#provide(need),
    };
    const running = (async () => {
      await this.#provide(handler.needs(node));
      return handler.run(node, nodeContext);
    })();
    let stopWaiting = (): void => undefined;
    const abandoned = new Promise<'cancelled'>((resolve) => {
      const onAbort = () => resolve('cancelled');
      this.#signal.addEventListener('abort', onAbort, { once: true });
      stopWaiting = () => this.#signal.removeEventListener('abort', onAbort);
      if (this.#signal.aborted) resolve('cancelled');
    });
    try {
      const first = await Promise.race([running, abandoned]);
      if (first === 'cancelled') {
        running.catch((error: unknown) => this.options.onLateError?.(error));
      }
      return first;
    } finally {
      stopWaiting();
    }
  }

  async #provide(need: CallNeed): Promise<void> {
    if (need === 'answered' && this.#call !== 'answered') {
      await this.ctx.actions.answer();
      this.#call = 'answered';
    } else if (need === 'media' && this.#call === 'ringing') {
      await this.ctx.actions.earlyMedia();
      this.#call = 'early_media';
    }
  }
}

/**
 * Indexing the table with a generic kind keeps node and handler correlated without a
 * cast (the same device as `edgesOfKind` in packages/contracts/src/routing-graph.ts).
 */
function handlerFor<K extends NodeKind>(handlers: NodeHandlers, kind: K): NodeHandler<K> {
  return handlers[kind];
}
