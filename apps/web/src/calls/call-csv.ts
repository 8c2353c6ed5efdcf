import type { Call, CallDirection, CallStatus } from '@provod/contracts';
import { isoLocalInZone } from '../time/time-zone.ts';
import { csvDocument } from './csv.ts';

/** The file's columns, in order. */
export const callCsvColumns = [
  'startedAt',
  'direction',
  'status',
  'caller',
  'callee',
  'phoneNumber',
  'extension',
  'durationSeconds',
  'talkSeconds',
  'hangupCause',
  'schemePath',
  'id',
] as const;
export type CallCsvColumn = (typeof callCsvColumns)[number];

/** The words of the file, in the UI's language. */
export interface CallCsvLabels {
  header: (column: CallCsvColumn) => string;
  direction: (direction: CallDirection) => string;
  status: (status: CallStatus) => string;
}

/**
 * The call log as a CSV file: one call a line, times on the tenant's clock (the header
 * names the zone), durations in whole seconds so a spreadsheet can sum them.
 */
export function callsCsv(calls: readonly Call[], timeZone: string, labels: CallCsvLabels): string {
  const header = callCsvColumns.map((column) =>
    column === 'startedAt' ? `${labels.header(column)} (${timeZone})` : labels.header(column),
  );
  // One cell writer per column, exhaustive over the columns (a new column must say its value).
  const cell: Record<CallCsvColumn, (call: Call) => string> = {
    startedAt: (call) => isoLocalInZone(new Date(call.startedAt), timeZone),
    direction: (call) => labels.direction(call.direction),
    status: (call) => labels.status(call.status),
    caller: (call) => call.caller,
    callee: (call) => call.callee,
    phoneNumber: (call) => call.phoneNumber ?? '',
    extension: (call) => call.extensionNumber ?? '',
    durationSeconds: (call) => String(call.durationSeconds),
    talkSeconds: (call) => String(call.talkSeconds),
    hangupCause: (call) => call.hangupCause ?? '',
    schemePath: (call) => call.schemePath.map((step) => step.kind).join(' → '),
    id: (call) => call.id,
  };
  const records = calls.map((call) => callCsvColumns.map((column) => cell[column](call)));
  return csvDocument([header, ...records]);
}

/** `calls-2025-03-10.csv`, dated on the tenant's clock. */
export function callsCsvFileName(now: Date, timeZone: string): string {
  return `calls-${isoLocalInZone(now, timeZone).slice(0, 10)}.csv`;
}
