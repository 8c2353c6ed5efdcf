import type { Call, CallStatus } from '@provod/contracts';
import type { ProvodApi } from '../api/provod-api.ts';

/**
 * Midnight of `now`'s calendar day in an IANA time zone, as an instant. Intl gives the
 * zone's wall clock (https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Intl/DateTimeFormat/formatToParts);
 * the zone's offset is the wall clock minus the instant. The offset is taken again at the
 * candidate midnight, so a day that starts with a daylight-saving change still comes out right.
 */
export function startOfDayInZone(now: Date, timeZone: string): Date {
  const wall = wallClock(now, timeZone);
  const midnightAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day);
  const guess = midnightAsUtc - offsetAt(now, timeZone);
  return new Date(midnightAsUtc - offsetAt(new Date(guess), timeZone));
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
  };
}

function offsetAt(instant: Date, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  const wallAsUtc = Date.UTC(
    wall.year,
    wall.month - 1,
    wall.day,
    wall.hour,
    wall.minute,
    wall.second,
  );
  return wallAsUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

export interface CallSummary {
  total: number;
  answered: number;
  missed: number;
  inProgress: number;
}

/** Missed, for the dashboard: nobody answered, whatever the reason the PBX wrote. */
const notAnswered: ReadonlySet<CallStatus> = new Set(['missed', 'no_answer', 'busy']);

export function summarizeCalls(calls: readonly Pick<Call, 'status'>[]): CallSummary {
  return {
    total: calls.length,
    answered: calls.filter((call) => call.status === 'answered').length,
    missed: calls.filter((call) => notAnswered.has(call.status)).length,
    inProgress: calls.filter((call) => call.status === 'in_progress').length,
  };
}

/** Every call started since the tenant's midnight, all pages of GET /calls. */
export async function callsToday(api: ProvodApi, timeZone: string, now: Date): Promise<Call[]> {
  const from = startOfDayInZone(now, timeZone).toISOString();
  const calls: Call[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.calls.list({
      from,
      limit: 500,
      ...(cursor !== undefined && { cursor }),
    });
    calls.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return calls;
}
