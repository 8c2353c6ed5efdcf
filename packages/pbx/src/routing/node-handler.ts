import type { NodeKind, RoutingNodeOf } from '@provod/contracts';
import type { HangupCause, RoutingContext } from './routing-context.ts';

/** How a call leaves the scheme: the result the CDR and the simulator report. */
export type CallEnd =
  | { readonly kind: 'answered'; readonly by: string }
  | { readonly kind: 'voicemail'; readonly mailbox: string; readonly recorded: boolean }
  | { readonly kind: 'forwarded'; readonly number: string; readonly answeredBy: string }
  | { readonly kind: 'conference'; readonly room: string }
  | { readonly kind: 'hung_up'; readonly cause: HangupCause }
  | { readonly kind: 'caller_hung_up' }
  | { readonly kind: 'loop_limit'; readonly nodeId: string };

/** What a node decided: the exit it took (`outcome`), a note for people, and where next. */
export type NodeStep = {
  readonly outcome: string;
  readonly note: string;
} & ({ readonly next: string } | { readonly end: CallEnd });

/**
 * What a node needs from the call before it runs; the engine provides it once, centrally
 * (jambonz's task preconditions): `answered` — a 200 OK (menus, queues, voicemail);
 * `media` — early media at least (a message played unanswered); `nothing` — ringing on.
 */
export type CallNeed = 'nothing' | 'media' | 'answered';

/**
 * What handlers run against: the call's context plus `provide`, through which a node that
 * decides mid-way to answer (an extension forwarding to voicemail) asks the engine for it.
 */
export interface NodeContext extends RoutingContext {
  provide(need: CallNeed): Promise<void>;
}

export interface NodeHandler<K extends NodeKind> {
  /** Provided by the engine before `run`. */
  needs(node: RoutingNodeOf<K>): CallNeed;
  run(node: RoutingNodeOf<K>, ctx: NodeContext): Promise<NodeStep>;
}

/**
 * One handler per node kind. A mapped type over every kind, so a kind added to the
 * contract without a handler does not compile (kysely's exhaustive operation-node visitor).
 */
export type NodeHandlers = { readonly [K in NodeKind]: NodeHandler<K> };

/** Follows an optional edge: `null` hangs up normally, as docs/routing-schemes.md says. */
export function follow(edge: string | null, outcome: string, note: string): NodeStep {
  return edge === null
    ? { outcome, note: `${note}; nothing follows: hang up`, end: hungUp('normal') }
    : { outcome, note, next: edge };
}

export function hungUp(cause: HangupCause): CallEnd {
  return { kind: 'hung_up', cause };
}

/** The one-line result people read: `answered by 101`, `voicemail 100`, `hung up`… */
export function describeEnd(end: CallEnd): string {
  switch (end.kind) {
    case 'answered':
      return `answered by ${end.by}`;
    case 'voicemail':
      return end.recorded ? `voicemail ${end.mailbox}` : `voicemail ${end.mailbox} (no message)`;
    case 'forwarded':
      return `forwarded to ${end.number}, answered`;
    case 'conference':
      return `conference ${end.room}`;
    case 'hung_up':
      return end.cause === 'normal' ? 'hung up' : `hung up (${end.cause})`;
    case 'caller_hung_up':
      return 'caller hung up';
    case 'loop_limit':
      return `hung up: loop limit at ${end.nodeId}`;
  }
}

/** The extension, number or room a call end involves, for programs reading the result. */
export function partyOf(end: CallEnd): string | null {
  switch (end.kind) {
    case 'answered':
      return end.by;
    case 'voicemail':
      return end.mailbox;
    case 'forwarded':
      return end.number;
    case 'conference':
      return end.room;
    case 'loop_limit':
      return end.nodeId;
    case 'hung_up':
    case 'caller_hung_up':
      return null;
  }
}
