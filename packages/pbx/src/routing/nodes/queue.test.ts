import type { RoutingNodeInput } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import { extension, graphOf, route, secondsIn, simulate } from '../routing-test-kit.ts';

type QueueInput = Extract<RoutingNodeInput, { kind: 'queue' }>;

function queue(fields: Partial<QueueInput> = {}) {
  const node: QueueInput = {
    id: 'sales',
    kind: 'queue',
    agents: ['101', '102'],
    agentTimeoutSeconds: 20,
    maxWaitSeconds: 60,
    overflow: 'vm',
    ...fields,
  };
  return graphOf([
    node,
    ...(node.overflow === null ? [] : [{ id: 'vm', kind: 'voicemail' as const, mailbox: '100' }]),
  ]);
}

const extensions = [extension('100'), extension('101'), extension('102')];

describe('queue node', () => {
  it('is answered by the first agent who answers (default script)', async () => {
    const run = await simulate(queue(), { extensions });
    expect(route(run)).toEqual(['sales:answered']);
    expect(run.result).toBe('answered by 101');
  });

  it('overflows after the maximum wait when no agent answers', async () => {
    const script = { ring: { '101': 'no_answer', '102': 'no_answer' } } as const;
    const run = await simulate(queue(), { extensions, script });
    expect(route(run)).toEqual(['sales:max_wait', 'vm:recorded']);
    expect(secondsIn(run, 0)).toBe(60);
    expect(run.result).toBe('voicemail 100');
    const linear = await simulate(queue({ strategy: 'linear', maxWaitSeconds: 50 }), {
      extensions,
      script,
    });
    // 101, 102, then 101 again for the 10 s left.
    expect(secondsIn(linear, 0)).toBe(50);
  });

  it('rings agents one at a time for linear, the next after the timeout', async () => {
    const run = await simulate(queue({ strategy: 'linear' }), {
      extensions,
      script: { ring: { '101': 'no_answer' } },
    });
    expect(run.result).toBe('answered by 102');
    expect(run.path[0]?.note).toBe('agent 102 answered after 20 s');
  });

  it('skips agents on do-not-disturb or not registered', async () => {
    const run = await simulate(queue({ strategy: 'round_robin' }), {
      extensions: [extension('100'), extension('101', { doNotDisturb: true }), extension('102')],
    });
    expect(run.result).toBe('answered by 102');
    const offline = await simulate(queue(), { extensions, registered: ['100'] });
    expect(route(offline)).toEqual(['sales:max_wait', 'vm:recorded']);
    expect(secondsIn(offline, 0)).toBe(60);
  });

  it('overflows at once when maxLength callers already wait', async () => {
    const run = await simulate(queue({ maxLength: 2 }), {
      extensions,
      script: { queueWaiting: { sales: 2 } },
    });
    expect(route(run)).toEqual(['sales:full', 'vm:recorded']);
    expect(secondsIn(run, 0)).toBe(0);
    const room = await simulate(queue({ maxLength: 2 }), {
      extensions,
      script: { queueWaiting: { sales: 1 } },
    });
    expect(room.result).toBe('answered by 101');
  });

  it('hangs up on overflow when overflow is null', async () => {
    const run = await simulate(queue({ overflow: null }), {
      extensions,
      script: { ring: { '101': 'busy', '102': 'busy' } },
    });
    expect(route(run)).toEqual(['sales:max_wait']);
    expect(run.result).toBe('hung up');
  });
});
