import { describe, expect, it } from 'vitest';
import { amoPacers, RequestPacer, type Clock } from './pacer.ts';

/** A hand-moved clock: sleeping advances it, nothing waits for real time. */
function manualClock(): Clock & { now: number } {
  const clock = {
    now: 1_000_000,
    nowMs: () => clock.now,
    sleep: async (ms: number) => {
      clock.now += Math.max(0, ms);
    },
  };
  return clock;
}

/** The largest number of instants inside any half-open window [t, t + windowMs). */
function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    const start = sorted[i] ?? 0;
    best = Math.max(best, sorted.filter((t) => t >= start && t < start + windowMs).length);
  }
  return best;
}

describe('RequestPacer', () => {
  it('grants 20 concurrent callers at most 7 in any second', async () => {
    const clock = manualClock();
    const pacer = new RequestPacer(clock, { perSecond: 7, marginMs: 0 });
    const grants: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, () => pacer.acquire().then(() => grants.push(clock.nowMs()))),
    );
    expect(grants).toHaveLength(20);
    expect(busiestWindow(grants, 1000)).toBe(7);
    // The first seven go at once; the limit is a window, not a fixed spacing.
    expect(grants.slice(0, 7).every((t) => t === 1_000_000)).toBe(true);
  });

  it('keeps the margin: 7 in any window of 1 s + margin', async () => {
    const clock = manualClock();
    const pacer = new RequestPacer(clock, { perSecond: 7, marginMs: 100 });
    const grants: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      await pacer.acquire();
      grants.push(clock.nowMs());
    }
    expect(busiestWindow(grants, 1100)).toBe(7);
  });

  it('a continuously refilled bucket would let 13 through in one second; this one does not', async () => {
    const clock = manualClock();
    const pacer = new RequestPacer(clock, { perSecond: 7, marginMs: 0 });
    const grants: number[] = [];
    for (let i = 0; i < 14; i += 1) {
      await pacer.acquire();
      grants.push(clock.nowMs());
      clock.now += 143; // a caller that would fit 7/s on average
    }
    expect(busiestWindow(grants, 1000)).toBeLessThanOrEqual(7);
  });

  it('the registry hands one pacer per account, whatever the spelling', () => {
    const registry = amoPacers(manualClock());
    const a = registry.forAccount('https://Example.amocrm.ru');
    expect(registry.forAccount('https://example.amocrm.ru')).toBe(a);
    expect(registry.forAccount('https://other.amocrm.ru')).not.toBe(a);
  });

  it('a failing sleep rejects that caller only; the next one is still served', async () => {
    let fail = true;
    const clock = manualClock();
    const failing: Clock = {
      nowMs: () => clock.nowMs(),
      sleep: async (ms) => {
        if (fail) {
          fail = false;
          throw new Error('timer broke');
        }
        await clock.sleep(ms);
      },
    };
    const pacer = new RequestPacer(failing, { perSecond: 1, marginMs: 0 });
    await pacer.acquire();
    await expect(pacer.acquire()).rejects.toThrow('timer broke');
    await expect(pacer.acquire()).resolves.toBeUndefined();
  });
});
