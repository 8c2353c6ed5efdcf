import type { RoutingNodeInput } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import { extension, graphOf, route, secondsIn, simulate } from '../routing-test-kit.ts';

type GroupInput = Extract<RoutingNodeInput, { kind: 'ring_group' }>;

function group(fields: Partial<GroupInput> = {}) {
  return graphOf([
    {
      id: 'team',
      kind: 'ring_group',
      members: [
        { number: '101', timeoutSeconds: 10 },
        { number: '102', timeoutSeconds: 15 },
      ],
      timeoutSeconds: 30,
      noAnswer: 'bye',
      ...fields,
    },
    { id: 'bye', kind: 'hangup', cause: 'busy' },
  ]);
}

const extensions = [extension('101'), extension('102')];

describe('ring_group node', () => {
  it('rings members together; the first who answers takes the call at once', async () => {
    const run = await simulate(group(), { extensions, script: { ring: { '101': 'no_answer' } } });
    expect(route(run)).toEqual(['team:answered']);
    expect(run.result).toBe('answered by 102');
    expect(secondsIn(run, 0)).toBe(0);
  });

  it('takes noAnswer after the group timeout when nobody answers together', async () => {
    const script = { ring: { '101': 'no_answer', '102': 'no_answer' } } as const;
    const run = await simulate(group(), { extensions, script });
    expect(route(run)).toEqual(['team:no_answer', 'bye:busy']);
    expect(secondsIn(run, 0)).toBe(30);
    expect(run.path[0]?.note).toBe('rang 101, 102 together for 30 s: no_answer');
  });

  it('rings members one after another for their own timeouts when sequential', async () => {
    const answered = await simulate(group({ strategy: 'sequential' }), {
      extensions,
      script: { ring: { '101': 'no_answer' } },
    });
    expect(answered.result).toBe('answered by 102');
    expect(secondsIn(answered, 0)).toBe(10);
    const nobody = await simulate(group({ strategy: 'sequential' }), {
      extensions,
      script: { ring: { '101': 'no_answer', '102': 'no_answer' } },
    });
    expect(route(nobody)).toEqual(['team:no_answer', 'bye:busy']);
    expect(secondsIn(nobody, 0)).toBe(25);
  });

  it('skips members on do-not-disturb or not registered, and rings external numbers', async () => {
    const run = await simulate(
      group({
        members: [
          { number: '101', timeoutSeconds: 10 },
          { number: '102', timeoutSeconds: 10 },
          { number: '+74957654321', timeoutSeconds: 10 },
        ],
      }),
      { extensions: [extension('101', { doNotDisturb: true }), extension('102')], registered: [] },
    );
    expect(run.result).toBe('answered by +74957654321');
    expect(run.path[0]?.note).toBe(
      'skipped 101 (do not disturb), 102 (not registered); rang +74957654321 together: +74957654321 answered',
    );
  });

  it('ignores the members’ own forwarding rules', async () => {
    const forwarding = {
      unconditional: { kind: 'external' as const, number: '+74950000001' },
      busy: null,
      noAnswer: null,
      unreachable: null,
    };
    const run = await simulate(group(), { extensions: [extension('101', { forwarding })] });
    expect(run.result).toBe('answered by 101');
  });
});
