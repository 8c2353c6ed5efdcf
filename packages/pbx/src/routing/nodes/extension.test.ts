import type { ForwardingRules, RoutingNodeInput } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import { extension, graphOf, route, secondsIn, simulate } from '../routing-test-kit.ts';

type ExtensionInput = Extract<RoutingNodeInput, { kind: 'extension' }>;

function ext(fields: Partial<ExtensionInput> = {}) {
  const node: ExtensionInput = {
    id: 'op',
    kind: 'extension',
    number: '101',
    noAnswer: 'vm',
    ...fields,
  };
  return graphOf([
    node,
    ...(node.noAnswer === null ? [] : [{ id: 'vm', kind: 'voicemail' as const, mailbox: '100' }]),
  ]);
}

function rules(fields: Partial<ForwardingRules>): ForwardingRules {
  return { unconditional: null, busy: null, noAnswer: null, unreachable: null, ...fields };
}

const mobile = { kind: 'external', number: '+79161234567' } as const;
const to102 = { kind: 'extension', number: '102' } as const;

describe('extension node', () => {
  it('rings the extension, which answers', async () => {
    const run = await simulate(ext(), { extensions: [extension('101')] });
    expect(route(run)).toEqual(['op:answered']);
    expect(run.result).toBe('answered by 101');
  });

  it('takes noAnswer after the node timeout when nobody answers', async () => {
    const run = await simulate(ext({ timeoutSeconds: 25 }), {
      extensions: [extension('101')],
      script: { ring: { '101': 'no_answer' } },
    });
    expect(route(run)).toEqual(['op:no_answer', 'vm:recorded']);
    expect(secondsIn(run, 0)).toBe(25);
  });

  it('does not ring on do-not-disturb: noAnswer, or the busy rule when one is set', async () => {
    const plain = await simulate(ext(), { extensions: [extension('101', { doNotDisturb: true })] });
    expect(route(plain)).toEqual(['op:do_not_disturb', 'vm:recorded']);
    const forwarded = await simulate(ext(), {
      extensions: [extension('101', { doNotDisturb: true, forwarding: rules({ busy: mobile }) })],
    });
    expect(forwarded.result).toBe('forwarded to +79161234567, answered');
    expect(forwarded.path[0]?.note).toBe(
      '101 forwards (do not disturb (as busy)) to +79161234567: answered',
    );
  });

  it('forwards unconditionally without ringing, unless followForwarding is off', async () => {
    const extensions = [
      extension('101', { forwarding: rules({ unconditional: to102 }) }),
      extension('102'),
    ];
    const run = await simulate(ext(), { extensions });
    expect(run.result).toBe('answered by 102');
    const own = await simulate(ext({ followForwarding: false }), { extensions });
    expect(own.result).toBe('answered by 101');
  });

  it('forwards on busy to another extension', async () => {
    const run = await simulate(ext(), {
      extensions: [extension('101', { forwarding: rules({ busy: to102 }) }), extension('102')],
      script: { ring: { '101': 'busy' } },
    });
    expect(run.result).toBe('answered by 102');
    expect(run.path[0]?.note).toBe('101 forwards (busy) to 102: 102 answered');
  });

  it('forwards on no answer after the rule’s seconds when shorter than the node timeout', async () => {
    const forwarding = rules({ noAnswer: { target: { kind: 'voicemail' }, afterSeconds: 10 } });
    const run = await simulate(ext({ timeoutSeconds: 30 }), {
      extensions: [extension('101', { forwarding })],
      script: { ring: { '101': 'no_answer' } },
    });
    expect(route(run)).toEqual(['op:voicemail']);
    expect(run.result).toBe('voicemail 101');
    expect(secondsIn(run, 0)).toBe(10);
    const later = rules({ noAnswer: { target: { kind: 'voicemail' }, afterSeconds: 60 } });
    const nodeFirst = await simulate(ext({ timeoutSeconds: 30 }), {
      extensions: [extension('101', { forwarding: later })],
      script: { ring: { '101': 'no_answer' } },
    });
    expect(route(nodeFirst)).toEqual(['op:no_answer', 'vm:recorded']);
    expect(secondsIn(nodeFirst, 0)).toBe(30);
  });

  it('forwards when unreachable: no registered phone, or the ring fails', async () => {
    const forwarding = rules({ unreachable: mobile });
    const offline = await simulate(ext(), {
      extensions: [extension('101', { forwarding })],
      registered: [],
    });
    expect(offline.result).toBe('forwarded to +79161234567, answered');
    const noRule = await simulate(ext({ noAnswer: null }), {
      extensions: [extension('101')],
      registered: [],
    });
    expect(route(noRule)).toEqual(['op:unreachable']);
    expect(noRule.result).toBe('hung up');
  });

  it('forwards one hop only: the target’s own forwarding is not followed', async () => {
    const extensions = [
      extension('101', { forwarding: rules({ unconditional: to102 }) }),
      extension('102', {
        forwarding: rules({ unconditional: { kind: 'extension', number: '101' } }),
      }),
    ];
    const run = await simulate(ext(), { extensions, script: { ring: { '102': 'no_answer' } } });
    expect(route(run)).toEqual(['op:no_answer', 'vm:recorded']);
    expect(run.path[0]?.note).toBe('101 forwards (always) to 102: 102 did not answer in 30 s');
  });

  it('takes noAnswer when the external forward is not answered', async () => {
    const run = await simulate(ext(), {
      extensions: [extension('101', { forwarding: rules({ unconditional: mobile }) })],
      script: { ring: { '+79161234567': 'busy' } },
    });
    expect(route(run)).toEqual(['op:busy', 'vm:recorded']);
  });
});
