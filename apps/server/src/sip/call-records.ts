import type { CallLegStatus, CallRecordInput, CallStatus, MediaStats } from '@provod/contracts';
import type { CallSummary } from '@provod/pbx';
import type { Logger } from 'pino';
import type { CallService } from '../services/calls.ts';

type LegMedia = NonNullable<CallSummary['media']>['caller'];

/**
 * The call log row (CDR) of a call the SIP server bridged, as the API and the cabinet
 * show it: an internal call or one out through a trunk, with a caller leg and a callee
 * leg. The status says how the call ended for people — answered, busy, no answer, missed
 * (the caller gave up) or failed — and `hangupCause` keeps the technical reason.
 */
export function callRecordOf(summary: CallSummary): CallRecordInput {
  const status = callStatus(summary);
  const seconds = (from: Date, to: Date) =>
    Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
  const iso = (date: Date | undefined) => (date === undefined ? null : date.toISOString());
  const legStatus: CallLegStatus = status === 'missed' ? 'cancelled' : status;
  return {
    direction: summary.direction,
    status,
    caller: summary.caller,
    callee: summary.callee,
    phoneNumber: null,
    // The tenant's side of the call: the callee inside, the caller going out.
    extensionNumber: summary.direction === 'outbound' ? summary.caller : summary.callee,
    sipCallId: summary.sipCallId,
    startedAt: summary.startedAt.toISOString(),
    answeredAt: iso(summary.answeredAt),
    endedAt: summary.endedAt.toISOString(),
    durationSeconds: seconds(summary.startedAt, summary.endedAt),
    talkSeconds:
      summary.answeredAt === undefined ? 0 : seconds(summary.answeredAt, summary.endedAt),
    hangupCause:
      summary.finalStatus === undefined
        ? summary.reason
        : `${summary.reason} (${summary.finalStatus})`,
    legs: [
      {
        role: 'caller',
        party: summary.caller,
        sipCallId: summary.sipCallId,
        status: legStatus,
        startedAt: summary.startedAt.toISOString(),
        answeredAt: iso(summary.answeredAt),
        endedAt: summary.endedAt.toISOString(),
        mediaStats: mediaStatsOf(summary.media?.caller),
      },
      {
        role: 'callee',
        party: summary.callee,
        sipCallId: null,
        status: legStatus,
        startedAt: summary.startedAt.toISOString(),
        answeredAt: iso(summary.answeredAt),
        endedAt: summary.endedAt.toISOString(),
        mediaStats: mediaStatsOf(summary.media?.callee),
      },
    ],
  };
}

function callStatus(summary: CallSummary): Exclude<CallStatus, 'in_progress'> {
  if (summary.answeredAt !== undefined) return 'answered';
  switch (summary.reason) {
    case 'cancelled':
      return 'missed';
    case 'no_answer':
      return 'no_answer';
    default:
      return summary.finalStatus === 486 || summary.finalStatus === 600 ? 'busy' : 'failed';
  }
}

/** What one leg's phone sent to Provod, as RFC 3550 receive statistics count it. */
export function mediaStatsOf(leg: LegMedia | undefined): MediaStats | null {
  if (leg === undefined) return null;
  const received = leg.rtp.received;
  return {
    packets: received.packets,
    lost: Math.max(0, received.lost),
    jitterMs: received.jitterMs,
    ...(leg.rtp.mos === null ? {} : { mos: leg.rtp.mos }),
  };
}

/** Writes each ended call to the tenant's call log; a failure is logged, never thrown. */
export function callRecorder(calls: CallService, logger: Logger) {
  return (summary: CallSummary): void => {
    const recording =
      summary.recording === undefined
        ? undefined
        : {
            storagePath: summary.recording.storagePath,
            format: 'wav' as const,
            durationSeconds: Math.round(summary.recording.durationMs / 1000),
            sizeBytes: summary.recording.bytes,
          };
    calls.record(summary.tenantId, callRecordOf(summary), recording).catch((error: unknown) => {
      logger.error({ err: error, sipCallId: summary.sipCallId }, 'call record not written');
    });
  };
}
