import { createSystemTimers } from '@provod/sip';
import { describe, expect, it, vi } from 'vitest';
import { DigitQueue, readEntry } from './digit-queue.ts';

const timers = createSystemTimers();

describe('DigitQueue and readEntry', () => {
  it('hands over keys pressed before the read, then waits for the next', async () => {
    const queue = new DigitQueue(timers);
    const signal = new AbortController().signal;
    queue.push('4');
    expect(await queue.next(1000, signal)).toBe('4');
    const later = queue.next(1000, signal);
    queue.push('2');
    expect(await later).toBe('2');
  });

  it('gives up after the timeout, and at once when the call is over', async () => {
    vi.useFakeTimers();
    try {
      const queue = new DigitQueue(timers);
      const hungUp = new AbortController();
      const waiting = queue.next(5000, hungUp.signal);
      await vi.advanceTimersByTimeAsync(4999);
      queue.clear();
      await vi.advanceTimersByTimeAsync(1);
      expect(await waiting).toBeUndefined();
      const second = queue.next(5000, hungUp.signal);
      hungUp.abort();
      expect(await second).toBeUndefined();
      expect(await queue.next(5000, hungUp.signal)).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets old keys on clear, so they cannot answer a new question', async () => {
    const queue = new DigitQueue(timers);
    queue.push('9');
    queue.clear();
    expect(await queue.next(10, new AbortController().signal)).toBeUndefined();
  });

  it('tells barge-in listeners of every key until they stop listening', () => {
    const queue = new DigitQueue(timers);
    const heard: number[] = [];
    const stop = queue.onKey(() => heard.push(1));
    queue.push('1');
    stop();
    queue.push('2');
    expect(heard).toEqual([1]);
  });

  it('reads one key for a plain menu, # included', async () => {
    const queue = new DigitQueue(timers);
    queue.push('#');
    expect(await readEntry(queue, 1, 100, new AbortController().signal)).toBe('#');
  });

  it('reads an extension number up to its length, or until #', async () => {
    const queue = new DigitQueue(timers);
    const signal = new AbortController().signal;
    for (const key of ['1', '0', '2', '7'] as const) queue.push(key);
    expect(await readEntry(queue, 3, 100, signal)).toBe('102');
    queue.clear();
    for (const key of ['5', '#', '6'] as const) queue.push(key);
    expect(await readEntry(queue, 4, 100, signal)).toBe('5');
  });

  it('returns what was keyed when the caller stops pressing, empty for nothing', async () => {
    const queue = new DigitQueue(timers);
    const signal = new AbortController().signal;
    queue.push('3');
    expect(await readEntry(queue, 4, 20, signal)).toBe('3');
    expect(await readEntry(queue, 4, 20, signal)).toBe('');
  });
});
