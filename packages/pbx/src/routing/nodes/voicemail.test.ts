import { describe, expect, it } from 'vitest';
import { extension, graphOf, route, simulate } from '../routing-test-kit.ts';

const graph = graphOf([{ id: 'vm', kind: 'voicemail', mailbox: '100', maxSeconds: 60 }]);

describe('voicemail node', () => {
  it('takes a message in the mailbox and ends the scheme', async () => {
    const run = await simulate(graph, { extensions: [extension('100')] });
    expect(route(run)).toEqual(['vm:recorded']);
    expect(run.result).toBe('voicemail 100');
    expect(run.party).toBe('100');
  });

  it('says so when the caller leaves no message', async () => {
    const run = await simulate(graph, { script: { leaveMessage: false } });
    expect(route(run)).toEqual(['vm:no_message']);
    expect(run.result).toBe('voicemail 100 (no message)');
  });
});
