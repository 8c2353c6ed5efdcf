import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects, twoTenantScopes, type TestDatabase } from '../../test/test-databases.ts';
import { systemClock } from '../clock.ts';
import { isUniqueViolation } from '../db-errors.ts';
import { TenantScope } from '../tenant-scope.ts';
import { listRegisteringTrunks, trunkRepository, type NewTrunk } from './trunks.ts';

function trunk(name: string, overrides: Partial<NewTrunk> = {}): NewTrunk {
  return {
    name,
    host: 'sip.example.net',
    port: 5060,
    transport: 'udp',
    username: null,
    password: null,
    authUsername: null,
    fromDomain: null,
    register: false,
    registerExpiresSeconds: 300,
    dialPrefixes: [],
    priority: 100,
    enabled: true,
    ...overrides,
  };
}

describe.each(testDialects)('trunk repository on $name', (dialect) => {
  let database: TestDatabase;
  let scopeA: TenantScope;
  let scopeB: TenantScope;

  beforeEach(async () => {
    database = await dialect.create();
    ({ scopeA, scopeB } = await twoTenantScopes(database.handle));
  });
  afterEach(() => database.dispose());

  it('round-trips flags, nullable credentials and the prefix list', async () => {
    const repo = trunkRepository(scopeA, systemClock);
    const created = await repo.create(
      trunk('Main', {
        transport: 'tls',
        port: 5061,
        username: 'acme',
        password: 'p"ss\\word',
        authUsername: 'acme-auth',
        fromDomain: 'acme.example.net',
        register: true,
        registerExpiresSeconds: 600,
        dialPrefixes: ['+7', '8', '+'],
        enabled: false,
      }),
    );
    expect(await repo.get(created.id)).toEqual(created);
    expect((await repo.findByName('Main'))?.id).toBe(created.id);
  });

  it('lists by priority, then name, and updates in place', async () => {
    const repo = trunkRepository(scopeA, systemClock);
    const backup = await repo.create(trunk('Backup', { priority: 200, dialPrefixes: ['+7'] }));
    await repo.create(trunk('Zeta', { priority: 100 }));
    await repo.create(trunk('Alpha', { priority: 100 }));
    expect((await repo.list()).map((t) => t.name)).toEqual(['Alpha', 'Zeta', 'Backup']);

    const updated = await repo.update(backup.id, { priority: 10, dialPrefixes: ['+7', '8'] });
    expect(updated).toMatchObject({ priority: 10, dialPrefixes: ['+7', '8'], name: 'Backup' });
    expect(await repo.get(backup.id)).toEqual(updated);
    expect((await repo.list())[0]?.name).toBe('Backup');
  });

  it('lists the registering, enabled trunks of every tenant for the SIP edge', async () => {
    const register = { register: true, username: 'u', password: 'p' };
    const a = await trunkRepository(scopeA, systemClock).create(trunk('a', register));
    await trunkRepository(scopeA, systemClock).create(trunk('quiet'));
    await trunkRepository(scopeA, systemClock).create(
      trunk('off', { ...register, enabled: false }),
    );
    const b = await trunkRepository(scopeB, systemClock).create(trunk('b', register));
    const listed = await listRegisteringTrunks(scopeA.executor);
    expect(listed.map((t) => [t.tenantId, t.id]).sort()).toEqual(
      [
        [scopeA.tenantId, a.id],
        [scopeB.tenantId, b.id],
      ].sort(),
    );
  });

  it('keeps names unique per tenant only', async () => {
    await trunkRepository(scopeA, systemClock).create(trunk('Main'));
    await expect(trunkRepository(scopeB, systemClock).create(trunk('Main'))).resolves.toBeDefined();
    const error: unknown = await trunkRepository(scopeA, systemClock)
      .create(trunk('Main'))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isUniqueViolation(error)).toBe(true);
  });

  it("neither sees, changes nor deletes another tenant's trunks", async () => {
    const repoA = trunkRepository(scopeA, systemClock);
    const repoB = trunkRepository(scopeB, systemClock);
    const mine = await repoA.create(trunk('Main', { password: 'secret' }));
    expect(await repoB.get(mine.id)).toBeUndefined();
    expect(await repoB.findByName('Main')).toBeUndefined();
    expect(await repoB.update(mine.id, { host: 'evil.example' })).toBeUndefined();
    expect(await repoB.delete(mine.id)).toBe(false);
    expect(await repoB.list()).toEqual([]);
    expect((await repoA.get(mine.id))?.host).toBe('sip.example.net');
  });
});
