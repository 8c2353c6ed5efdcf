import { describe, expect, it } from 'vitest';
import { AuthFailureGuard, type AuthBlock, type AuthFailureGuardOptions } from './failure-guard.ts';

function setup(options: Partial<AuthFailureGuardOptions> = {}) {
  let now = new Date('2025-03-01T10:00:00.000Z').getTime();
  const blocks: AuthBlock[] = [];
  const guard = new AuthFailureGuard({
    clock: () => new Date(now),
    sourceLimit: { maxFailures: 5, windowMs: 60_000, blockMs: 300_000 },
    userLimit: { maxFailures: 3, windowMs: 60_000, blockMs: 300_000 },
    onBlock: (block) => blocks.push(block),
    ...options,
  });
  return { guard, blocks, advance: (ms: number) => (now += ms) };
}

const alice = { tenant: 'acme', username: 'alice' };
const bob = { tenant: 'acme', username: 'bob' };
const carol = { tenant: 'globex', username: 'carol' };

describe('AuthFailureGuard', () => {
  it('blocks a user after N failures in the window, for the cool-down, and says so once', () => {
    const { guard, blocks, advance } = setup();
    expect(guard.recordFailure('192.0.2.1', alice).decision).toBe('allowed');
    expect(guard.recordFailure('192.0.2.2', alice).decision).toBe('allowed');
    const third = guard.recordFailure('192.0.2.3', alice);
    expect(third).toMatchObject({ decision: 'blocked', kind: 'user', key: 'alice@acme' });
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ kind: 'user', key: 'alice@acme', user: alice, failures: 3 });
    // Blocked from any address; other users and tenants are untouched.
    expect(guard.check('198.51.100.7', alice)).toMatchObject({
      decision: 'blocked',
      retryAfterMs: 300_000,
    });
    expect(guard.check('198.51.100.7', bob)).toEqual({ decision: 'allowed' });
    advance(299_999);
    expect(guard.check('198.51.100.7', alice).decision).toBe('blocked');
    advance(1);
    expect(guard.check('198.51.100.7', alice).decision).toBe('allowed');
    expect(guard.blocked()).toEqual([]);
  });

  it('counts in a sliding window', () => {
    const { guard, advance } = setup();
    guard.recordFailure('192.0.2.1', alice);
    guard.recordFailure('192.0.2.1', alice);
    advance(60_000); // both fall out of the window
    expect(guard.recordFailure('192.0.2.1', alice).decision).toBe('allowed');
    advance(30_000);
    expect(guard.recordFailure('192.0.2.1', alice).decision).toBe('allowed');
    expect(guard.recordFailure('192.0.2.1', alice).decision).toBe('blocked');
  });

  it('blocks one source trying many users, without blocking other sources or tenants', () => {
    const { guard, blocks } = setup();
    for (let i = 0; i < 5; i += 1) {
      guard.recordFailure('203.0.113.9', { tenant: 'acme', username: `u${i}` });
    }
    expect(blocks.map((block) => [block.kind, block.key])).toEqual([['source', '203.0.113.9']]);
    expect(guard.check('203.0.113.9').decision).toBe('blocked');
    expect(guard.check('203.0.113.9', carol).decision).toBe('blocked');
    expect(guard.check('192.0.2.1', carol).decision).toBe('allowed');
    expect(guard.check('192.0.2.1', alice).decision).toBe('allowed');
  });

  it('counts an IPv6 /64 as one source', () => {
    const { guard } = setup();
    for (let i = 1; i <= 5; i += 1) guard.recordFailure(`2001:db8:0:1::${i}`);
    expect(guard.check('2001:db8:0:1::ffff').decision).toBe('blocked');
    expect(guard.check('2001:db8:0:2::1').decision).toBe('allowed');
  });

  it('forgets a user’s failures on success but keeps the source’s', () => {
    const { guard } = setup();
    guard.recordFailure('192.0.2.1', alice);
    guard.recordFailure('192.0.2.1', alice);
    guard.recordSuccess('192.0.2.1', alice);
    expect(guard.recordFailure('192.0.2.1', alice).decision).toBe('allowed');
    guard.recordFailure('192.0.2.1', bob);
    expect(guard.recordFailure('192.0.2.1', carol)).toMatchObject({
      decision: 'blocked',
      kind: 'source',
    });
  });

  it('lists blocks for the API and lets an administrator lift one', () => {
    const { guard, advance } = setup();
    for (let i = 0; i < 3; i += 1) guard.recordFailure(`192.0.2.${i}`, alice);
    advance(1_000);
    for (let i = 0; i < 3; i += 1) guard.recordFailure(`198.51.100.${i}`, carol);
    const listed = guard.blocked();
    expect(listed.map((block) => block.key)).toEqual(['alice@acme', 'carol@globex']);
    expect(listed[0]?.blockedUntil.toISOString()).toBe('2025-03-01T10:05:00.000Z');
    expect(guard.unblock('user', 'alice@acme')).toBe(true);
    expect(guard.unblock('user', 'alice@acme')).toBe(false);
    expect(guard.check('192.0.2.1', alice).decision).toBe('allowed');
  });

  it('stays bounded under a flood from many addresses and keeps existing blocks', () => {
    const { guard } = setup({ maxTrackedKeys: 100, maxBlocks: 10 });
    for (let i = 0; i < 5; i += 1) guard.recordFailure('203.0.113.9');
    for (let i = 0; i < 20_000; i += 1) {
      guard.recordFailure(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    }
    expect(guard.check('203.0.113.9').decision).toBe('blocked');
    expect(guard.trackedKeys).toBeLessThanOrEqual(100);
    expect(guard.blocked().length).toBeLessThanOrEqual(10);
  });

  it('refuses nonsensical limits', () => {
    expect(() => setup({ userLimit: { maxFailures: 0 } })).toThrow(RangeError);
    expect(() => setup({ maxTrackedKeys: 0 })).toThrow(RangeError);
  });
});
