import { type SipRequest, type SipResponse } from '../message/index.ts';
import { buildTryingResponse } from './derived-messages.ts';
import { DEFAULT_TIMER_SETTINGS, planTimers, type TimerPlan } from './timers.ts';
import { TransactionError } from './transaction-error.ts';
import { type ServerTransactionOptions } from './transaction-options.ts';
import { TransactionRunner } from './transaction-runner.ts';
import {
  isProvisional,
  isSuccess,
  type Effect,
  type Step,
  type TimerFiredEvent,
  type TransportErrorEvent,
} from './transaction-step.ts';

/**
 * The INVITE server transaction, RFC 3261 §17.2.1, Figure 7:
 *
 *                                |INVITE
 *                                |pass INV to TU
 *             INVITE             V send 100 if TU won't in 200ms
 *             send response+-----------+
 *                 +--------|           |--------+101-199 from TU
 *                 |        | Proceeding|        |send response
 *                 +------->|           |<-------+
 *                          |           |          Transport Err.
 *                          |           |          Inform TU
 *                          |           |--------------->+
 *                          +-----------+                |
 *             300-699 from TU |     |2xx from TU        |
 *             send response   |     |send response      |
 *                             |     +------------------>+
 *                             |                         |
 *             INVITE          V          Timer G fires  |
 *             send response+-----------+ send response  |
 *                 +--------|           |--------+       |
 *                 |        | Completed |        |       |
 *                 +------->|           |<-------+       |
 *                          +-----------+                |
 *                             |     |                   |
 *                         ACK |     |                   |
 *                         -   |     +------------------>+
 *                             |        Timer H fires    |
 *                             V        or Transport Err.|
 *                          +-----------+  Inform TU     |
 *                          |           |                |
 *                          | Confirmed |                |
 *                          |           |                |
 *                          +-----------+                |
 *                                |                      |
 *                                |Timer I fires         |
 *                                |-                     |
 *                                |                      |
 *                                V                      |
 *                          +-----------+                |
 *                          |           |                |
 *                          | Terminated|<---------------+
 *                          |           |
 *                          +-----------+
 *
 * The "send 100 if TU won't in 200ms" is the `trying` timer: armed on creation, disarmed
 * by any response from the TU.
 */
export type InviteServerState = 'proceeding' | 'completed' | 'confirmed' | 'terminated';

export type InviteServerTimer = 'G' | 'H' | 'I' | 'trying';

export interface InviteServerSnapshot {
  readonly state: InviteServerState;
  /** The last response sent, re-sent when the INVITE is retransmitted. */
  readonly lastResponse: SipResponse | undefined;
  /** The interval Timer G was last armed with: doubles up to T2. */
  readonly timerG: number;
}

export type InviteServerEvent =
  | { readonly kind: 'start' }
  | { readonly kind: 'request_retransmission' }
  | { readonly kind: 'ack' }
  | { readonly kind: 'tu_response'; readonly response: SipResponse }
  | TimerFiredEvent<InviteServerTimer>
  | TransportErrorEvent;

export interface InviteServerContext {
  readonly request: SipRequest;
  readonly plan: TimerPlan;
}

/** §17.2.1: "If the TU does not ... within 200 ms, the server transaction MUST send" 100. */
export const TRYING_DELAY_MS = 200;

type InviteServerStep = Step<InviteServerSnapshot, InviteServerTimer>;

export function inviteServerTransition(
  snapshot: InviteServerSnapshot,
  event: InviteServerEvent,
  { request, plan }: InviteServerContext,
): InviteServerStep {
  const { state } = snapshot;
  const stay: InviteServerStep = { snapshot, effects: [] };
  switch (event.kind) {
    case 'start':
      return state === 'proceeding' && snapshot.lastResponse === undefined
        ? { snapshot, effects: [{ kind: 'start_timer', timer: 'trying', ms: TRYING_DELAY_MS }] }
        : stay;
    case 'request_retransmission':
      // §17.2.1: a retransmitted INVITE gets the most recent provisional (Proceeding) or
      // final (Completed) response again; in Confirmed it is absorbed.
      if ((state === 'proceeding' || state === 'completed') && snapshot.lastResponse) {
        return { snapshot, effects: [{ kind: 'send', message: snapshot.lastResponse }] };
      }
      return stay;
    case 'ack':
      if (state !== 'completed') return stay;
      return enterConfirmed(snapshot, plan);
    case 'tu_response':
      return state === 'proceeding' ? onTuResponse(snapshot, event.response, plan) : stay;
    case 'timer':
      return onTimer(snapshot, event.timer, request, plan);
    case 'transport_error':
      return {
        snapshot: { ...snapshot, state: 'terminated' },
        effects: [{ kind: 'transport_error', error: event.error }],
      };
  }
}

function onTuResponse(
  snapshot: InviteServerSnapshot,
  response: SipResponse,
  plan: TimerPlan,
): InviteServerStep {
  const effects: Effect<InviteServerTimer>[] = [
    { kind: 'stop_timer', timer: 'trying' },
    { kind: 'send', message: response },
  ];
  if (isProvisional(response)) {
    return { snapshot: { ...snapshot, lastResponse: response }, effects };
  }
  // §17.2.1: a 2xx ends the transaction; its retransmission is the TU's (§13.3.1.4).
  if (isSuccess(response)) {
    return { snapshot: { ...snapshot, state: 'terminated', lastResponse: response }, effects };
  }
  if (plan.firstRetransmit !== undefined) {
    effects.push({ kind: 'start_timer', timer: 'G', ms: plan.firstRetransmit });
  }
  effects.push({ kind: 'start_timer', timer: 'H', ms: plan.transactionTimeout });
  return {
    snapshot: {
      ...snapshot,
      state: 'completed',
      lastResponse: response,
      timerG: plan.firstRetransmit ?? 0,
    },
    effects,
  };
}

function enterConfirmed(snapshot: InviteServerSnapshot, plan: TimerPlan): InviteServerStep {
  const effects: Effect<InviteServerTimer>[] = [
    { kind: 'stop_timer', timer: 'G' },
    { kind: 'stop_timer', timer: 'H' },
  ];
  // §17.2.1: Timer I is zero on reliable transports, so Confirmed is left at once.
  if (plan.timerI === 0) return { snapshot: { ...snapshot, state: 'terminated' }, effects };
  effects.push({ kind: 'start_timer', timer: 'I', ms: plan.timerI });
  return { snapshot: { ...snapshot, state: 'confirmed' }, effects };
}

function onTimer(
  snapshot: InviteServerSnapshot,
  timer: InviteServerTimer,
  request: SipRequest,
  plan: TimerPlan,
): InviteServerStep {
  const { state } = snapshot;
  if (timer === 'trying' && state === 'proceeding' && snapshot.lastResponse === undefined) {
    const trying = buildTryingResponse(request);
    return {
      snapshot: { ...snapshot, lastResponse: trying },
      effects: [{ kind: 'send', message: trying }],
    };
  }
  if (timer === 'G' && state === 'completed' && snapshot.lastResponse) {
    const timerG = Math.min(snapshot.timerG * 2, plan.retransmitCap);
    return {
      snapshot: { ...snapshot, timerG },
      effects: [
        { kind: 'send', message: snapshot.lastResponse },
        { kind: 'start_timer', timer: 'G', ms: timerG },
      ],
    };
  }
  if (timer === 'H' && state === 'completed') {
    // §17.2.1: no ACK came; the TU is told the transaction failed.
    return { snapshot: { ...snapshot, state: 'terminated' }, effects: [{ kind: 'timeout' }] };
  }
  if (timer === 'I' && state === 'confirmed') {
    return { snapshot: { ...snapshot, state: 'terminated' }, effects: [] };
  }
  return { snapshot, effects: [] };
}

/** An INVITE server transaction: created by the manager for a new INVITE. */
export class InviteServerTransaction {
  readonly kind = 'invite_server';
  private readonly runner: TransactionRunner<
    InviteServerSnapshot,
    InviteServerEvent,
    InviteServerTimer
  >;

  constructor(
    readonly request: SipRequest,
    options: ServerTransactionOptions,
  ) {
    const plan = planTimers(options.settings ?? DEFAULT_TIMER_SETTINGS, options.reliable);
    const context: InviteServerContext = { request, plan };
    this.runner = new TransactionRunner<InviteServerSnapshot, InviteServerEvent, InviteServerTimer>(
      { state: 'proceeding', lastResponse: undefined, timerG: 0 },
      (snapshot, event) => inviteServerTransition(snapshot, event, context),
      options,
      options.user,
      (timer) => ({ kind: 'timer', timer }),
      (error) => ({ kind: 'transport_error', error }),
    );
    this.runner.dispatch({ kind: 'start' });
  }

  get state(): InviteServerState {
    return this.runner.snapshot.state;
  }

  /** The TU's response; only while Proceeding (§17.2.1). */
  respond(response: SipResponse): void {
    if (this.state !== 'proceeding') {
      throw new TransactionError(
        'final_response_already_sent',
        `INVITE server transaction is ${this.state}; it takes no more responses`,
      );
    }
    this.runner.dispatch({ kind: 'tu_response', response });
  }

  receiveRequest(request: SipRequest): void {
    this.runner.dispatch(
      request.method === 'ACK' ? { kind: 'ack' } : { kind: 'request_retransmission' },
    );
  }

  /** A failure the transport reports later (§17.2.4). */
  transportError(error: unknown): void {
    this.runner.dispatch({ kind: 'transport_error', error });
  }
}
