import type { RoutingNodeOf } from '@provod/contracts';
import { localTimeIn, minutesOf } from '../local-time.ts';
import type { NodeHandler } from '../node-handler.ts';

type ScheduleNode = RoutingNodeOf<'schedule'>;

/**
 * Open, closed or holiday by the tenant's wall clock (docs/routing-schemes.md, schedule).
 * A holiday is a whole local day and wins over the weekly hours; a range is [from, to),
 * so 09:00–18:00 is closed at 18:00 and `to: 24:00` runs to midnight.
 */
export const scheduleHandler: NodeHandler<'schedule'> = {
  needs: () => 'nothing',
  async run(node, ctx) {
    const zone = ctx.call.timeZone;
    const local = localTimeIn(zone, ctx.now());
    const clock = `${local.weekday} ${local.date} ${hhmm(local.minutes)} ${zone}`;
    const holiday = node.holidays.find((h) => h.date === local.date);
    if (holiday !== undefined) {
      const name = holiday.name === '' ? '' : ` (${holiday.name})`;
      return node.holiday === null
        ? { outcome: 'holiday', note: `${clock}: holiday${name}, as closed`, next: node.closed }
        : { outcome: 'holiday', note: `${clock}: holiday${name}`, next: node.holiday };
    }
    const range = openRange(node, local.weekday, local.minutes);
    return range === undefined
      ? { outcome: 'closed', note: `${clock}: outside the weekly hours`, next: node.closed }
      : { outcome: 'open', note: `${clock}: within ${range}`, next: node.open };
  },
};

function openRange(
  node: ScheduleNode,
  weekday: ScheduleNode['weekly'][number]['days'][number],
  minutes: number,
): string | undefined {
  const hours = node.weekly.find(
    (h) => h.days.includes(weekday) && minutesOf(h.from) <= minutes && minutes < minutesOf(h.to),
  );
  return hours && `${hours.from}–${hours.to}`;
}

function hhmm(minutes: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
