import { describe, expect, it } from 'vitest';
import { graphOf, route, simulate } from '../routing-test-kit.ts';

const sound = '0190a0c0-0000-7000-8000-000000000001';

describe('play node', () => {
  it('plays the message as often as asked, then follows next', async () => {
    const graph = graphOf([
      { id: 'hello', kind: 'play', prompt: sound, repeat: 2, next: 'bye' },
      { id: 'bye', kind: 'hangup' },
    ]);
    const run = await simulate(graph);
    expect(route(run)).toEqual(['hello:played', 'bye:normal']);
    expect(run.path[0]?.note).toBe('played 2 times');
  });

  it('hangs up after the message when next is null (an autoresponder), as early media', async () => {
    const graph = graphOf([{ id: 'closed', kind: 'play', prompt: sound, answer: false }]);
    const run = await simulate(graph);
    expect(route(run)).toEqual(['closed:played']);
    expect(run.path[0]?.note).toBe('played once as early media; nothing follows: hang up');
    expect(run.result).toBe('hung up');
  });
});
