import { enqueueJob } from '@provod/db';
import type { ServiceDeps } from '../services/service-context.ts';

export interface RecurringJob {
  kind: string;
  /** Time between the end of one run and the start of the next. */
  intervalMs: number;
}

/**
 * Keeps one future run of an operator job queued: called at start and at the end of
 * each run (the running job passes its own id so it does not count as the next run). Two
 * nodes starting at the same instant could queue two chains; that costs a second pass,
 * since every recurring job is idempotent.
 */
export async function scheduleNextRun(
  deps: ServiceDeps,
  recurring: RecurringJob,
  exceptJobId?: string,
): Promise<void> {
  await deps.database.db.transaction().execute(async (trx) => {
    let pending = trx
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', recurring.kind)
      .where('status', 'in', ['queued', 'running']);
    if (exceptJobId !== undefined) pending = pending.where('id', '!=', exceptJobId);
    if (await pending.executeTakeFirst()) return;
    await enqueueJob(
      trx,
      {
        kind: recurring.kind,
        payload: {},
        tenantId: null,
        runAt: new Date(deps.clock().getTime() + recurring.intervalMs),
      },
      deps.clock,
    );
  });
}
