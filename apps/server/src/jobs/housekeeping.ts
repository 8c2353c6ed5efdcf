import { identityRepository } from '@provod/db';
import type { ServiceDeps } from '../services/service-context.ts';
import type { RecurringJob } from './recurring-jobs.ts';

export const housekeepingJob = {
  kind: 'housekeeping.prune',
  intervalMs: 60 * 60 * 1000,
} as const satisfies RecurringJob;

/** Finished jobs stay visible in the API this long, for support to see what ran. */
export const finishedJobRetentionDays = 14;

/**
 * Removes what only piles up: expired login sessions, and jobs done long ago. Dead jobs
 * are kept until someone retries or inspects them — they are the record of a failure.
 */
export async function pruneHousekeeping(deps: ServiceDeps): Promise<{ jobs: number }> {
  await identityRepository(deps.database.db, deps.clock).deleteExpiredSessions();
  const cutoff = new Date(deps.clock().getTime() - finishedJobRetentionDays * 86_400_000);
  const result = await deps.database.db
    .deleteFrom('jobs')
    .where('status', '=', 'done')
    .where('finishedAt', '<', cutoff.toISOString())
    .executeTakeFirst();
  return { jobs: Number(result.numDeletedRows) };
}
