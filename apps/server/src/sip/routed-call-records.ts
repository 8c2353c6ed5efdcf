import type { CallRecordInput, CallStatus } from '@provod/contracts';
import { describeEnd, type RoutedCallSummary } from '@provod/pbx';
import type { Logger } from 'pino';
import type { CallService } from '../services/calls.ts';
import { mediaStatsOf } from './call-records.ts';

/**
 * The call log row of a call to a phone number, routed by its scheme: the caller's leg,
 * the callee's when a phone answered, and the path through the scheme. For people a call
 * is answered when a person took it — Provod's menu answering does not count — so
 * `answeredAt` and talk time start at the bridge; a call the scheme ended without anyone
 * answering is missed.
 */
export function routedCallRecordOf(summary: RoutedCallSummary): CallRecordInput {
  const status = routedCallStatus(summary);
  const seconds = (from: Date, to: Date) =>
    Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
  const iso = (date: Date | undefined) => (date === undefined ? null : date.toISOString());
  const answeredBy = summary.answeredBy;
  const legs: CallRecordInput['legs'] = [
    {
      role: 'caller',
      party: summary.caller,
      sipCallId: summary.sipCallId,
      status: status === 'missed' ? 'cancelled' : status,
      startedAt: summary.startedAt.toISOString(),
      answeredAt: iso(summary.answeredAt),
      endedAt: summary.endedAt.toISOString(),
      mediaStats: mediaStatsOf(summary.media.caller),
    },
  ];
  if (answeredBy !== undefined && summary.bridgedAt !== undefined) {
    legs.push({
      role: 'callee',
      party: answeredBy,
      sipCallId: null,
      status: 'answered',
      startedAt: summary.bridgedAt.toISOString(),
      answeredAt: summary.bridgedAt.toISOString(),
      endedAt: summary.endedAt.toISOString(),
      mediaStats: mediaStatsOf(summary.media.callee),
    });
  }
  const cause =
    summary.failure !== undefined
      ? `${summary.reason}: ${summary.failure}`
      : summary.end?.kind === 'voicemail'
        ? describeEnd(summary.end)
        : summary.reason;
  return {
    direction: summary.direction,
    status,
    caller: summary.caller,
    callee: answeredBy ?? summary.number,
    phoneNumber: summary.number,
    extensionNumber: answeredBy ?? null,
    sipCallId: summary.sipCallId,
    startedAt: summary.startedAt.toISOString(),
    answeredAt: iso(summary.bridgedAt),
    endedAt: summary.endedAt.toISOString(),
    durationSeconds: seconds(summary.startedAt, summary.endedAt),
    talkSeconds: summary.bridgedAt === undefined ? 0 : seconds(summary.bridgedAt, summary.endedAt),
    hangupCause: cause.slice(0, 100),
    schemePath: summary.path.map((step) => ({
      nodeId: step.nodeId,
      kind: step.kind,
      enteredAt: step.enteredAt,
      outcome: step.outcome.slice(0, 100),
    })),
    legs,
  };
}

function routedCallStatus(summary: RoutedCallSummary): Exclude<CallStatus, 'in_progress'> {
  if (summary.bridgedAt !== undefined) return 'answered';
  if (summary.reason === 'failed') return 'failed';
  if (summary.end?.kind === 'hung_up' && summary.end.cause === 'busy') return 'busy';
  return 'missed';
}

/** Writes each ended routed call to the tenant's call log; a failure is logged, never thrown. */
export function routedCallRecorder(calls: CallService, logger: Logger) {
  return (summary: RoutedCallSummary): void => {
    calls.record(summary.tenantId, routedCallRecordOf(summary)).catch((error: unknown) => {
      logger.error({ err: error, sipCallId: summary.sipCallId }, 'call record not written');
    });
  };
}
