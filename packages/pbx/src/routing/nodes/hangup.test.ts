import { describe, expect, it } from 'vitest';
import { graphOf, route, simulate } from '../routing-test-kit.ts';

describe('hangup node', () => {
  it('hangs up with its cause', async () => {
    for (const cause of ['normal', 'busy', 'rejected'] as const) {
      const run = await simulate(graphOf([{ id: 'bye', kind: 'hangup', cause }]));
      expect(route(run)).toEqual([`bye:${cause}`]);
      expect(run.end).toEqual({ kind: 'hung_up', cause });
    }
    const plain = await simulate(graphOf([{ id: 'bye', kind: 'hangup' }]));
    expect(plain.result).toBe('hung up');
  });
});
