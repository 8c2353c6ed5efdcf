import { type SipRequest, type SipResponse } from '../message/index.ts';
import { type ClientTransactionOptions } from './transaction-options.ts';
import { DEFAULT_TIMER_SETTINGS, planTimers, type TimerPlan } from './timers.ts';
import { TransactionRunner } from './transaction-runner.ts';
import {
  isProvisional,
  type Effect,
  type Step,
  type TimerFiredEvent,
  type TransportErrorEvent,
} from './transaction-step.ts';

/**
 * The non-INVITE client transaction, RFC 3261 §17.1.2.2, Figure 6:
 *
 *                                |Request from TU
 *                                |send request
 *            Timer E             V
 *            send request  +-----------+
 *                +---------|           |-------------------+
 *                |         |  Trying   |  Timer F          |
 *                +-------->|           |  or Transport Err.|
 *                          +-----------+  inform TU        |
 *             200-699         |  |                         |
 *             resp. to TU     |  |1xx                      |
 *             +---------------+  |resp. to TU              |
 *             |                  |                         |
 *             |   Timer E        V       Timer F           |
 *             |   send req +-----------+ or Transport Err. |
 *             |  +---------|           | inform TU         |
 *             |  |         |Proceeding |------------------>|
 *             |  +-------->|           |-----+             |
 *             |            +-----------+     |1xx          |
 *             |              |      ^        |resp to TU   |
 *             | 200-699      |      +--------+             |
 *             | resp. to TU  |                             |
 *             |              |                             |
 *             |              V                             |
 *             |            +-----------+                   |
 *             |            |           |                   |
 *             |            | Completed |                   |
 *             |            |           |                   |
 *             |            +-----------+                   |
 *             |              ^   |                         |
 *             |              |   | Timer K                 |
 *             +--------------+   | -                       |
 *                                |                         |
 *                                V                         |
 *          NOTE:           +-----------+                   |
 *                          |           |                   |
 *      transitions         | Terminated|<------------------+
 *      labeled with        |           |
 *      the event           +-----------+
 *      over the action
 *      to take
 */
export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export type NonInviteClientTimer = 'E' | 'F' | 'K';

export interface NonInviteClientSnapshot {
  readonly state: NonInviteClientState;
  /** The interval Timer E was last armed with: doubles up to T2, T2 once Proceeding. */
  readonly timerE: number;
}

export type NonInviteClientEvent =
  | { readonly kind: 'start' }
  | { readonly kind: 'response'; readonly response: SipResponse }
  | TimerFiredEvent<NonInviteClientTimer>
  | TransportErrorEvent;

export interface NonInviteClientContext {
  readonly request: SipRequest;
  readonly plan: TimerPlan;
}

type NonInviteClientStep = Step<NonInviteClientSnapshot, NonInviteClientTimer>;

export function nonInviteClientTransition(
  snapshot: NonInviteClientSnapshot,
  event: NonInviteClientEvent,
  { request, plan }: NonInviteClientContext,
): NonInviteClientStep {
  const { state } = snapshot;
  const active = state === 'trying' || state === 'proceeding';
  switch (event.kind) {
    case 'start': {
      if (state !== 'trying') return { snapshot, effects: [] };
      const effects: Effect<NonInviteClientTimer>[] = [{ kind: 'send', message: request }];
      // §17.1.2.2: Timer E only on unreliable transports; Timer F always.
      if (plan.firstRetransmit !== undefined) {
        effects.push({ kind: 'start_timer', timer: 'E', ms: plan.firstRetransmit });
      }
      effects.push({ kind: 'start_timer', timer: 'F', ms: plan.transactionTimeout });
      return { snapshot, effects };
    }
    case 'timer':
      if (event.timer === 'E' && active) {
        // §17.1.2.2: E doubles up to T2 while Trying and is reset to T2 in Proceeding.
        const next =
          state === 'trying'
            ? Math.min(snapshot.timerE * 2, plan.retransmitCap)
            : plan.retransmitCap;
        return {
          snapshot: { ...snapshot, timerE: next },
          effects: [
            { kind: 'send', message: request },
            { kind: 'start_timer', timer: 'E', ms: next },
          ],
        };
      }
      if (event.timer === 'F' && active) {
        return { snapshot: { ...snapshot, state: 'terminated' }, effects: [{ kind: 'timeout' }] };
      }
      if (event.timer === 'K' && state === 'completed') {
        return { snapshot: { ...snapshot, state: 'terminated' }, effects: [] };
      }
      return { snapshot, effects: [] };
    case 'response':
      return onResponse(snapshot, event.response, plan);
    case 'transport_error':
      return {
        snapshot: { ...snapshot, state: 'terminated' },
        effects: [{ kind: 'transport_error', error: event.error }],
      };
  }
}

function onResponse(
  snapshot: NonInviteClientSnapshot,
  response: SipResponse,
  plan: TimerPlan,
): NonInviteClientStep {
  const { state } = snapshot;
  // §17.1.2.2: in Completed, retransmitted responses are absorbed.
  if (state !== 'trying' && state !== 'proceeding') return { snapshot, effects: [] };
  if (isProvisional(response)) {
    return {
      snapshot: { ...snapshot, state: 'proceeding' },
      effects: [{ kind: 'deliver', response }],
    };
  }
  const effects: Effect<NonInviteClientTimer>[] = [
    { kind: 'stop_timer', timer: 'E' },
    { kind: 'stop_timer', timer: 'F' },
    { kind: 'deliver', response },
  ];
  if (plan.timerK === 0) return { snapshot: { ...snapshot, state: 'terminated' }, effects };
  effects.push({ kind: 'start_timer', timer: 'K', ms: plan.timerK });
  return { snapshot: { ...snapshot, state: 'completed' }, effects };
}

/** A non-INVITE client transaction bound to its environment; `start()` sends the request. */
export class NonInviteClientTransaction {
  readonly kind = 'non_invite_client';
  private readonly runner: TransactionRunner<
    NonInviteClientSnapshot,
    NonInviteClientEvent,
    NonInviteClientTimer
  >;

  constructor(
    readonly request: SipRequest,
    options: ClientTransactionOptions,
  ) {
    const plan = planTimers(options.settings ?? DEFAULT_TIMER_SETTINGS, options.reliable);
    const context: NonInviteClientContext = { request, plan };
    this.runner = new TransactionRunner<
      NonInviteClientSnapshot,
      NonInviteClientEvent,
      NonInviteClientTimer
    >(
      { state: 'trying', timerE: plan.firstRetransmit ?? 0 },
      (snapshot, event) => nonInviteClientTransition(snapshot, event, context),
      options,
      options.user,
      (timer) => ({ kind: 'timer', timer }),
      (error) => ({ kind: 'transport_error', error }),
    );
  }

  get state(): NonInviteClientState {
    return this.runner.snapshot.state;
  }

  start(): void {
    this.runner.dispatch({ kind: 'start' });
  }

  receiveResponse(response: SipResponse): void {
    this.runner.dispatch({ kind: 'response', response });
  }

  /** A failure the transport reports later (§17.1.4). */
  transportError(error: unknown): void {
    this.runner.dispatch({ kind: 'transport_error', error });
  }
}
