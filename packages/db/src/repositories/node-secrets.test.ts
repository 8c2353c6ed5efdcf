import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects, type TestDatabase } from '../../test/test-databases.ts';
import { systemClock } from '../clock.ts';
import { nodeSecretRepository } from './node-secrets.ts';

describe.each(testDialects)('node secrets on $name', (dialect) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await dialect.create();
  });
  afterEach(() => database.dispose());

  it('makes a secret once; nodes starting together all get the first one', async () => {
    const repo = nodeSecretRepository(database.handle.db, systemClock);
    let made = 0;
    const generate = () => `secret-${++made}`;
    const values = await Promise.all([
      repo.getOrCreate('sip-nonce', generate),
      repo.getOrCreate('sip-nonce', generate),
      repo.getOrCreate('sip-nonce', generate),
    ]);
    expect(new Set(values).size).toBe(1);
    expect(await repo.getOrCreate('sip-nonce', () => 'other')).toBe(values[0]);
    expect(await repo.getOrCreate('another', () => 'x')).toBe('x');
  });
});
