import type { ForwardingRules } from '@provod/contracts';

/**
 * Everything a routing node may ask of a call, declared once. Real calls (with media)
 * and the simulator both implement it, so the same node handlers walk a scheme either
 * way and the simulator cannot drift from the real call path.
 */
export interface RoutingContext {
  readonly call: CallFacts;
  readonly tenant: TenantDirectory;
  readonly actions: CallActions;
  /** The current moment; the simulator's clock moves on as simulated ringing and waiting take time. */
  now(): Date;
  /** Aborted when the caller hangs up; actions in progress stop and the walk ends. */
  readonly signal: AbortSignal;
}

export interface CallFacts {
  /** The calling number as presented (E.164 or the trunk's digits). */
  readonly caller: string;
  /** The number the caller dialled (the tenant's phone number or an extension). */
  readonly dialled: string;
  /** The tenant's IANA time zone (e.g. Europe/Moscow), for schedules. */
  readonly timeZone: string;
}

/** An extension as routing sees it: its forwarding rules, do-not-disturb and mailbox. */
export interface RoutingExtension {
  readonly number: string;
  readonly doNotDisturb: boolean;
  readonly forwarding: ForwardingRules;
  readonly voicemailEnabled: boolean;
}

/** The tenant's data nodes read, as plain functions so no node touches a database. */
export interface TenantDirectory {
  extension(number: string): RoutingExtension | undefined;
  /** Whether a phone of the extension is registered right now. */
  isRegistered(number: string): boolean;
}

/** Who or what a ring reaches: an extension's phones or an external number through a trunk. */
export type RingTarget =
  | { readonly kind: 'extension'; readonly number: string }
  | { readonly kind: 'external'; readonly number: string };

export type RingOutcome =
  | { readonly kind: 'answered'; readonly by: string }
  | { readonly kind: 'no_answer' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'unreachable' };

export type DigitsOutcome =
  { readonly kind: 'digits'; readonly digits: string } | { readonly kind: 'timeout' };

export type VoicemailOutcome = { readonly kind: 'recorded' } | { readonly kind: 'no_message' };

export type ConferenceOutcome =
  { readonly kind: 'joined' } | { readonly kind: 'wrong_pin' } | { readonly kind: 'full' };

export type QueueOutcome =
  | { readonly kind: 'answered'; readonly by: string; readonly waitedSeconds: number }
  | { readonly kind: 'max_wait'; readonly waitedSeconds: number }
  | { readonly kind: 'full'; readonly waiting: number };

export type HangupCause = 'normal' | 'busy' | 'rejected';

/** A queue node's settings as the queue (the real one or the simulated one) needs them. */
export interface QueueRequest {
  readonly nodeId: string;
  readonly strategy:
    'ring_all' | 'round_robin' | 'least_recent' | 'fewest_calls' | 'random' | 'linear';
  readonly agents: readonly string[];
  readonly agentTimeoutSeconds: number;
  readonly maxWaitSeconds: number;
  readonly maxLength: number | null;
  readonly musicOnHold: string | null;
}

/**
 * What a call can be made to do. Each action resolves with what happened; sounds are the
 * tenant's sound-file ids (`null`: the built-in one).
 */
export interface CallActions {
  /** Answers the call (200 OK); the engine calls it once, before the first node that needs it. */
  answer(): Promise<void>;
  /** Opens early media (183 Session Progress, RFC 3960) so the caller hears a message unanswered. */
  earlyMedia(): Promise<void>;
  /** Rings all targets at once; the first to answer is bridged to the caller. */
  ring(targets: readonly RingTarget[], timeoutSeconds: number): Promise<RingOutcome>;
  playPrompt(sound: string | null): Promise<void>;
  /** Plays a prompt and collects keys until `maxDigits` or the timeout. */
  collectDigits(request: {
    prompt: string | null;
    timeoutSeconds: number;
    maxDigits: number;
  }): Promise<DigitsOutcome>;
  recordVoicemail(request: {
    mailbox: string;
    greeting: string | null;
    maxSeconds: number;
  }): Promise<VoicemailOutcome>;
  /** Calls an external number through the tenant's trunk and bridges it on answer. */
  forward(
    number: string,
    options: { timeoutSeconds: number; callerId: 'caller' | 'tenant' },
  ): Promise<RingOutcome>;
  /** Puts the caller in a queue until an agent answers, the wait runs out or it is full. */
  waitInQueue(request: QueueRequest): Promise<QueueOutcome>;
  joinConference(request: {
    room: string;
    pin: string | null;
    maxParticipants: number;
  }): Promise<ConferenceOutcome>;
  hangup(cause: HangupCause): Promise<void>;
}
