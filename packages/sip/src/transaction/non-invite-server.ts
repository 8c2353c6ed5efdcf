import { type SipRequest, type SipResponse } from '../message/index.ts';
import { DEFAULT_TIMER_SETTINGS, planTimers, type TimerPlan } from './timers.ts';
import { TransactionError } from './transaction-error.ts';
import { type ServerTransactionOptions } from './transaction-options.ts';
import { TransactionRunner } from './transaction-runner.ts';
import {
  isProvisional,
  type Effect,
  type Step,
  type TimerFiredEvent,
  type TransportErrorEvent,
} from './transaction-step.ts';

/**
 * The non-INVITE server transaction, RFC 3261 §17.2.2, Figure 8:
 *
 *                                   |Request received
 *                                   |pass to TU
 *                                   V
 *                             +-----------+
 *                             |           |
 *                             | Trying    |-------------+
 *                             |           |             |
 *                             +-----------+             |200-699 from TU
 *                                   |                   |send response
 *                                   |1xx from TU        |
 *                                   |send response      |
 *                                   |                   |
 *                Request            V      1xx from TU  |
 *                send response+-----------+send response|
 *                    +--------|           |--------+    |
 *                    |        | Proceeding|        |    |
 *                    +------->|           |<-------+    |
 *             +<--------------|           |             |
 *             |Trnsprt Err    +-----------+             |
 *             |Inform TU            |                   |
 *             |                     |                   |
 *             |                     |200-699 from TU    |
 *             |                     |send response      |
 *             |  Request            V                   |
 *             |  send response+-----------+             |
 *             |      +--------|           |             |
 *             |      |        | Completed |<------------+
 *             |      +------->|           |
 *             +<--------------|           |
 *             |Trnsprt Err    +-----------+
 *             |Inform TU            |
 *             |                     |Timer J fires
 *             |                     |-
 *             |                     |
 *             |                     V
 *             |               +-----------+
 *             |               |           |
 *             +-------------->| Terminated|
 *                             |           |
 *                             +-----------+
 *
 * A retransmission while Trying is absorbed: there is nothing yet to answer it with.
 */
export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export type NonInviteServerTimer = 'J';

export interface NonInviteServerSnapshot {
  readonly state: NonInviteServerState;
  readonly lastResponse: SipResponse | undefined;
}

export type NonInviteServerEvent =
  | { readonly kind: 'request_retransmission' }
  | { readonly kind: 'tu_response'; readonly response: SipResponse }
  | TimerFiredEvent<NonInviteServerTimer>
  | TransportErrorEvent;

type NonInviteServerStep = Step<NonInviteServerSnapshot, NonInviteServerTimer>;

export function nonInviteServerTransition(
  snapshot: NonInviteServerSnapshot,
  event: NonInviteServerEvent,
  plan: TimerPlan,
): NonInviteServerStep {
  const { state } = snapshot;
  const stay: NonInviteServerStep = { snapshot, effects: [] };
  switch (event.kind) {
    case 'request_retransmission':
      if ((state === 'proceeding' || state === 'completed') && snapshot.lastResponse) {
        return { snapshot, effects: [{ kind: 'send', message: snapshot.lastResponse }] };
      }
      return stay;
    case 'tu_response': {
      if (state !== 'trying' && state !== 'proceeding') return stay;
      const { response } = event;
      const effects: Effect<NonInviteServerTimer>[] = [{ kind: 'send', message: response }];
      if (isProvisional(response)) {
        return { snapshot: { state: 'proceeding', lastResponse: response }, effects };
      }
      // §17.2.2: Timer J is zero on reliable transports, so Completed is left at once.
      if (plan.timerJ === 0)
        return { snapshot: { state: 'terminated', lastResponse: response }, effects };
      effects.push({ kind: 'start_timer', timer: 'J', ms: plan.timerJ });
      return { snapshot: { state: 'completed', lastResponse: response }, effects };
    }
    case 'timer':
      return state === 'completed'
        ? { snapshot: { ...snapshot, state: 'terminated' }, effects: [] }
        : stay;
    case 'transport_error':
      return {
        snapshot: { ...snapshot, state: 'terminated' },
        effects: [{ kind: 'transport_error', error: event.error }],
      };
  }
}

/** A non-INVITE server transaction: created by the manager for a new request (CANCEL too). */
export class NonInviteServerTransaction {
  readonly kind = 'non_invite_server';
  private readonly runner: TransactionRunner<
    NonInviteServerSnapshot,
    NonInviteServerEvent,
    NonInviteServerTimer
  >;

  constructor(
    readonly request: SipRequest,
    options: ServerTransactionOptions,
  ) {
    const plan = planTimers(options.settings ?? DEFAULT_TIMER_SETTINGS, options.reliable);
    this.runner = new TransactionRunner<
      NonInviteServerSnapshot,
      NonInviteServerEvent,
      NonInviteServerTimer
    >(
      { state: 'trying', lastResponse: undefined },
      (snapshot, event) => nonInviteServerTransition(snapshot, event, plan),
      options,
      options.user,
      (timer) => ({ kind: 'timer', timer }),
      (error) => ({ kind: 'transport_error', error }),
    );
  }

  get state(): NonInviteServerState {
    return this.runner.snapshot.state;
  }

  /** The TU's response; only while Trying or Proceeding (§17.2.2). */
  respond(response: SipResponse): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') {
      throw new TransactionError(
        'final_response_already_sent',
        `non-INVITE server transaction is ${this.state}; it takes no more responses`,
      );
    }
    this.runner.dispatch({ kind: 'tu_response', response });
  }

  receiveRequest(): void {
    this.runner.dispatch({ kind: 'request_retransmission' });
  }

  /** A failure the transport reports later (§17.2.4). */
  transportError(error: unknown): void {
    this.runner.dispatch({ kind: 'transport_error', error });
  }
}
