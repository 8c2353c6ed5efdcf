import { describe, expect, it } from 'vitest';
import { RequestRateGuard } from './request-rate-guard.ts';

describe('RequestRateGuard', () => {
  it('lets a burst through, then the sustained rate, per source', () => {
    let now = 0;
    const guard = new RequestRateGuard({ perSecond: 10, burst: 20, now: () => now });
    const admitted = () =>
      Array.from({ length: 30 }, () => guard.admit('192.0.2.7')).filter(Boolean).length;
    expect(admitted()).toBe(20);
    expect(guard.admit('198.51.100.9')).toBe(true);
    now += 500;
    expect(admitted()).toBe(5);
    now += 10_000;
    expect(admitted()).toBe(20);
  });

  it('counts an IPv6 /64 as one source', () => {
    const guard = new RequestRateGuard({ perSecond: 1, burst: 2, now: () => 0 });
    expect(guard.admit('2001:db8::1')).toBe(true);
    expect(guard.admit('2001:db8::2')).toBe(true);
    expect(guard.admit('2001:db8::3')).toBe(false);
    expect(guard.admit('2001:db8:0:1::1')).toBe(true);
  });

  it('is off at rate 0 and forgets the idlest sources beyond its size', () => {
    const off = new RequestRateGuard({ perSecond: 0, burst: 0 });
    expect(Array.from({ length: 100 }, () => off.admit('192.0.2.1')).every(Boolean)).toBe(true);

    const small = new RequestRateGuard({ perSecond: 1, burst: 1, maxSources: 2, now: () => 0 });
    expect(small.admit('192.0.2.1')).toBe(true);
    expect(small.admit('192.0.2.1')).toBe(false);
    small.admit('192.0.2.2');
    small.admit('192.0.2.3');
    // 192.0.2.1 was forgotten, so it starts with a full bucket again.
    expect(small.admit('192.0.2.1')).toBe(true);
  });
});
