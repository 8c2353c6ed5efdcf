import { deleteRecordingRows, enqueueJob, expiredRecordings } from '@provod/db';
import { removeStoredFile } from '../services/stored-audio.ts';
import type { ServiceDeps } from '../services/service-context.ts';

export const purgeExpiredRecordingsKind = 'recordings.purge_expired';
/** How often retention is enforced; a recording outlives its date by at most this. */
export const purgeIntervalMs = 60 * 60 * 1000;
const batchSize = 500;

/**
 * Deletes recordings past their tenant's retention date, files first and rows after, in
 * batches: a crash between the two leaves rows whose files are gone, and the retry
 * finishes them (a missing file counts as deleted). Returns how many were purged.
 */
export async function purgeExpiredRecordings(
  deps: ServiceDeps,
  signal?: AbortSignal,
): Promise<number> {
  let purged = 0;
  for (;;) {
    signal?.throwIfAborted();
    const batch = await expiredRecordings(deps.database.db, deps.clock(), batchSize);
    for (const recording of batch) await removeStoredFile(deps.dataDir, recording.storagePath);
    await deleteRecordingRows(
      deps.database.db,
      batch.map((recording) => recording.id),
    );
    purged += batch.length;
    if (batch.length < batchSize) return purged;
  }
}

/**
 * Keeps one future purge queued: called at start and at the end of each run. Two nodes
 * starting at the same instant could still queue two chains; that costs a second, empty
 * pass an hour, since purging is idempotent.
 */
export async function schedulePurge(deps: ServiceDeps, exceptJobId?: string): Promise<void> {
  await deps.database.db.transaction().execute(async (trx) => {
    let pending = trx
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', purgeExpiredRecordingsKind)
      .where('status', 'in', ['queued', 'running']);
    if (exceptJobId !== undefined) pending = pending.where('id', '!=', exceptJobId);
    if (await pending.executeTakeFirst()) return;
    await enqueueJob(
      trx,
      {
        kind: purgeExpiredRecordingsKind,
        payload: {},
        tenantId: null,
        runAt: new Date(deps.clock().getTime() + purgeIntervalMs),
      },
      deps.clock,
    );
  });
}
