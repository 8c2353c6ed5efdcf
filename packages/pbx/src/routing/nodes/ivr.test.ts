import type { RoutingNodeInput } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import { extension, graphOf, route, secondsIn, simulate } from '../routing-test-kit.ts';

type IvrInput = Extract<RoutingNodeInput, { kind: 'ivr' }>;

function menu(fields: Partial<IvrInput> = {}) {
  const ivr: IvrInput = {
    id: 'menu',
    kind: 'ivr',
    digits: { '1': 'sales', '2': 'support' },
    timeout: 'late',
    invalid: 'wrong',
    ...fields,
  };
  const edges = new Set([...Object.values(ivr.digits ?? {}), ivr.timeout, ivr.invalid]);
  const targets = ['sales', 'support', 'late', 'wrong'].filter((id) => edges.has(id));
  return graphOf([ivr, ...targets.map((id) => ({ id, kind: 'hangup' as const, label: id }))]);
}

const extensions = [extension('101'), extension('102', { voicemailEnabled: false })];

describe('ivr node', () => {
  it('follows the key the caller presses', async () => {
    const run = await simulate(menu(), { script: { digits: ['2'] } });
    expect(route(run)).toEqual(['menu:digit 2', 'support:normal']);
    expect(run.path[0]?.note).toBe('key 2');
  });

  it('replays after a wrong key and takes the key pressed on a retry', async () => {
    const run = await simulate(menu(), { script: { digits: ['9', '1'] } });
    expect(route(run)).toEqual(['menu:digit 1', 'sales:normal']);
    expect(run.path[0]?.note).toBe('key 9 (invalid), key 1');
  });

  it('takes the invalid edge after wrong keys on every attempt (1 + retries)', async () => {
    const run = await simulate(menu({ retries: 2 }), { script: { digits: ['9', '8', '7'] } });
    expect(route(run)).toEqual(['menu:invalid', 'wrong:normal']);
    const twice = await simulate(menu({ retries: 2 }), { script: { digits: ['9', '8', '1'] } });
    expect(route(twice)[0]).toBe('menu:digit 1');
  });

  it('takes the timeout edge after no key on every attempt, waiting each timeout', async () => {
    const run = await simulate(menu({ retries: 2, timeoutSeconds: 7 }));
    expect(route(run)).toEqual(['menu:timeout', 'late:normal']);
    expect(secondsIn(run, 0)).toBe(21);
    expect(run.path[0]?.note).toBe('no key, no key, no key, retries used up');
  });

  it('decides by the last attempt when keys and silence mix', async () => {
    const run = await simulate(menu({ retries: 1 }), { script: { digits: ['9', ''] } });
    expect(route(run)[0]).toBe('menu:timeout');
    const invalid = await simulate(menu({ retries: 1 }), { script: { digits: ['', '9'] } });
    expect(route(invalid)[0]).toBe('menu:invalid');
  });

  it('treats a null invalid edge as timeout, and a null timeout edge as hang up', async () => {
    const asTimeout = await simulate(menu({ invalid: null, retries: 0 }), {
      script: { digits: ['9'] },
    });
    expect(route(asTimeout)).toEqual(['menu:invalid', 'late:normal']);
    const hangUp = await simulate(menu({ timeout: null, invalid: null, retries: 0 }));
    expect(route(hangUp)).toEqual(['menu:timeout']);
    expect(hangUp.result).toBe('hung up');
  });

  it('rings an extension dialled directly, when direct dial allows it', async () => {
    const graph = menu({ directDial: { enabled: true } });
    const run = await simulate(graph, { extensions, script: { digits: ['101'] } });
    expect(route(run)).toEqual(['menu:direct dial 101']);
    expect(run.result).toBe('answered by 101');
  });

  it('refuses direct dial to an extension outside the allowed list, or when it is off', async () => {
    const limited = menu({ directDial: { enabled: true, extensions: ['102'] }, retries: 0 });
    const run = await simulate(limited, { extensions, script: { digits: ['101'] } });
    expect(route(run)[0]).toBe('menu:invalid');
    // Without direct dial the menu takes one key: "101" is key 1.
    const off = await simulate(menu({ retries: 0 }), { extensions, script: { digits: ['101'] } });
    expect(route(off)[0]).toBe('menu:digit 1');
    const unknown = menu({ directDial: { enabled: true }, retries: 0 });
    const nobody = await simulate(unknown, { extensions, script: { digits: ['555'] } });
    expect(route(nobody)[0]).toBe('menu:invalid');
  });

  it('sends an unanswered direct dial to the voicemail of the extension, or hangs up', async () => {
    const graph = menu({ directDial: { enabled: true } });
    const script = { digits: ['101'], ring: { '101': 'no_answer' as const } };
    const run = await simulate(graph, { extensions, script });
    expect(run.result).toBe('voicemail 101');
    expect(secondsIn(run, 0)).toBe(30);
    const noMailbox = await simulate(graph, {
      extensions,
      script: { digits: ['102'], ring: { '102': 'busy' } },
    });
    expect(noMailbox.result).toBe('hung up');
    expect(noMailbox.path[0]?.note).toBe('dialled 102: 102 is busy; no voicemail: hang up');
  });
});
