import { type SipMessage, type SipResponse } from '../message/index.ts';
import { type TimerHandle, type TransactionTimers } from './timers.ts';
import { type Effect, type Step, type TimerName } from './transaction-step.ts';

/** What every transaction is given: a way out, a clock, and whether the transport is reliable. */
export interface TransactionEnvironment {
  /** Hands a message to the transport (§18). A synchronous throw counts as a transport error. */
  readonly send: (message: SipMessage) => void;
  readonly timers: TransactionTimers;
  readonly reliable: boolean;
}

/** Callbacks to the transaction user; every one is optional. */
export interface TransactionUser {
  onResponse?(response: SipResponse): void;
  onTimeout?(): void;
  onTransportError?(error: unknown): void;
  onTerminated?(): void;
}

/**
 * Drives one state machine: keeps its snapshot, performs the effects of each step, owns
 * the timers, and tells the TU once when the machine reaches `terminated`. A send that
 * throws is fed back as a transport_error event after the step finishes, so a transition
 * never runs inside another.
 */
export class TransactionRunner<
  Snapshot extends { readonly state: string },
  Event,
  Timer extends TimerName,
> {
  private current: Snapshot;
  private readonly handles = new Map<Timer, TimerHandle>();
  private terminatedReported = false;
  private dispatching = false;
  private readonly queue: Event[] = [];

  constructor(
    initial: Snapshot,
    private readonly transition: (snapshot: Snapshot, event: Event) => Step<Snapshot, Timer>,
    private readonly environment: TransactionEnvironment,
    private readonly user: TransactionUser,
    private readonly timerEvent: (timer: Timer) => Event,
    private readonly transportErrorEvent: (error: unknown) => Event,
  ) {
    this.current = initial;
  }

  get snapshot(): Snapshot {
    return this.current;
  }

  dispatch(event: Event): void {
    this.queue.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        if (this.current.state === 'terminated') continue;
        const step = this.transition(this.current, next);
        this.current = step.snapshot;
        for (const effect of step.effects) this.perform(effect);
        if (this.current.state === 'terminated') this.finish();
      }
    } finally {
      this.dispatching = false;
    }
  }

  private perform(effect: Effect<Timer>): void {
    switch (effect.kind) {
      case 'send':
        try {
          this.environment.send(effect.message);
        } catch (error: unknown) {
          this.queue.push(this.transportErrorEvent(error));
        }
        return;
      case 'start_timer': {
        this.stopTimer(effect.timer);
        const handle = this.environment.timers.setTimeout(() => {
          this.handles.delete(effect.timer);
          this.dispatch(this.timerEvent(effect.timer));
        }, effect.ms);
        this.handles.set(effect.timer, handle);
        return;
      }
      case 'stop_timer':
        this.stopTimer(effect.timer);
        return;
      case 'deliver':
        this.user.onResponse?.(effect.response);
        return;
      case 'timeout':
        this.user.onTimeout?.();
        return;
      case 'transport_error':
        this.user.onTransportError?.(effect.error);
        return;
    }
  }

  private stopTimer(timer: Timer): void {
    const handle = this.handles.get(timer);
    if (handle === undefined) return;
    this.environment.timers.clearTimeout(handle);
    this.handles.delete(timer);
  }

  private finish(): void {
    for (const handle of this.handles.values()) this.environment.timers.clearTimeout(handle);
    this.handles.clear();
    this.queue.length = 0;
    if (this.terminatedReported) return;
    this.terminatedReported = true;
    this.user.onTerminated?.();
  }
}
