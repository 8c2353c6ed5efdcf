import { describe, expect, it } from 'vitest';
import { edgesFrom, edgesOf, validateRoutingGraph } from './routing-graph.ts';
import {
  routingGraphSchema,
  routingSchemeCreateSchema,
  type RoutingGraphInput,
  type RoutingNodeInput,
} from './routing-scheme.ts';

const greeting = '0190a0b0-0000-7000-8000-000000000001';
const everyDay = {
  days: ['mon' as const, 'tue' as const, 'wed' as const, 'thu' as const, 'fri' as const],
  from: '00:00',
  to: '24:00',
};

/** A small office: business hours → menu (1 sales queue, 2 support, 0 operator) → voicemail. */
function officeScheme(): RoutingGraphInput {
  return {
    entry: 'hours',
    nodes: [
      {
        id: 'hours',
        kind: 'schedule',
        label: 'Office hours',
        position: { x: 0, y: 0 },
        weekly: [
          { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' },
          { days: ['sat'], from: '10:00', to: '24:00' },
        ],
        holidays: [{ date: '2026-01-01', name: 'New Year' }],
        open: 'menu',
        closed: 'after-hours',
      },
      {
        id: 'menu',
        kind: 'ivr',
        prompt: greeting,
        digits: { '1': 'sales', '2': 'support', '0': 'operator', '#': 'menu' },
        directDial: { enabled: true },
        timeout: 'menu',
        invalid: 'operator',
      },
      {
        id: 'sales',
        kind: 'queue',
        strategy: 'least_recent',
        agents: ['101', '102'],
        overflow: 'after-hours',
      },
      {
        id: 'support',
        kind: 'ring_group',
        strategy: 'sequential',
        members: [{ number: '201' }, { number: '+74951234567', timeoutSeconds: 30 }],
        noAnswer: 'after-hours',
      },
      { id: 'operator', kind: 'extension', number: '100', noAnswer: 'after-hours' },
      { id: 'after-hours', kind: 'voicemail', mailbox: '100', greeting },
    ],
  };
}

function parse(graph: RoutingGraphInput) {
  return routingGraphSchema.parse(graph);
}

function issuesOf(graph: RoutingGraphInput) {
  return validateRoutingGraph(parse(graph));
}

function withNodes(nodes: RoutingNodeInput[], entry = nodes[0]?.id ?? 'start'): RoutingGraphInput {
  return { entry, nodes };
}

describe('routing graph contract', () => {
  it('fills sensible defaults for what a node leaves out', () => {
    const graph = parse(officeScheme());
    const queue = graph.nodes.find((n) => n.kind === 'queue');
    expect(queue).toMatchObject({
      strategy: 'least_recent',
      agentTimeoutSeconds: 20,
      wrapUpSeconds: 10,
      maxWaitSeconds: 300,
      maxLength: null,
      musicOnHold: null,
      announcePosition: { enabled: true, everySeconds: 60 },
      callbackOffer: { enabled: false, afterSeconds: 60, digit: '1' },
    });
    const ivr = graph.nodes.find((n) => n.kind === 'ivr');
    expect(ivr).toMatchObject({
      timeoutSeconds: 5,
      retries: 2,
      directDial: { enabled: true, extensions: [] },
    });
  });

  it('refuses unknown fields, unknown kinds and wrong types by path', () => {
    const unknownField = routingGraphSchema.safeParse(
      withNodes([{ id: 'bye', kind: 'hangup', colour: 'red' } as RoutingNodeInput]),
    );
    expect(unknownField.success).toBe(false);
    expect(unknownField.error?.issues[0]).toMatchObject({ path: ['nodes', 0] });

    const unknownKind = routingGraphSchema.safeParse({
      entry: 'x',
      nodes: [{ id: 'x', kind: 'teleport' }],
    });
    expect(unknownKind.error?.issues[0]?.path).toEqual(['nodes', 0, 'kind']);

    const badNumber = routingGraphSchema.safeParse(
      withNodes([{ id: 'out', kind: 'forward', number: '8-800-555' }]),
    );
    expect(badNumber.error?.issues[0]?.path).toEqual(['nodes', 0, 'number']);

    const badId = routingGraphSchema.safeParse(withNodes([{ id: 'a b', kind: 'hangup' }], 'ok'));
    expect(badId.error?.issues[0]?.path).toEqual(['nodes', 0, 'id']);

    expect(routingGraphSchema.safeParse({ entry: 'x', nodes: [] }).success).toBe(false);
  });

  it('takes a create body with a default empty comment', () => {
    const body = routingSchemeCreateSchema.parse({ name: ' Main line ', graph: officeScheme() });
    expect(body).toMatchObject({ name: 'Main line', comment: '' });
  });
});

describe('edgesOf', () => {
  it('reads the edges of every kind, marking IVR edges as waiting for input', () => {
    const graph = parse(officeScheme());
    const [hours, menu] = graph.nodes;
    expect(hours && edgesFrom(hours)).toEqual([
      { to: 'menu', field: 'open', waitsForInput: false },
      { to: 'after-hours', field: 'closed', waitsForInput: false },
    ]);
    expect(menu && edgesFrom(menu).map((e) => [e.field, e.to, e.waitsForInput])).toEqual([
      ['digits.0', 'operator', true],
      ['digits.1', 'sales', true],
      ['digits.2', 'support', true],
      ['digits.#', 'menu', true],
      ['timeout', 'menu', true],
      ['invalid', 'operator', true],
    ]);
    expect(Object.keys(edgesOf)).toHaveLength(11);
  });

  it('gives terminal kinds no edges', () => {
    const graph = parse(
      withNodes([
        { id: 'vm', kind: 'voicemail', mailbox: '100' },
        { id: 'fw', kind: 'forward', number: '+74951234567' },
        { id: 'conf', kind: 'conference', room: 'Board', pin: '1234' },
        { id: 'bye', kind: 'hangup' },
      ]),
    );
    expect(graph.nodes.flatMap(edgesFrom)).toEqual([]);
  });
});

describe('validateRoutingGraph', () => {
  it('accepts a realistic scheme whose IVR loops back to itself on timeout', () => {
    expect(issuesOf(officeScheme())).toEqual([]);
  });

  it('accepts a loop that passes through an IVR key', () => {
    const graph = withNodes([
      { id: 'menu', kind: 'ivr', digits: { '1': 'news' } },
      { id: 'news', kind: 'play', prompt: greeting, next: 'menu' },
    ]);
    expect(issuesOf(graph)).toEqual([]);
  });

  it('reports a duplicate node id at its second use', () => {
    const graph = officeScheme();
    graph.nodes.push({ id: 'sales', kind: 'hangup' });
    expect(issuesOf(graph)).toEqual([
      {
        nodeId: 'sales',
        path: 'nodes.6.id',
        message: 'node id "sales" is used twice (also by nodes.2)',
      },
    ]);
  });

  it('reports a missing entry node', () => {
    const graph = { ...officeScheme(), entry: 'nowhere' };
    const issues = issuesOf(graph);
    expect(issues).toEqual([{ path: 'entry', message: 'entry node "nowhere" does not exist' }]);
  });

  it('reports an edge to a node that does not exist', () => {
    const graph = officeScheme();
    const menu = graph.nodes[1];
    if (menu?.kind !== 'ivr') throw new Error('fixture changed');
    menu.digits = { ...menu.digits, '3': 'billing' };
    expect(issuesOf(graph)).toEqual([
      {
        nodeId: 'menu',
        path: 'nodes.1.digits.3',
        message: 'points to node "billing", which does not exist',
      },
    ]);
  });

  it('reports nodes no path reaches from the entry', () => {
    const graph = officeScheme();
    graph.nodes.push(
      { id: 'orphan', kind: 'play', prompt: greeting, next: 'orphan-end' },
      { id: 'orphan-end', kind: 'hangup' },
    );
    expect(issuesOf(graph).map((i) => [i.nodeId, i.path])).toEqual([
      ['orphan', 'nodes.6'],
      ['orphan-end', 'nodes.7'],
    ]);
  });

  it('reports a loop that never waits for the caller, naming its nodes in order', () => {
    const graph = withNodes([
      { id: 'hours', kind: 'schedule', weekly: [everyDay], open: 'ring', closed: 'bye' },
      { id: 'ring', kind: 'extension', number: '100', noAnswer: 'sorry' },
      { id: 'sorry', kind: 'play', prompt: greeting, next: 'hours' },
      { id: 'bye', kind: 'hangup' },
    ]);
    expect(issuesOf(graph)).toEqual([
      {
        nodeId: 'hours',
        path: 'nodes.0',
        message:
          'hours → ring → sorry → hours loops without waiting for the caller ' +
          '(an IVR key or timeout); a call would go round forever',
      },
    ]);
  });

  it('reports a node that points at itself without input', () => {
    const graph = withNodes([{ id: 'q', kind: 'queue', agents: ['101'], overflow: 'q' }]);
    expect(issuesOf(graph).map((i) => i.message)).toEqual([
      'q → q loops without waiting for the caller (an IVR key or timeout); a call would go round forever',
    ]);
  });

  it('reports one loop per tangle, even when an IVR sits beside it', () => {
    const graph = withNodes([
      { id: 'menu', kind: 'ivr', digits: { '1': 'a' } },
      { id: 'a', kind: 'list_filter', otherwise: 'b', whitelisted: 'c' },
      { id: 'b', kind: 'play', prompt: greeting, next: 'a' },
      { id: 'c', kind: 'play', prompt: greeting, next: 'a' },
    ]);
    const issues = issuesOf(graph);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.nodeId).toBe('a');
  });

  it('checks schedule hours and holiday dates', () => {
    const graph = withNodes([
      {
        id: 'hours',
        kind: 'schedule',
        weekly: [
          { days: ['mon'], from: '9:00', to: '18:00' },
          { days: ['tue'], from: '18:00', to: '09:00' },
          { days: ['wed', 'wed'], from: '24:00', to: '24:60' },
        ],
        holidays: [
          { date: '2026-02-30' },
          { date: '01.05.2026' },
          { date: '2026-05-09' },
          { date: '2026-05-09' },
        ],
        open: 'bye',
        closed: 'bye',
      },
      { id: 'bye', kind: 'hangup' },
    ]);
    expect(issuesOf(graph).map((i) => i.path)).toEqual([
      'nodes.0.weekly.0.from',
      'nodes.0.weekly.1',
      'nodes.0.weekly.2.from',
      'nodes.0.weekly.2.to',
      'nodes.0.weekly.2.days.1',
      'nodes.0.holidays.0.date',
      'nodes.0.holidays.1.date',
      'nodes.0.holidays.3.date',
    ]);
  });

  it('refuses a schedule with no hours at all', () => {
    const graph = withNodes([
      { id: 'hours', kind: 'schedule', open: 'bye', closed: 'bye' },
      { id: 'bye', kind: 'hangup' },
    ]);
    expect(issuesOf(graph)).toEqual([
      {
        nodeId: 'hours',
        path: 'nodes.0.weekly',
        message: 'no weekly hours: the schedule is always closed',
      },
    ]);
  });

  it('checks IVR keys and that the menu offers something', () => {
    const badKey = withNodes([
      { id: 'menu', kind: 'ivr', digits: { '1': 'bye', A: 'bye' } },
      { id: 'bye', kind: 'hangup' },
    ]);
    expect(issuesOf(badKey)).toEqual([
      {
        nodeId: 'menu',
        path: 'nodes.0.digits.A',
        message: '"A" is not a key: expected 0-9, * or #',
      },
    ]);
    const empty = withNodes([
      { id: 'menu', kind: 'ivr', timeout: 'bye' },
      { id: 'bye', kind: 'hangup' },
    ]);
    expect(issuesOf(empty).map((i) => i.path)).toEqual(['nodes.0.digits']);
  });

  it('checks queues and ring groups have people to ring', () => {
    const graph = withNodes([
      {
        id: 'q',
        kind: 'queue',
        agents: [],
        maxWaitSeconds: 60,
        callbackOffer: { enabled: true, afterSeconds: 120, digit: 'x' },
        overflow: 'group',
      },
      { id: 'group', kind: 'ring_group', members: [{ number: '101' }, { number: '101' }] },
    ]);
    expect(issuesOf(graph).map((i) => [i.nodeId, i.path])).toEqual([
      ['q', 'nodes.0.agents'],
      ['q', 'nodes.0.callbackOffer.digit'],
      ['q', 'nodes.0.callbackOffer.afterSeconds'],
      ['group', 'nodes.1.members.1'],
    ]);
    const emptyGroup = withNodes([{ id: 'group', kind: 'ring_group' }]);
    expect(issuesOf(emptyGroup).map((i) => i.message)).toEqual(['the ring group has no members']);
  });

  it('checks list-filter numbers and prefixes', () => {
    const graph = withNodes([
      {
        id: 'filter',
        kind: 'list_filter',
        blacklist: { numbers: ['+74950000000', 'anonymous'], prefixes: ['+7800', '8-800'] },
        whitelist: { numbers: ['+74950000000'] },
        otherwise: 'bye',
      },
      { id: 'bye', kind: 'hangup' },
    ]);
    expect(issuesOf(graph).map((i) => [i.path, i.message])).toEqual([
      ['nodes.0.blacklist.numbers.1', '"anonymous" is not a number'],
      ['nodes.0.blacklist.prefixes.1', '"8-800" is not a prefix'],
      ['nodes.0.blacklist.numbers.0', '+74950000000 is on both lists'],
    ]);
  });

  it('collects every issue at once rather than stopping at the first', () => {
    const graph = withNodes(
      [
        { id: 'a', kind: 'play', prompt: greeting, next: 'ghost' },
        { id: 'a', kind: 'hangup' },
        { id: 'lonely', kind: 'hangup' },
      ],
      'a',
    );
    expect(issuesOf(graph).map((i) => i.path)).toEqual(['nodes.1.id', 'nodes.0.next', 'nodes.2']);
  });
});
