import { type SipMessage, type SipResponse } from '../message/index.ts';

/**
 * What a transition asks the world to do. The four state machines are pure functions
 * `(snapshot, event) → { snapshot, effects }`; `TransactionRunner` performs the effects,
 * so each figure of RFC 3261 §17 reads as one switch and is tested without a clock.
 */
export type TimerName =
  | 'A'
  | 'B'
  | 'D'
  | 'E'
  | 'F'
  | 'K'
  | 'G'
  | 'H'
  | 'I'
  | 'J'
  /** §17.2.1: the INVITE server's 200 ms wait before it sends 100 Trying itself. */
  | 'trying';

/** `Timer` narrows the names to the machine's own, so a timer's firing maps back to an event. */
export type Effect<Timer extends TimerName = TimerName> =
  | { readonly kind: 'send'; readonly message: SipMessage }
  | { readonly kind: 'start_timer'; readonly timer: Timer; readonly ms: number }
  | { readonly kind: 'stop_timer'; readonly timer: Timer }
  /** Client transactions pass responses up to the TU. */
  | { readonly kind: 'deliver'; readonly response: SipResponse }
  /** Timer B, F or H fired: the TU learns the transaction failed (§17.1.1.2, §17.2.1). */
  | { readonly kind: 'timeout' }
  | { readonly kind: 'transport_error'; readonly error: unknown };

export interface Step<Snapshot, Timer extends TimerName> {
  readonly snapshot: Snapshot;
  readonly effects: readonly Effect<Timer>[];
}

/** The event every machine understands besides its own: the transport failed (§17.1.4, §17.2.4). */
export interface TransportErrorEvent {
  readonly kind: 'transport_error';
  readonly error: unknown;
}

export interface TimerFiredEvent<Name extends TimerName> {
  readonly kind: 'timer';
  readonly timer: Name;
}

export function isProvisional(response: SipResponse): boolean {
  return response.status >= 100 && response.status < 200;
}

export function isSuccess(response: SipResponse): boolean {
  return response.status >= 200 && response.status < 300;
}
