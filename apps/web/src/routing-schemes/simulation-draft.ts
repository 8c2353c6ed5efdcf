import {
  routingSimulationRequestSchema,
  type RoutingSimulationRequest,
  type SimulatedRingAnswer,
} from '@provod/contracts';
import type { z } from 'zod';
import { fieldErrorsFromZod, type FieldErrors } from '../forms/form-errors.ts';
import { isoLocalInZone, parseCalendarDay, wallClock } from '../time/time-zone.ts';

/** One line of the script's `ring` part: what a phone or number does when rung. */
export interface RingDraft {
  number: string;
  answer: SimulatedRingAnswer;
}

/**
 * The simulator form's model (POST /routing-schemes/{id}/simulate, docs/routing-schemes.md
 * "Simulator"): strings where the user types, the date-time on the tenant's wall clock as
 * `YYYY-MM-DD HH:mm`, the script's `ring` record as rows. The contract
 * (routingSimulationRequestSchema) judges the body built from it.
 */
export interface SimulationDraft {
  caller: string;
  dialled: string;
  at: string;
  ring: RingDraft[];
  /** Keys pressed at each menu prompt in order; '' for no key (the menu's timeout). */
  digits: string[];
  /** '' for none. */
  conferencePin: string;
  leaveMessage: boolean;
}

export type SimulationBody = z.output<typeof routingSimulationRequestSchema>;

export type BuiltRequest =
  { kind: 'valid'; body: SimulationBody } | { kind: 'invalid'; fields: FieldErrors };

export const wallClockFormat = 'YYYY-MM-DD HH:mm';

export function newSimulationDraft(now: Date, timeZone: string): SimulationDraft {
  return {
    caller: '',
    dialled: '',
    at: isoLocalInZone(now, timeZone).slice(0, wallClockFormat.length),
    ring: [],
    digits: [],
    conferencePin: '',
    leaveMessage: true,
  };
}

/** The zone's offset (wall clock minus instant, ms) at an instant. */
function offsetAt(instant: number, timeZone: string): number {
  const w = wallClock(new Date(instant), timeZone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wallAsUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * `YYYY-MM-DD HH:mm` on the zone's wall clock as an instant; null when it is not a real
 * date and time. As in time-zone.ts, the offset is taken again at the first guess so a
 * time on a daylight-saving day comes out right.
 */
export function instantFromWallClock(text: string, timeZone: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})$/.exec(text.trim());
  if (match === null) return null;
  const day = parseCalendarDay(match[1] ?? '');
  const [hour, minute] = [Number(match[2]), Number(match[3])];
  if (day === null || hour > 23 || minute > 59) return null;
  const wallAsUtc = Date.UTC(day.year, day.month - 1, day.day, hour, minute);
  const guess = wallAsUtc - offsetAt(wallAsUtc, timeZone);
  return new Date(wallAsUtc - offsetAt(guess, timeZone));
}

/**
 * The request's field paths as the form names its fields: a `ring` record key goes back to
 * the row(s) with that number, a script part loses its `script.` prefix. Used both for the
 * contract's own refusal and for the API's `validation_failed` details.
 */
export function draftFieldErrors(fields: FieldErrors, draft: SimulationDraft): FieldErrors {
  const mapped: FieldErrors = {};
  for (const [path, message] of Object.entries(fields)) {
    const ringKey = /^script\.ring\.(.*)$/.exec(path);
    if (ringKey !== null) {
      const number = ringKey[1] ?? '';
      draft.ring.forEach((row, index) => {
        if (row.number.trim() === number) mapped[`ring.${index}`] ??= message;
      });
      continue;
    }
    mapped[path.startsWith('script.') ? path.slice('script.'.length) : path] ??= message;
  }
  return mapped;
}

/** The request body for the draft, or the form's field errors when it cannot be sent. */
export function simulationRequestFromDraft(
  draft: SimulationDraft,
  timeZone: string,
  messages: { invalidAt: string; duplicateNumber: string },
): BuiltRequest {
  const fields: FieldErrors = {};
  const at = instantFromWallClock(draft.at, timeZone);
  if (at === null) fields.at = messages.invalidAt;

  // A record keeps one answer per number; two rows for one number would lose one silently.
  const ring: Record<string, SimulatedRingAnswer> = {};
  draft.ring.forEach((row, index) => {
    const number = row.number.trim();
    if (Object.hasOwn(ring, number)) fields[`ring.${index}`] = messages.duplicateNumber;
    ring[number] = row.answer;
  });

  const body: RoutingSimulationRequest = {
    caller: draft.caller.trim(),
    dialled: draft.dialled.trim(),
    ...(at !== null && { at: at.toISOString() }),
    script: {
      ring,
      digits: draft.digits.map((keys) => keys.trim()),
      conferencePin: draft.conferencePin.trim() === '' ? null : draft.conferencePin.trim(),
      leaveMessage: draft.leaveMessage,
    },
  };
  const parsed = routingSimulationRequestSchema.safeParse(body);
  if (parsed.success && Object.keys(fields).length === 0)
    return { kind: 'valid', body: parsed.data };
  const contractFields = parsed.success
    ? {}
    : draftFieldErrors(fieldErrorsFromZod(parsed.error), draft);
  return { kind: 'invalid', fields: { ...contractFields, ...fields } };
}
