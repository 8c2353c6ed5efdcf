import type { RoutingNodeInput } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import { graphOf, route, simulate } from '../routing-test-kit.ts';

type FilterInput = Extract<RoutingNodeInput, { kind: 'list_filter' }>;

function filter(fields: Partial<FilterInput> = {}) {
  const node: FilterInput = {
    id: 'filter',
    kind: 'list_filter',
    blacklist: { numbers: ['+74951112233'], prefixes: ['+7800'] },
    whitelist: { numbers: ['74957654321'], prefixes: ['+7800555'] },
    whitelisted: 'vip',
    otherwise: 'normal',
    ...fields,
  };
  const used = new Set([node.blacklisted, node.whitelisted, node.otherwise]);
  return graphOf([
    node,
    ...['sorry', 'vip', 'normal']
      .filter((id) => used.has(id))
      .map((id) =>
        id === 'sorry'
          ? { id, kind: 'play' as const, prompt: '0190a0c0-0000-7000-8000-000000000001' }
          : { id, kind: 'hangup' as const },
      ),
  ]);
}

describe('list_filter node', () => {
  it('rejects a black-listed number when blacklisted is null', async () => {
    const run = await simulate(filter(), { caller: '+74951112233' });
    expect(route(run)).toEqual(['filter:blacklisted']);
    expect(run.result).toBe('hung up (rejected)');
    expect(run.path[0]?.note).toBe('+74951112233 matches +74951112233: rejected');
  });

  it('sends a black-listed prefix to a message when blacklisted names a node', async () => {
    const run = await simulate(filter({ blacklisted: 'sorry' }), { caller: '+78001234567' });
    expect(route(run)).toEqual(['filter:blacklisted', 'sorry:played']);
  });

  it('checks the black list first, even when a white-list prefix matches too', async () => {
    const run = await simulate(filter(), { caller: '+78005551234' });
    expect(route(run)[0]).toBe('filter:blacklisted');
  });

  it('sends a white-listed caller down the priority path, with or without the +', async () => {
    const run = await simulate(filter(), { caller: '+74957654321' });
    expect(route(run)).toEqual(['filter:whitelisted', 'vip:normal']);
    expect(run.path[0]?.note).toBe('+74957654321 matches 74957654321');
  });

  it('lets a white-listed caller through as otherwise when whitelisted is null', async () => {
    const run = await simulate(filter({ whitelisted: null }), { caller: '74957654321' });
    expect(route(run)).toEqual(['filter:otherwise', 'normal:normal']);
  });

  it('sends everyone else the otherwise way', async () => {
    const run = await simulate(filter(), { caller: '+74959990000' });
    expect(route(run)).toEqual(['filter:otherwise', 'normal:normal']);
    expect(run.path[0]?.note).toBe('+74959990000 is on neither list');
  });
});
