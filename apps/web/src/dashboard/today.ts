import type { Call, CallStatus } from '@provod/contracts';
import type { ProvodApi } from '../api/provod-api.ts';
import { startOfDayInZone } from '../time/time-zone.ts';

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
