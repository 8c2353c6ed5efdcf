import { describe, expect, it } from 'vitest';
import { SandboxClock } from './clock.ts';

describe('SandboxClock', () => {
  it('follows the system clock plus what was advanced while running', () => {
    let system = 1_000_000;
    const clock = new SandboxClock({ systemNowMs: () => system });
    clock.advance(500);
    system += 250;
    expect(clock.nowMs()).toBe(1_000_750);
    expect(clock.snapshot()).toEqual({ now_ms: 1_000_750, frozen: false });
  });

  it('moves a frozen clock only when advanced, in ms and whole seconds', () => {
    const clock = SandboxClock.frozenAt(1_700_000_000_400);
    expect(clock.nowSeconds()).toBe(1_700_000_000);
    clock.advance(600);
    expect(clock.nowMs()).toBe(1_700_000_001_000);
    expect(clock.nowSeconds()).toBe(1_700_000_001);
    clock.freeze(5_000);
    expect(clock.snapshot()).toEqual({ now_ms: 5_000, frozen: true });
  });

  it('refuses to move backwards or by a non-number', () => {
    const clock = SandboxClock.frozenAt(0);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(clock.nowMs()).toBe(0);
  });
});
