import { describe, expect, it } from 'vitest';
import { cachedSipDirectory } from './cached-directory.ts';

function countingDirectory() {
  const calls = { domain: 0, password: 0 };
  const passwords = new Map([['101', 'secret']]);
  return {
    calls,
    passwords,
    directory: {
      tenantByDomain: (domain: string) => {
        calls.domain += 1;
        return Promise.resolve(domain === 'demo.example' ? { tenantId: 't1' } : undefined);
      },
      sipPassword: (_tenantId: string, user: string) => {
        calls.password += 1;
        return Promise.resolve(passwords.get(user));
      },
      extensionExists: () => Promise.reject(new Error('the cache answers this from sipPassword')),
    },
  };
}

describe('cached SIP directory', () => {
  it('asks the database once per key within the TTL, misses included, and again after it', async () => {
    let now = 0;
    const inner = countingDirectory();
    const cached = cachedSipDirectory(inner.directory, {
      ttlMs: 5000,
      maxEntries: 100,
      now: () => now,
    });
    expect(await cached.tenantByDomain('demo.example')).toEqual({ tenantId: 't1' });
    expect(await cached.tenantByDomain('demo.example')).toEqual({ tenantId: 't1' });
    expect(await cached.tenantByDomain('nobody.example')).toBeUndefined();
    expect(await cached.tenantByDomain('nobody.example')).toBeUndefined();
    expect(inner.calls.domain).toBe(2);

    expect(await cached.sipPassword('t1', '101')).toBe('secret');
    expect(await cached.extensionExists('t1', '101')).toBe(true);
    expect(await cached.extensionExists('t1', '999')).toBe(false);
    expect(inner.calls.password).toBe(2);

    inner.passwords.set('101', 'changed');
    expect(await cached.sipPassword('t1', '101')).toBe('secret');
    now = 5001;
    expect(await cached.sipPassword('t1', '101')).toBe('changed');
  });

  it('stays within its size by dropping the oldest answers', async () => {
    const inner = countingDirectory();
    const cached = cachedSipDirectory(inner.directory, { ttlMs: 60_000, maxEntries: 10 });
    for (let n = 0; n < 25; n++) await cached.sipPassword('t1', String(n));
    const before = inner.calls.password;
    await cached.sipPassword('t1', '24');
    expect(inner.calls.password).toBe(before);
    await cached.sipPassword('t1', '0');
    expect(inner.calls.password).toBe(before + 1);
  });
});
