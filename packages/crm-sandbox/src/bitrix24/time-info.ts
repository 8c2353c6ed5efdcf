/**
 * The `time` object of every answer (api-reference/data-types.md#time, limits.md:
 * start, finish, duration, processing, date_start, date_finish, operating_reset_at,
 * operating). The sandbox accounts no resource intensity, so `operating` is 0.
 */
import { formatBitrixDate } from './dates.ts';
import type { JsonObject } from './params.ts';

export function timeInfo(startMs: number, finishMs: number): JsonObject {
  const duration = (finishMs - startMs) / 1000;
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration,
    processing: duration,
    date_start: formatBitrixDate(startMs),
    date_finish: formatBitrixDate(finishMs),
    operating_reset_at: Math.floor(startMs / 1000) + 600,
    operating: 0,
  };
}
