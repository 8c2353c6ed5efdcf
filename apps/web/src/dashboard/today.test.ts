import { describe, expect, it } from 'vitest';
import { summarizeCalls } from './today.ts';

describe('summarizeCalls', () => {
  it('counts answered, not answered for any reason, and still running', () => {
    const statuses = [
      'answered',
      'missed',
      'no_answer',
      'busy',
      'answered',
      'in_progress',
      'failed',
    ] as const;
    expect(summarizeCalls(statuses.map((status) => ({ status })))).toEqual({
      total: 7,
      answered: 2,
      missed: 3,
      inProgress: 1,
    });
  });

  it('is all zero for a quiet day', () => {
    expect(summarizeCalls([])).toEqual({ total: 0, answered: 0, missed: 0, inProgress: 0 });
  });
});
