import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';

describe('LoginThrottle', () => {
  const options = { maxFailures: 3, windowMs: 60_000, lockoutMs: 120_000, maxKeys: 100 };

  it('locks a key out after too many failures in the window, then lets it go', () => {
    let now = 0;
    const throttle = new LoginThrottle(() => new Date(now), options);
    const keys = ['email:a@b.test', 'ip:10.0.0.1'];
    for (let i = 0; i < 2; i++) throttle.recordFailure(keys);
    expect(() => throttle.check(keys)).not.toThrow();
    throttle.recordFailure(keys);
    expect(() => throttle.check(['ip:10.0.0.1'])).toThrowError(
      /too many failed logins; try again in 120 s/,
    );
    expect(() => throttle.check(['email:other@b.test'])).not.toThrow();
    now += 120_001;
    expect(() => throttle.check(keys)).not.toThrow();
  });

  it('forgets failures older than the window', () => {
    let now = 0;
    const throttle = new LoginThrottle(() => new Date(now), options);
    throttle.recordFailure(['k']);
    throttle.recordFailure(['k']);
    now += 60_001;
    throttle.recordFailure(['k']);
    expect(() => throttle.check(['k'])).not.toThrow();
  });

  it('clears an account on success and bounds the keys it remembers', () => {
    const throttle = new LoginThrottle(() => new Date(0), { ...options, maxKeys: 2 });
    throttle.recordFailure(['a', 'a2']);
    throttle.recordFailure(['a']);
    throttle.recordSuccess('a');
    throttle.recordFailure(['a']);
    throttle.recordFailure(['a']);
    expect(() => throttle.check(['a'])).not.toThrow();
    for (const key of ['x', 'y', 'z']) for (let i = 0; i < 3; i++) throttle.recordFailure([key]);
    expect(() => throttle.check(['x'])).not.toThrow();
    expect(() => throttle.check(['z'])).toThrow();
  });
});
