import type { DtmfDigit } from '@provod/media';
import type { TimerHandle, TransactionTimers } from '@provod/sip';

/**
 * The keys a caller pressed and nobody has read yet, from any of the ways a phone sends
 * them (RFC 4733 events, in-band tones, SIP INFO). A menu reads them one at a time, each
 * with its own wait, so "press 1" and "dial an extension, then #" share one mechanism.
 */
export class DigitQueue {
  private readonly pending: DtmfDigit[] = [];
  private waiter: ((digit: DtmfDigit | undefined) => void) | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly timers: TransactionTimers) {}

  push(digit: DtmfDigit): void {
    for (const listener of this.listeners) listener();
    const waiter = this.waiter;
    if (waiter === undefined) {
      this.pending.push(digit);
      return;
    }
    this.waiter = undefined;
    waiter(digit);
  }

  /** Forgets keys pressed before a new question: an old key must not answer it. */
  clear(): void {
    this.pending.length = 0;
  }

  /** Calls `listener` on every key until the returned function is called (barge-in). */
  onKey(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The next key, or undefined when none comes within `timeoutMs` or the signal aborts. */
  next(timeoutMs: number, signal: AbortSignal): Promise<DtmfDigit | undefined> {
    const queued = this.pending.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const settle = (digit: DtmfDigit | undefined) => {
        this.timers.clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (this.waiter === settle) this.waiter = undefined;
        resolve(digit);
      };
      const onAbort = () => settle(undefined);
      signal.addEventListener('abort', onAbort, { once: true });
      const timer: TimerHandle = this.timers.setTimeout(() => settle(undefined), timeoutMs);
      this.waiter = settle;
    });
  }
}

/**
 * Reads a menu's answer: up to `maxDigits` keys, each within `timeoutMs` of the one before;
 * for entries longer than one key, '#' ends the entry early (the convention of every
 * voice menu). Empty: the caller pressed nothing in time.
 */
export async function readEntry(
  queue: DigitQueue,
  maxDigits: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<string> {
  let entry = '';
  while (entry.length < maxDigits) {
    const digit = await queue.next(timeoutMs, signal);
    if (digit === undefined) break;
    if (digit === '#' && maxDigits > 1) break;
    entry += digit;
  }
  return entry;
}
