import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { nodeSecretRepository } from '@provod/db';
import type { ServiceDeps } from '../services/service-context.ts';

/**
 * HMAC-SHA256 under a secret every node of the installation shares (created once, kept in
 * the database as `name`), for links and states that leave Provod and come back: only a
 * Provod node can make one, any node can check it.
 */
export function nodeSigner(deps: ServiceDeps, name: string) {
  let secret: Promise<Buffer> | undefined;
  const key = () =>
    (secret ??= nodeSecretRepository(deps.database.db, deps.clock)
      .getOrCreate(name, () => randomBytes(32).toString('base64'))
      .then((value) => Buffer.from(value, 'base64')));
  const sign = async (payload: string): Promise<string> =>
    createHmac('sha256', await key())
      .update(payload)
      .digest('base64url');
  return {
    sign,
    /** In constant time, whatever the signature's length. */
    async verify(payload: string, signature: string): Promise<boolean> {
      const expected = Buffer.from(await sign(payload));
      const given = Buffer.from(signature);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
