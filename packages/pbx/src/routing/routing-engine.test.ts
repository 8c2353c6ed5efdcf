import { isProvodError, routingSimulationScriptSchema, type RoutingGraph } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import type { NodeHandlers } from './node-handler.ts';
import { nodeHandlers } from './node-handlers.ts';
import type { CallActions, RingOutcome, RoutingContext } from './routing-context.ts';
import { maxNodeEntries, RoutingWalk } from './routing-engine.ts';
import { extension, graphOf, route, simulate } from './routing-test-kit.ts';
import { SimulatedCall } from './simulator/simulated-call.ts';

const sound = '0190a0c0-0000-7000-8000-000000000001';

/** A simulated call whose actions are logged by name, in order. */
function loggedCall(overrides: Partial<CallActions> = {}) {
  const log: string[] = [];
  const base = new SimulatedCall(
    { timeZone: 'Europe/Moscow', extensions: [extension('101')], registered: new Set(['101']) },
    {
      caller: '+74951234567',
      dialled: '+74950000000',
      at: new Date('2025-06-02T09:00:00Z'),
      script: routingSimulationScriptSchema.parse({}),
    },
  );
  const actions = { ...base.actions, ...overrides };
  const logged = Object.fromEntries(
    Object.entries(actions).map(([name, action]) => [
      name,
      (...args: unknown[]) => {
        log.push(name);
        return (action as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as CallActions;
  const context: RoutingContext = {
    call: base.call,
    tenant: base.tenant,
    signal: base.signal,
    now: () => base.now(),
    actions: logged,
  };
  return { context, log };
}

describe('RoutingWalk', () => {
  it(`stops a menu that loops on its timeout after ${maxNodeEntries} entries`, async () => {
    const graph = graphOf([
      { id: 'menu', kind: 'ivr', digits: { '1': 'op' }, timeout: 'menu', retries: 0 },
      { id: 'op', kind: 'hangup' },
    ]);
    const run = await simulate(graph);
    expect(route(run)).toEqual([
      ...Array.from({ length: maxNodeEntries }, () => 'menu:timeout'),
      'menu:loop_limit',
    ]);
    expect(run.result).toBe('hung up: loop limit at menu');
    // A caller who presses a key on the last allowed entry still gets through.
    const late = await simulate(graph, { script: { digits: ['', '', '', '', '1'] } });
    expect(late.result).toBe('hung up');
    expect(route(late).at(-1)).toBe('op:normal');
  });

  it('answers once, before the first node that needs it, and hangs up at the end', async () => {
    const graph = graphOf([
      { id: 'early', kind: 'play', prompt: sound, answer: false, next: 'menu' },
      { id: 'menu', kind: 'ivr', digits: { '1': 'again' }, retries: 0 },
      { id: 'again', kind: 'play', prompt: sound, next: null },
    ]);
    const { context, log } = loggedCall();
    const walk = new RoutingWalk(graph, context);
    const result = await walk.run();
    expect(result.end).toEqual({ kind: 'hung_up', cause: 'normal' });
    expect(log).toEqual(['earlyMedia', 'playPrompt', 'answer', 'collectDigits', 'hangup']);
    expect(walk.state).toBe('done');
  });

  it('does not answer for nodes that only ring, and sends no hang-up after an answer', async () => {
    const graph = graphOf([{ id: 'op', kind: 'extension', number: '101' }]);
    const { context, log } = loggedCall();
    const result = await new RoutingWalk(graph, context).run();
    expect(result.end).toEqual({ kind: 'answered', by: '101' });
    expect(log).toEqual(['ring']);
  });

  it('ends as caller_hung_up when cancelled while a node waits', async () => {
    let ringing: (outcome: RingOutcome) => void = () => undefined;
    const { context, log } = loggedCall({
      ring: () => new Promise<RingOutcome>((resolve) => (ringing = resolve)),
    });
    const graph = graphOf([
      { id: 'op', kind: 'extension', number: '101', noAnswer: 'vm' },
      { id: 'vm', kind: 'voicemail', mailbox: '101' },
    ]);
    const walk = new RoutingWalk(graph, context);
    const running = walk.run();
    await Promise.resolve();
    expect(walk.state).toBe('walking');
    walk.cancel();
    const result = await running;
    ringing({ kind: 'no_answer' });
    expect(result.end).toEqual({ kind: 'caller_hung_up' });
    expect(result.path.map((s) => `${s.nodeId}:${s.outcome}`)).toEqual(['op:caller_hung_up']);
    expect(log).toEqual(['ring']);
  });

  it('reports a node failing after the walk was cancelled', async () => {
    let fail: (error: Error) => void = () => undefined;
    const { context } = loggedCall({
      ring: () => new Promise<RingOutcome>((_resolve, reject) => (fail = reject)),
    });
    const late: unknown[] = [];
    const graph = graphOf([{ id: 'op', kind: 'extension', number: '101' }]);
    const walk = new RoutingWalk(graph, context, { onLateError: (e) => late.push(e) });
    const running = walk.run();
    await Promise.resolve();
    walk.cancel();
    await running;
    const boom = new Error('trunk gone');
    fail(boom);
    await new Promise((resolve) => setImmediate(resolve));
    expect(late).toEqual([boom]);
  });

  it('runs only once', async () => {
    const { context } = loggedCall();
    const walk = new RoutingWalk(graphOf([{ id: 'bye', kind: 'hangup' }]), context);
    await walk.run();
    await expect(walk.run()).rejects.toThrow('run it only once');
  });

  it('refuses a graph whose edge leads nowhere with invalid_routing_scheme', async () => {
    const broken: RoutingGraph = {
      entry: 'nowhere',
      nodes: graphOf([{ id: 'bye', kind: 'hangup' }]).nodes,
    };
    const { context } = loggedCall();
    const error: unknown = await new RoutingWalk(broken, context).run().catch((e: unknown) => e);
    expect(isProvodError(error) && error.code).toBe('invalid_routing_scheme');
  });

  it('has a handler for every node kind, checked by the compiler', () => {
    const { hangup: _hangup, ...withoutHangup } = nodeHandlers;
    // @ts-expect-error a table without the hangup handler is not a NodeHandlers
    const incomplete: NodeHandlers = withoutHangup;
    expect(Object.keys(incomplete)).not.toContain('hangup');
    expect(Object.keys(nodeHandlers)).toHaveLength(11);
  });
});

describe('a whole scheme in the simulator', () => {
  const graph = graphOf([
    {
      id: 'hours',
      kind: 'schedule',
      weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }],
      open: 'menu',
      closed: 'vm',
    },
    { id: 'menu', kind: 'ivr', digits: { '1': 'sales', '0': 'op' }, timeout: 'menu' },
    { id: 'sales', kind: 'queue', strategy: 'round_robin', agents: ['101', '102'], overflow: 'vm' },
    { id: 'op', kind: 'extension', number: '100', noAnswer: 'vm' },
    { id: 'vm', kind: 'voicemail', mailbox: '100' },
  ]);
  const extensions = [extension('100'), extension('101'), extension('102')];

  it('goes to voicemail when closed (docs/routing-schemes.md example)', async () => {
    const run = await simulate(graph, { extensions, at: '2025-06-07T10:00:00Z' });
    expect(route(run)).toEqual(['hours:closed', 'vm:recorded']);
    expect(run.result).toBe('voicemail 100');
  });

  it('reaches agent 102 after 101 timed out (round robin), the clock moving on', async () => {
    const run = await simulate(graph, {
      extensions,
      script: { digits: ['', '1'], ring: { '101': 'no_answer' } },
    });
    expect(route(run)).toEqual(['hours:open', 'menu:digit 1', 'sales:answered']);
    expect(run.result).toBe('answered by 102');
    expect(run.path[1]?.enteredAt).toBe('2025-06-02T09:00:00.000Z');
    expect(run.path[2]?.enteredAt).toBe('2025-06-02T09:00:05.000Z');
    expect(run.path[2]?.leftAt).toBe('2025-06-02T09:00:25.000Z');
  });
});
