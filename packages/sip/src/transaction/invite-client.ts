import { type SipRequest, type SipResponse } from '../message/index.ts';
import { buildNon2xxAck } from './derived-messages.ts';
import { DEFAULT_TIMER_SETTINGS, planTimers, type TimerPlan } from './timers.ts';
import { type ClientTransactionOptions } from './transaction-options.ts';
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
 * The INVITE client transaction, RFC 3261 §17.1.1.2, Figure 5:
 *
 *                                |INVITE from TU
 *              Timer A fires     |INVITE sent
 *              Reset A,          V                      Timer B fires
 *              INVITE sent +-----------+                or Transport Err.
 *                +---------|           |---------------+inform TU
 *                |         |  Calling  |               |
 *                +-------->|           |-------------->|
 *                          +-----------+ 2xx           |
 *                             |  |       2xx to TU     |
 *                             |  |1xx                  |
 *     300-699 +---------------+  |1xx to TU            |
 *    ACK sent |                  |                     |
 * resp. to TU |  1xx             V                     |
 *             |  1xx to TU  -----------+               |
 *             |  +---------|           |               |
 *             |  |         |Proceeding |-------------->|
 *             |  +-------->|           | 2xx           |
 *             |            +-----------+ 2xx to TU     |
 *             |       300-699    |                     |
 *             |       ACK sent,  |                     |
 *             |       resp. to TU|                     |
 *             |                  |                     |      NOTE:
 *             |  300-699         V                     |
 *             |  ACK sent  +-----------+Transport Err. |  transitions
 *             |  +---------|           |Inform TU      |  labeled with
 *             |  |         | Completed |-------------->|  the event
 *             |  +-------->|           |               |  over the action
 *             |            +-----------+               |  to take
 *             |              ^   |                     |
 *             |              |   | Timer D fires       |
 *             +--------------+   | -                   |
 *                                |                     |
 *                                V                     |
 *                          +-----------+               |
 *                          |           |               |
 *                          | Terminated|<--------------+
 *                          |           |
 *                          +-----------+
 *
 * A 2xx ends the transaction at once: its retransmissions and the ACK for it are the
 * TU's business, end to end (§13.2.2.4, §17.1.1.3).
 */
export type InviteClientState = 'calling' | 'proceeding' | 'completed' | 'terminated';

export type InviteClientTimer = 'A' | 'B' | 'D';

export interface InviteClientSnapshot {
  readonly state: InviteClientState;
  /** The interval Timer A was last armed with; doubles on every firing, uncapped. */
  readonly timerA: number;
  /** The ACK sent for the first 300-699, re-sent for each retransmission of it. */
  readonly ack: SipRequest | undefined;
}

export type InviteClientEvent =
  | { readonly kind: 'start' }
  | { readonly kind: 'response'; readonly response: SipResponse }
  | TimerFiredEvent<InviteClientTimer>
  | TransportErrorEvent;

export interface InviteClientContext {
  readonly request: SipRequest;
  readonly plan: TimerPlan;
}

export function initialInviteClientSnapshot(plan: TimerPlan): InviteClientSnapshot {
  return { state: 'calling', timerA: plan.firstRetransmit ?? 0, ack: undefined };
}

export function inviteClientTransition(
  snapshot: InviteClientSnapshot,
  event: InviteClientEvent,
  context: InviteClientContext,
): Step<InviteClientSnapshot, InviteClientTimer> {
  const { state } = snapshot;
  const { plan, request } = context;
  switch (event.kind) {
    case 'start': {
      if (state !== 'calling') return stay(snapshot);
      const effects: Effect<InviteClientTimer>[] = [{ kind: 'send', message: request }];
      // §17.1.1.2: Timer A only on unreliable transports; Timer B always.
      if (plan.firstRetransmit !== undefined) {
        effects.push({ kind: 'start_timer', timer: 'A', ms: plan.firstRetransmit });
      }
      effects.push({ kind: 'start_timer', timer: 'B', ms: plan.transactionTimeout });
      return { snapshot, effects };
    }
    case 'timer':
      return onTimer(snapshot, event.timer, context);
    case 'response':
      return onResponse(snapshot, event.response, context);
    case 'transport_error':
      return {
        snapshot: { ...snapshot, state: 'terminated' },
        effects: [{ kind: 'transport_error', error: event.error }],
      };
  }
}

function onTimer(
  snapshot: InviteClientSnapshot,
  timer: InviteClientTimer,
  { request }: InviteClientContext,
): Step<InviteClientSnapshot, InviteClientTimer> {
  if (timer === 'A' && snapshot.state === 'calling') {
    const timerA = snapshot.timerA * 2;
    return {
      snapshot: { ...snapshot, timerA },
      effects: [
        { kind: 'send', message: request },
        { kind: 'start_timer', timer: 'A', ms: timerA },
      ],
    };
  }
  if (timer === 'B' && snapshot.state === 'calling') {
    return { snapshot: { ...snapshot, state: 'terminated' }, effects: [{ kind: 'timeout' }] };
  }
  if (timer === 'D' && snapshot.state === 'completed') {
    return { snapshot: { ...snapshot, state: 'terminated' }, effects: [] };
  }
  return stay(snapshot);
}

function onResponse(
  snapshot: InviteClientSnapshot,
  response: SipResponse,
  { request, plan }: InviteClientContext,
): Step<InviteClientSnapshot, InviteClientTimer> {
  const { state } = snapshot;
  if (state === 'completed') {
    // §17.1.1.2: a retransmitted final response is answered with the ACK, not passed up.
    if (isProvisional(response) || isSuccess(response) || snapshot.ack === undefined) {
      return stay(snapshot);
    }
    return { snapshot, effects: [{ kind: 'send', message: snapshot.ack }] };
  }
  if (state !== 'calling' && state !== 'proceeding') return stay(snapshot);
  const stopCallingTimers: Effect<InviteClientTimer>[] = [
    { kind: 'stop_timer', timer: 'A' },
    { kind: 'stop_timer', timer: 'B' },
  ];
  if (isProvisional(response)) {
    return {
      snapshot: { ...snapshot, state: 'proceeding' },
      effects: [...stopCallingTimers, { kind: 'deliver', response }],
    };
  }
  if (isSuccess(response)) {
    return {
      snapshot: { ...snapshot, state: 'terminated' },
      effects: [{ kind: 'deliver', response }],
    };
  }
  const ack = buildNon2xxAck(request, response);
  const effects: Effect<InviteClientTimer>[] = [
    ...stopCallingTimers,
    { kind: 'send', message: ack },
    { kind: 'deliver', response },
  ];
  // §17.1.1.2: Timer D is zero on reliable transports, so Completed is left at once.
  if (plan.timerD === 0) return { snapshot: { ...snapshot, state: 'terminated', ack }, effects };
  effects.push({ kind: 'start_timer', timer: 'D', ms: plan.timerD });
  return { snapshot: { ...snapshot, state: 'completed', ack }, effects };
}

function stay(snapshot: InviteClientSnapshot): Step<InviteClientSnapshot, InviteClientTimer> {
  return { snapshot, effects: [] };
}

/** An INVITE client transaction bound to its environment; `start()` sends the INVITE. */
export class InviteClientTransaction {
  readonly kind = 'invite_client';
  private readonly runner: TransactionRunner<
    InviteClientSnapshot,
    InviteClientEvent,
    InviteClientTimer
  >;

  constructor(
    readonly request: SipRequest,
    options: ClientTransactionOptions,
  ) {
    const plan = planTimers(options.settings ?? DEFAULT_TIMER_SETTINGS, options.reliable);
    const context: InviteClientContext = { request, plan };
    this.runner = new TransactionRunner<InviteClientSnapshot, InviteClientEvent, InviteClientTimer>(
      initialInviteClientSnapshot(plan),
      (snapshot, event) => inviteClientTransition(snapshot, event, context),
      options,
      options.user,
      (timer) => ({ kind: 'timer', timer }),
      (error) => ({ kind: 'transport_error', error }),
    );
  }

  get state(): InviteClientState {
    return this.runner.snapshot.state;
  }

  start(): void {
    this.runner.dispatch({ kind: 'start' });
  }

  receiveResponse(response: SipResponse): void {
    this.runner.dispatch({ kind: 'response', response });
  }

  /** A failure the transport reports later (a TCP connection lost, an ICMP error, §17.1.4). */
  transportError(error: unknown): void {
    this.runner.dispatch({ kind: 'transport_error', error });
  }
}
