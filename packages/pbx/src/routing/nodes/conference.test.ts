import { describe, expect, it } from 'vitest';
import { graphOf, route, simulate } from '../routing-test-kit.ts';

describe('conference node', () => {
  it('joins the room without a PIN', async () => {
    const run = await simulate(graphOf([{ id: 'room', kind: 'conference', room: 'sales' }]));
    expect(route(run)).toEqual(['room:joined']);
    expect(run.result).toBe('conference sales');
  });

  it('joins with the right PIN and hangs up on a wrong or missing one', async () => {
    const graph = graphOf([{ id: 'room', kind: 'conference', room: 'board', pin: '4321' }]);
    expect((await simulate(graph, { script: { conferencePin: '4321' } })).result).toBe(
      'conference board',
    );
    const wrong = await simulate(graph, { script: { conferencePin: '1234' } });
    expect(route(wrong)).toEqual(['room:wrong_pin']);
    expect(wrong.result).toBe('hung up');
    expect(route(await simulate(graph))).toEqual(['room:wrong_pin']);
  });
});
