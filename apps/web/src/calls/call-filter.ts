import {
  callDirectionSchema,
  callQuerySchema,
  callStatusSchema,
  extensionNumberSchema,
  type Call,
} from '@provod/contracts';
import { z } from 'zod';
import type { CallListQuery } from '../api/provod-api.ts';
import { midnightInZone, nextCalendarDay, parseCalendarDay } from '../time/time-zone.ts';

const calendarDaySchema = z
  .string()
  .refine((text) => parseCalendarDay(text) !== null, 'expected a date such as 2025-03-10');
/** A week: no call lasts longer, and a typo of extra zeros is refused rather than searched. */
const durationSchema = z.coerce
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 3600);
const blank = z.literal('');

/**
 * The call log's filter as the page holds it and the URL carries it. Days are calendar
 * days on the tenant's clock (the API takes instants); the number and the extension follow
 * the API's own rules (callQuerySchema); the duration range is the page's own, because
 * GET /calls has no duration filter (docs/call-log.md) — it is applied to the rows loaded.
 */
const fieldSchemas = {
  dateFrom: calendarDaySchema.nullable(),
  dateTo: calendarDaySchema.nullable(),
  direction: callDirectionSchema.nullable(),
  status: callStatusSchema.nullable(),
  number: z.union([blank, callQuerySchema.shape.number.unwrap()]),
  extension: z.union([blank, extensionNumberSchema]),
  minDuration: durationSchema.nullable(),
  maxDuration: durationSchema.nullable(),
};

export const callFilterSchema = z.object(fieldSchemas).superRefine((filter, context) => {
  if (filter.dateFrom !== null && filter.dateTo !== null && filter.dateTo < filter.dateFrom) {
    context.addIssue({ code: 'custom', path: ['dateTo'], message: 'must not be before the start' });
  }
  if (
    filter.minDuration !== null &&
    filter.maxDuration !== null &&
    filter.maxDuration < filter.minDuration
  ) {
    context.addIssue({
      code: 'custom',
      path: ['maxDuration'],
      message: 'must not be less than the minimum',
    });
  }
});
export type CallFilter = z.infer<typeof callFilterSchema>;
type FilterField = keyof CallFilter;
const filterFields = Object.keys(fieldSchemas) as FilterField[];

export const emptyCallFilter: CallFilter = {
  dateFrom: null,
  dateTo: null,
  direction: null,
  status: null,
  number: '',
  extension: '',
  minDuration: null,
  maxDuration: null,
};

/** What vue-router gives as `route.query` (and what a saved filter stores). */
export type QueryValues = Record<string, string | null | (string | null)[] | undefined>;

/**
 * The filter a URL describes. A bookmark outlives the rules it was made under, so a value
 * that no longer passes is dropped on its own rather than failing the whole page; of a
 * contradictory pair (a range that ends before it starts) the end is dropped.
 */
export function filterFromQuery(query: QueryValues): CallFilter {
  const filter: Record<string, unknown> = { ...emptyCallFilter };
  for (const field of filterFields) {
    const raw = query[field];
    const text = Array.isArray(raw) ? raw[0] : raw;
    if (typeof text !== 'string' || text === '') continue;
    const parsed = fieldSchemas[field].safeParse(text);
    if (parsed.success) filter[field] = parsed.data;
  }
  const checked = callFilterSchema.safeParse(filter);
  if (checked.success) return checked.data;
  for (const issue of checked.error.issues) {
    const field = filterFields.find((name) => name === issue.path[0]);
    if (field !== undefined) filter[field] = emptyCallFilter[field];
  }
  return callFilterSchema.parse(filter);
}

/** The URL query for a filter: only what is set, as strings, in a fixed order. */
export function queryFromFilter(filter: CallFilter): Record<string, string> {
  const query: Record<string, string> = {};
  for (const field of filterFields) {
    const value = filter[field];
    if (value !== null && value !== '') query[field] = String(value);
  }
  return query;
}

/** GET /calls parameters: the days become the instants the tenant's midnights fall on. */
export function apiQueryFromFilter(filter: CallFilter, timeZone: string): CallListQuery {
  const from = filter.dateFrom === null ? null : parseCalendarDay(filter.dateFrom);
  const to = filter.dateTo === null ? null : parseCalendarDay(filter.dateTo);
  return {
    ...(from !== null && { from: midnightInZone(from, timeZone).toISOString() }),
    // `to` is exclusive in the API; the filter's last day is included, so: its next midnight.
    ...(to !== null && { to: midnightInZone(nextCalendarDay(to), timeZone).toISOString() }),
    ...(filter.direction !== null && { direction: filter.direction }),
    ...(filter.status !== null && { status: filter.status }),
    ...(filter.number !== '' && { number: filter.number }),
    ...(filter.extension !== '' && { extension: filter.extension }),
  };
}

/** The part of the filter the API cannot apply: total duration in seconds, both ends included. */
export function matchesDuration(call: Pick<Call, 'durationSeconds'>, filter: CallFilter): boolean {
  return (
    (filter.minDuration === null || call.durationSeconds >= filter.minDuration) &&
    (filter.maxDuration === null || call.durationSeconds <= filter.maxDuration)
  );
}

export function hasDurationFilter(filter: CallFilter): boolean {
  return filter.minDuration !== null || filter.maxDuration !== null;
}
