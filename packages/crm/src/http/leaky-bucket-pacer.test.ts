import { describe, expect, it } from 'vitest';
import { LeakyBucketPacer } from './leaky-bucket-pacer.ts';
import type { Clock } from './pacer.ts';

function manualClock(): Clock & { now: number } {
  const clock = {
    now: 5_000_000,
    nowMs: () => clock.now,
    sleep: async (ms: number) => {
      clock.now += Math.max(0, ms);
    },
  };
  return clock;
}

/** Replays grant instants through Bitrix24's own rule: refuse when the bucket would overflow. */
function overflows(times: readonly number[], capacity: number, drainPerSecond: number): number {
  let level = 0;
  let at = times[0] ?? 0;
  let refused = 0;
  for (const time of times) {
    level = Math.max(0, level - ((time - at) / 1000) * drainPerSecond);
    at = time;
    if (level + 1 > capacity) refused += 1;
    else level += 1;
  }
  return refused;
}

describe('LeakyBucketPacer', () => {
  it('lets a burst up to capacity − headroom out at once, then 2 per second', async () => {
    const clock = manualClock();
    const pacer = new LeakyBucketPacer(clock, { capacity: 50, drainPerSecond: 2, headroom: 10 });
    const grants: number[] = [];
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        await pacer.acquire();
        grants.push(clock.now);
      }),
    );
    const start = grants[0] ?? 0;
    expect(grants.filter((time) => time === start)).toHaveLength(40);
    // The 60 after the burst drain at 2/s: the last one 30 s after the start.
    expect((grants.at(-1) ?? 0) - start).toBe(30_000);
    expect(overflows(grants, 50, 2)).toBe(0);
    expect(overflows(grants, 40, 2)).toBe(0);
  });

  it('a quiet bucket drains: after 20 s of silence a new burst of 40 goes out again', async () => {
    const clock = manualClock();
    const pacer = new LeakyBucketPacer(clock, { capacity: 50, drainPerSecond: 2, headroom: 10 });
    for (let i = 0; i < 40; i += 1) await pacer.acquire();
    expect(pacer.current()).toBe(40);
    clock.now += 20_000;
    expect(pacer.current()).toBe(0);
    const before = clock.now;
    for (let i = 0; i < 40; i += 1) await pacer.acquire();
    expect(clock.now).toBe(before);
  });

  it('a failing sleep rejects that caller only', async () => {
    const clock = manualClock();
    let fail = true;
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
    const pacer = new LeakyBucketPacer(failing, { capacity: 2, drainPerSecond: 1, headroom: 0 });
    await pacer.acquire();
    await pacer.acquire();
    await expect(pacer.acquire()).rejects.toThrow('timer broke');
    await expect(pacer.acquire()).resolves.toBeUndefined();
  });
});
