import type { CallStatus, CallWithLegs } from '@provod/contracts';
import type { CallRecord, CallResult } from '@provod/crm';

const extensionPattern = /^\d{2,6}$/;

function result(status: CallStatus): CallResult {
  switch (status) {
    case 'answered':
      return 'answered';
    case 'busy':
      return 'busy';
    case 'missed':
    case 'no_answer':
      return 'missed';
    case 'failed':
    case 'in_progress':
      return 'failed';
  }
}

/**
 * Provod's call log row → the connector's call model. The extensions that rang are the
 * legs Provod rang (callee, forward, transfer, pickup) whose party is an extension, in the
 * order they started; who answered is the first of them that answered.
 */
export function crmCallRecord(call: CallWithLegs): CallRecord {
  const rungLegs = call.legs
    .filter((leg) => leg.role !== 'caller' && extensionPattern.test(leg.party))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const extensionsRung = [...new Set(rungLegs.map((leg) => leg.party))];
  const answeringLeg = rungLegs.find((leg) => leg.status === 'answered');
  const answeredBy =
    call.direction === 'outbound'
      ? null
      : (answeringLeg?.party ?? (call.status === 'answered' ? call.extensionNumber : null));
  const endedAt = call.endedAt ?? call.startedAt;
  return {
    id: call.id,
    source: 'provod_pbx',
    direction: call.direction,
    callerNumber: call.caller,
    calledNumber: call.direction === 'inbound' ? (call.phoneNumber ?? call.callee) : call.callee,
    trunk: null,
    extensionsRung,
    answeredBy,
    startedAt: call.startedAt,
    answeredAt: call.answeredAt,
    endedAt,
    durationSeconds: call.durationSeconds,
    talkSeconds: call.talkSeconds,
    result: result(call.status),
    hangupCause: null,
    transfers: [],
    recordingFile: null,
  };
}
