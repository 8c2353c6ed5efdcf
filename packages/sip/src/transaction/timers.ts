/**
 * Time for the transaction layer comes in from outside: a setTimeout/clearTimeout pair the
 * tests replace with a fake clock (STYLE rule 5), and the base values T1, T2, T4.
 */
export type TimerHandle = number;

export interface TransactionTimers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The process clock, plus a way to drop every pending timer when the server shuts down. */
export interface SystemTimers extends TransactionTimers {
  cancelAll(): void;
}

/** The process clock; handles are plain numbers so a fake scheduler can issue its own. */
export function createSystemTimers(): SystemTimers {
  const pending = new Map<TimerHandle, ReturnType<typeof setTimeout>>();
  let nextHandle = 1;
  return {
    setTimeout(callback, ms) {
      const handle = nextHandle;
      nextHandle += 1;
      pending.set(
        handle,
        setTimeout(() => {
          pending.delete(handle);
          callback();
        }, ms),
      );
      return handle;
    },
    clearTimeout(handle) {
      const timeout = pending.get(handle);
      if (timeout === undefined) return;
      clearTimeout(timeout);
      pending.delete(handle);
    },
    cancelAll() {
      for (const timeout of pending.values()) clearTimeout(timeout);
      pending.clear();
    },
  };
}

/** RFC 3261 §17.1.1.1 and Table 4: the base values, in milliseconds. */
export interface TimerSettings {
  /** RTT estimate, 500 ms by default. */
  readonly t1: number;
  /** Longest retransmit interval for non-INVITE requests and INVITE responses, 4 s. */
  readonly t2: number;
  /** Longest time a message stays in the network, 5 s. */
  readonly t4: number;
}

export const DEFAULT_TIMER_SETTINGS: TimerSettings = { t1: 500, t2: 4_000, t4: 5_000 };

/**
 * Every timer of §17 worked out for one transport (Table 4). On a reliable transport the
 * retransmit timers (A, E, G) are not used and the wait-for-retransmissions timers
 * (D, I, J, K) are zero (§17.1.1.2, §17.1.2.2, §17.2.1, §17.2.2).
 */
export interface TimerPlan {
  /** First interval of A, E and G (T1), undefined on reliable transports. */
  readonly firstRetransmit: number | undefined;
  /** Cap of E and G (T2); A is not capped (§17.1.1.2). */
  readonly retransmitCap: number;
  /** B, F and H: 64*T1. */
  readonly transactionTimeout: number;
  /** D: at least 32 s on unreliable transports. */
  readonly timerD: number;
  /** K and I: T4. */
  readonly timerK: number;
  readonly timerI: number;
  /** J: 64*T1. */
  readonly timerJ: number;
}

/** §17.1.1.2: "a value of at least 32 seconds for unreliable transports". */
const TIMER_D_UNRELIABLE = 32_000;

export function planTimers(settings: TimerSettings, reliable: boolean): TimerPlan {
  const transactionTimeout = 64 * settings.t1;
  return {
    firstRetransmit: reliable ? undefined : settings.t1,
    retransmitCap: settings.t2,
    transactionTimeout,
    timerD: reliable ? 0 : Math.max(TIMER_D_UNRELIABLE, transactionTimeout),
    timerK: reliable ? 0 : settings.t4,
    timerI: reliable ? 0 : settings.t4,
    timerJ: reliable ? 0 : transactionTimeout,
  };
}
