import { crmCallAttemptSchema, type CrmCallAttempt } from '@provod/contracts';
import type { CrmCallAttemptRecord } from '@provod/db';

/** The stored trace (the connector's CallTrace) with the fields the API shows. */
const storedTraceSchema = crmCallAttemptSchema.pick({
  callType: true,
  clientPhone: true,
  skipped: true,
  responsible: true,
  steps: true,
  notes: true,
});

export function presentAttempt(
  attempt: CrmCallAttemptRecord,
  connectionNames: ReadonlyMap<string, string>,
): CrmCallAttempt {
  const trace = storedTraceSchema.parse(attempt.trace);
  return {
    id: attempt.id,
    connectionId: attempt.connectionId,
    connectionName: connectionNames.get(attempt.connectionId) ?? attempt.connectionId,
    callId: attempt.callId,
    attempt: attempt.attempt,
    outcome: attempt.outcome === 'completed' ? 'completed' : 'failed',
    error: attempt.error,
    ...trace,
    createdAt: attempt.createdAt,
  };
}
