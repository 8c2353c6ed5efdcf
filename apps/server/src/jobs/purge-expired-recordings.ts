import { deleteRecordingRows, expiredRecordings } from '@provod/db';
import { removeStoredFile } from '../services/stored-audio.ts';
import type { ServiceDeps } from '../services/service-context.ts';
import type { RecurringJob } from './recurring-jobs.ts';

/** Hourly: a recording outlives its retention date by at most an hour. */
export const purgeExpiredRecordingsJob = {
  kind: 'recordings.purge_expired',
  intervalMs: 60 * 60 * 1000,
} as const satisfies RecurringJob;

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
