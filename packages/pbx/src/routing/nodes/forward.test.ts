import { describe, expect, it } from 'vitest';
import { graphOf, route, simulate } from '../routing-test-kit.ts';

const graph = graphOf([{ id: 'out', kind: 'forward', number: '+79161234567', timeoutSeconds: 40 }]);

describe('forward node', () => {
  it('forwards to the external number, which answers by default', async () => {
    const run = await simulate(graph);
    expect(route(run)).toEqual(['out:answered']);
    expect(run.result).toBe('forwarded to +79161234567, answered');
  });

  it('hangs up when the number is busy (as busy) or does not answer', async () => {
    const busy = await simulate(graph, { script: { ring: { '+79161234567': 'busy' } } });
    expect(route(busy)).toEqual(['out:busy']);
    expect(busy.result).toBe('hung up (busy)');
    const silent = await simulate(graph, { script: { ring: { '+79161234567': 'no_answer' } } });
    expect(route(silent)).toEqual(['out:no_answer']);
    expect(silent.result).toBe('hung up');
  });
});
