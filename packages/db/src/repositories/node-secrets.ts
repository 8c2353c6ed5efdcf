import { isoNow, type Clock } from '../clock.ts';
import type { Executor } from '../tenant-scope.ts';

/**
 * Installation-wide secrets, not owned by any tenant. `getOrCreate` is safe when several
 * nodes start at once: the first insert wins and everyone reads the winner's value.
 */
export function nodeSecretRepository(db: Executor, clock: Clock) {
  return {
    async getOrCreate(name: string, generate: () => string): Promise<string> {
      await db
        .insertInto('nodeSecrets')
        .values({ name, value: generate(), createdAt: isoNow(clock) })
        .onConflict((conflict) => conflict.column('name').doNothing())
        .execute();
      const row = await db
        .selectFrom('nodeSecrets')
        .select('value')
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      return row.value;
    },
  };
}
