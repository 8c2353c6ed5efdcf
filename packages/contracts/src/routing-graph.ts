import type { NodeKind, RoutingGraph, RoutingNode, RoutingNodeOf } from './routing-scheme.ts';

/** One edge of a routing graph, read from a node-id field of a node's config. */
export interface RoutingEdge {
  /** The node the call goes to. */
  to: string;
  /** The config field holding the edge, e.g. `open` or `digits.1`. */
  field: string;
  /**
   * The call takes this edge only after waiting for the caller (an IVR key, its timeout
   * or invalid input), so a loop through it cannot spin without the caller's part.
   */
  waitsForInput: boolean;
}

export interface RoutingGraphIssue {
  nodeId?: string;
  /** Where in the graph, e.g. `nodes.2.digits.1` or `entry`. */
  path: string;
  message: string;
}

type NodeByKind = { [K in NodeKind]: RoutingNodeOf<K> };

/**
 * The edges of each node kind. A mapped type over every kind, so adding a kind without
 * saying what its edges are does not compile (kysely's exhaustive operation-node visitor).
 */
export const edgesOf: { [K in NodeKind]: (node: NodeByKind[K]) => RoutingEdge[] } = {
  schedule: (node) =>
    fieldEdges(false, { open: node.open, closed: node.closed, holiday: node.holiday }),
  ivr: (node) => [
    ...Object.entries(node.digits).map(([digit, to]) => ({
      to,
      field: `digits.${digit}`,
      waitsForInput: true,
    })),
    ...fieldEdges(true, { timeout: node.timeout, invalid: node.invalid }),
  ],
  queue: (node) => fieldEdges(false, { overflow: node.overflow }),
  ring_group: (node) => fieldEdges(false, { noAnswer: node.noAnswer }),
  extension: (node) => fieldEdges(false, { noAnswer: node.noAnswer }),
  voicemail: () => [],
  list_filter: (node) =>
    fieldEdges(false, {
      blacklisted: node.blacklisted,
      whitelisted: node.whitelisted,
      otherwise: node.otherwise,
    }),
  forward: () => [],
  play: (node) => fieldEdges(false, { next: node.next }),
  conference: () => [],
  hangup: () => [],
};

function fieldEdges(waitsForInput: boolean, fields: Record<string, string | null>): RoutingEdge[] {
  return Object.entries(fields).flatMap(([field, to]) =>
    to === null ? [] : [{ to, field, waitsForInput }],
  );
}

/** Indexing the table by a generic kind keeps node and handler correlated without a cast. */
function edgesOfKind<K extends NodeKind>(kind: K, node: NodeByKind[K]): RoutingEdge[] {
  return edgesOf[kind](node);
}

export function edgesFrom(node: RoutingNode): RoutingEdge[] {
  return edgesOfKind(node.kind, node);
}

type Report = (field: string, message: string) => void;

/** Sanity of each kind's own fields, beyond what the zod shape says. Exhaustive too. */
const checksOf: { [K in NodeKind]: (node: NodeByKind[K], report: Report) => void } = {
  schedule: checkSchedule,
  ivr: (node, report) => {
    for (const key of Object.keys(node.digits)) {
      if (!isDtmfKey(key)) report(`digits.${key}`, `"${key}" is not a key: expected 0-9, * or #`);
    }
    if (Object.keys(node.digits).length === 0 && !node.directDial.enabled) {
      report('digits', 'the menu offers no keys and no direct dial');
    }
    reportDuplicates(node.directDial.extensions, 'directDial.extensions', report);
  },
  queue: (node, report) => {
    if (node.agents.length === 0) report('agents', 'the queue has no agents');
    reportDuplicates(node.agents, 'agents', report);
    const offer = node.callbackOffer;
    if (offer.enabled && !isDtmfKey(offer.digit)) {
      report('callbackOffer.digit', `"${offer.digit}" is not a key: expected 0-9, * or #`);
    }
    if (offer.enabled && offer.afterSeconds >= node.maxWaitSeconds) {
      report('callbackOffer.afterSeconds', 'the offer would come after the maximum wait');
    }
  },
  ring_group: (node, report) => {
    if (node.members.length === 0) report('members', 'the ring group has no members');
    reportDuplicates(
      node.members.map((m) => m.number),
      'members',
      report,
    );
  },
  extension: noChecks,
  voicemail: noChecks,
  list_filter: (node, report) => {
    for (const list of ['blacklist', 'whitelist'] as const) {
      node[list].numbers.forEach((n, i) => {
        if (!/^\+?\d{3,15}$/.test(n)) report(`${list}.numbers.${i}`, `"${n}" is not a number`);
      });
      node[list].prefixes.forEach((p, i) => {
        if (!/^\+?\d{1,15}$/.test(p)) report(`${list}.prefixes.${i}`, `"${p}" is not a prefix`);
      });
    }
    const whitelisted = new Set(node.whitelist.numbers);
    node.blacklist.numbers.forEach((n, i) => {
      if (whitelisted.has(n)) report(`blacklist.numbers.${i}`, `${n} is on both lists`);
    });
  },
  forward: noChecks,
  play: noChecks,
  conference: noChecks,
  hangup: noChecks,
};

function noChecks(): void {}

function checksOfKind<K extends NodeKind>(kind: K, node: NodeByKind[K], report: Report): void {
  checksOf[kind](node, report);
}

function checkSchedule(node: RoutingNodeOf<'schedule'>, report: Report): void {
  if (node.weekly.length === 0) report('weekly', 'no weekly hours: the schedule is always closed');
  node.weekly.forEach((hours, i) => {
    const from = minutesOfDay(hours.from, false);
    const to = minutesOfDay(hours.to, true);
    if (from === undefined) report(`weekly.${i}.from`, `"${hours.from}" is not a time HH:MM`);
    if (to === undefined) report(`weekly.${i}.to`, `"${hours.to}" is not a time HH:MM`);
    if (from !== undefined && to !== undefined && from >= to) {
      report(`weekly.${i}`, `${hours.from}–${hours.to}: the range must end after it starts`);
    }
    reportDuplicates(hours.days, `weekly.${i}.days`, report);
  });
  const seen = new Set<string>();
  node.holidays.forEach((holiday, i) => {
    if (!isCalendarDate(holiday.date)) {
      report(`holidays.${i}.date`, `"${holiday.date}" is not a date YYYY-MM-DD`);
    } else if (seen.has(holiday.date)) {
      report(`holidays.${i}.date`, `${holiday.date} is listed twice`);
    }
    seen.add(holiday.date);
  });
}

/** Minutes since midnight of `HH:MM`; `24:00` (the end of the day) only as an end. */
function minutesOfDay(text: string, isEnd: boolean): number | undefined {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (minutes > 24 * 60 || (minutes === 24 * 60 && !isEnd)) return undefined;
  return minutes;
}

/** A real day of the proleptic Gregorian calendar (ISO 8601), so 2025-02-30 is refused. */
function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** DTMF keys a phone sends (RFC 4733 §3.2 events 0-11); A-D are not on phone keypads. */
function isDtmfKey(key: string): boolean {
  return /^[0-9*#]$/.test(key);
}

function reportDuplicates(values: readonly string[], field: string, report: Report): void {
  const seen = new Set<string>();
  values.forEach((value, i) => {
    if (seen.has(value)) report(`${field}.${i}`, `${value} is listed twice`);
    seen.add(value);
  });
}

/**
 * Everything wrong with a graph whose shape already passed `routingGraphSchema`: an empty
 * list means the PBX can walk it. Issues name the node and the path of the field at fault.
 */
export function validateRoutingGraph(graph: RoutingGraph): RoutingGraphIssue[] {
  const issues: RoutingGraphIssue[] = [];
  const indexOf = new Map<string, number>();

  graph.nodes.forEach((node, i) => {
    const first = indexOf.get(node.id);
    if (first === undefined) indexOf.set(node.id, i);
    else {
      issues.push({
        nodeId: node.id,
        path: `nodes.${i}.id`,
        message: `node id "${node.id}" is used twice (also by nodes.${first})`,
      });
    }
  });
  if (!indexOf.has(graph.entry)) {
    issues.push({ path: 'entry', message: `entry node "${graph.entry}" does not exist` });
  }

  /** Edges of the first node with each id, to existing nodes only. */
  const edges = new Map<string, RoutingEdge[]>();
  graph.nodes.forEach((node, i) => {
    const report: Report = (field, message) =>
      issues.push({ nodeId: node.id, path: `nodes.${i}.${field}`, message });
    const own = edgesFrom(node);
    for (const edge of own) {
      if (!indexOf.has(edge.to))
        report(edge.field, `points to node "${edge.to}", which does not exist`);
    }
    if (indexOf.get(node.id) === i)
      edges.set(
        node.id,
        own.filter((e) => indexOf.has(e.to)),
      );
    checksOfKind(node.kind, node, report);
  });

  if (indexOf.has(graph.entry)) {
    const reached = reachableFrom(graph.entry, edges);
    for (const [id, i] of indexOf) {
      if (!reached.has(id)) {
        issues.push({
          nodeId: id,
          path: `nodes.${i}`,
          message: 'no path leads here from the entry node',
        });
      }
    }
  }

  for (const loop of loopsWithoutInput(edges)) {
    const first = loop[0];
    if (first === undefined) continue;
    issues.push({
      nodeId: first,
      path: `nodes.${indexOf.get(first) ?? 0}`,
      message:
        `${loop.join(' → ')} → ${first} loops without waiting for the caller ` +
        '(an IVR key or timeout); a call would go round forever',
    });
  }
  return issues;
}

function reachableFrom(entry: string, edges: ReadonlyMap<string, RoutingEdge[]>): Set<string> {
  const reached = new Set([entry]);
  const pending = [entry];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    for (const edge of edges.get(id) ?? []) {
      if (!reached.has(edge.to)) {
        reached.add(edge.to);
        pending.push(edge.to);
      }
    }
  }
  return reached;
}

/**
 * One cycle for each strongly connected component of the graph cut down to edges that do
 * not wait for input (Tarjan, 1972): any such cycle is a loop the call could spin in.
 */
function loopsWithoutInput(edges: ReadonlyMap<string, RoutingEdge[]>): string[][] {
  const next = (id: string) =>
    (edges.get(id) ?? []).filter((e) => !e.waitsForInput).map((e) => e.to);
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];

  const visit = (id: string): void => {
    order.set(id, order.size);
    low.set(id, order.size - 1);
    stack.push(id);
    onStack.add(id);
    for (const to of next(id)) {
      if (!order.has(to)) {
        visit(to);
        low.set(id, Math.min(low.get(id) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(id, Math.min(low.get(id) ?? 0, order.get(to) ?? 0));
      }
    }
    if (low.get(id) !== order.get(id)) return;
    const component = new Set<string>();
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.add(member);
      if (member === id) break;
    }
    if (component.size > 1 || next(id).includes(id)) loops.push(cycleWithin(id, component, next));
  };
  for (const id of edges.keys()) if (!order.has(id)) visit(id);
  return loops;
}

/** A concrete cycle through `start` inside its component, for a message people can follow. */
function cycleWithin(
  start: string,
  component: ReadonlySet<string>,
  next: (id: string) => string[],
): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head] ?? start;
    for (const to of next(id)) {
      if (to === start) return pathTo(id, start, cameFrom);
      if (component.has(to) && !cameFrom.has(to)) {
        cameFrom.set(to, id);
        queue.push(to);
      }
    }
  }
  return [start];
}

function pathTo(last: string, start: string, cameFrom: ReadonlyMap<string, string>): string[] {
  const path = [last];
  for (let id = last; id !== start;) {
    const previous = cameFrom.get(id);
    if (previous === undefined) break;
    path.unshift(previous);
    id = previous;
  }
  return path;
}
