import { describe, expect, it } from 'vitest';
import { NonceCountTracker } from './nonce-count.ts';

describe('NonceCountTracker', () => {
  it('accepts rising counts and refuses a repeated or lower one', () => {
    const tracker = new NonceCountTracker();
    expect(tracker.accept('n1', 1)).toBe('accepted');
    expect(tracker.accept('n1', 2)).toBe('accepted');
    expect(tracker.accept('n1', 2)).toBe('replayed');
    expect(tracker.accept('n1', 1)).toBe('replayed');
    expect(tracker.accept('n1', 5)).toBe('accepted');
    expect(tracker.accept('n2', 1)).toBe('accepted');
  });

  it('cannot vouch for nc > 1 on a nonce it holds no record of', () => {
    const tracker = new NonceCountTracker();
    expect(tracker.accept('n1', 3)).toBe('untracked');
    expect(tracker.size).toBe(0);
    expect(tracker.accept('n1', 0)).toBe('replayed');
  });

  it('stays within its bound, evicting the least recently used nonce', () => {
    const tracker = new NonceCountTracker({ maxNonces: 2 });
    tracker.accept('a', 1);
    tracker.accept('b', 1);
    tracker.accept('a', 2); // a is now the most recently used
    tracker.accept('c', 1); // evicts b
    expect(tracker.size).toBe(2);
    expect(tracker.accept('b', 2)).toBe('untracked');
    expect(tracker.accept('a', 2)).toBe('replayed');
    for (let i = 0; i < 10_000; i += 1) tracker.accept(`flood-${i}`, 1);
    expect(tracker.size).toBe(2);
  });
});
