import type { RoutingNodeInput } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import { graphOf, route, simulate } from '../routing-test-kit.ts';

function scheduleGraph(fields: Partial<Extract<RoutingNodeInput, { kind: 'schedule' }>>) {
  const holiday = fields.holiday ?? null;
  return graphOf([
    {
      id: 'hours',
      kind: 'schedule',
      weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }],
      open: 'open',
      closed: 'closed',
      ...fields,
      holiday,
    },
    { id: 'open', kind: 'hangup' },
    { id: 'closed', kind: 'hangup' },
    ...(holiday === null ? [] : [{ id: holiday, kind: 'hangup' as const }]),
  ]);
}

async function outcomeAt(
  at: string,
  timeZone: string,
  fields: Parameters<typeof scheduleGraph>[0] = {},
) {
  const graph = scheduleGraph({ holiday: 'holiday', ...fields });
  return route(await simulate(graph, { at, timeZone }))[0];
}

describe('schedule node', () => {
  it('is open within the weekly hours of the tenant zone, [from, to)', async () => {
    // Monday 2025-06-02 in Moscow (UTC+3).
    expect(await outcomeAt('2025-06-02T05:59:00Z', 'Europe/Moscow')).toBe('hours:closed');
    expect(await outcomeAt('2025-06-02T06:00:00Z', 'Europe/Moscow')).toBe('hours:open');
    expect(await outcomeAt('2025-06-02T14:59:00Z', 'Europe/Moscow')).toBe('hours:open');
    expect(await outcomeAt('2025-06-02T15:00:00Z', 'Europe/Moscow')).toBe('hours:closed');
    // Saturday.
    expect(await outcomeAt('2025-06-07T09:00:00Z', 'Europe/Moscow')).toBe('hours:closed');
  });

  it('notes the local time it decided by', async () => {
    const graph = scheduleGraph({});
    const run = await simulate(graph, { at: '2025-06-02T06:00:00Z', timeZone: 'Europe/Moscow' });
    expect(run.path[0]?.note).toBe('mon 2025-06-02 09:00 Europe/Moscow: within 09:00–18:00');
  });

  it('is DST-correct in Berlin on the spring change day, and Moscow does not move', async () => {
    const night = { weekly: [{ days: ['sun' as const], from: '03:00', to: '04:00' }] };
    // 01:30 UTC on 2025-03-30 is 03:30 CEST (a fixed +1 offset would say 02:30, closed).
    expect(await outcomeAt('2025-03-30T01:30:00Z', 'Europe/Berlin', night)).toBe('hours:open');
    expect(await outcomeAt('2025-03-30T00:59:00Z', 'Europe/Berlin', night)).toBe('hours:closed');
    // A week earlier the same UTC time is 02:30 CET.
    expect(await outcomeAt('2025-03-23T01:30:00Z', 'Europe/Berlin', night)).toBe('hours:closed');
    // Moscow, UTC+3 all year: 03:30 on both Sundays.
    expect(await outcomeAt('2025-03-30T00:30:00Z', 'Europe/Moscow', night)).toBe('hours:open');
    expect(await outcomeAt('2025-03-23T00:30:00Z', 'Europe/Moscow', night)).toBe('hours:open');
  });

  it('is open in both passes of the repeated hour on the autumn change day in Berlin', async () => {
    const night = { weekly: [{ days: ['sun' as const], from: '02:00', to: '03:00' }] };
    expect(await outcomeAt('2025-10-26T00:30:00Z', 'Europe/Berlin', night)).toBe('hours:open');
    expect(await outcomeAt('2025-10-26T01:30:00Z', 'Europe/Berlin', night)).toBe('hours:open');
    expect(await outcomeAt('2025-10-26T02:00:00Z', 'Europe/Berlin', night)).toBe('hours:closed');
  });

  it('runs a range to 24:00 up to midnight', async () => {
    const late = { weekly: [{ days: ['mon' as const], from: '20:00', to: '24:00' }] };
    expect(await outcomeAt('2025-06-02T20:59:00Z', 'Europe/Moscow', late)).toBe('hours:open');
    // 00:00 Tuesday local.
    expect(await outcomeAt('2025-06-02T21:00:00Z', 'Europe/Moscow', late)).toBe('hours:closed');
  });

  it('takes the holiday edge on a holiday of the local calendar, over the weekly hours', async () => {
    const holidays = [{ date: '2026-01-01', name: 'New Year' }];
    const weekly = [{ days: ['thu' as const], from: '00:00', to: '24:00' }];
    // 21:30 UTC on 31 December is already 1 January in Moscow, not yet in Berlin.
    expect(await outcomeAt('2025-12-31T21:30:00Z', 'Europe/Moscow', { holidays, weekly })).toBe(
      'hours:holiday',
    );
    expect(await outcomeAt('2025-12-31T21:30:00Z', 'Europe/Berlin', { holidays, weekly })).toBe(
      'hours:closed',
    );
    const run = await simulate(scheduleGraph({ holidays, weekly }), {
      at: '2026-01-01T10:00:00Z',
    });
    expect(route(run)).toEqual(['hours:holiday', 'closed:normal']);
    expect(run.path[0]?.note).toContain('holiday (New Year), as closed');
  });
});
