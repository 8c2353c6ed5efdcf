import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects, twoTenantScopes, type TestDatabase } from '../test/test-databases.ts';
import { systemClock } from './clock.ts';
import { extensionRepository } from './repositories/extensions.ts';
import { TenantScope } from './tenant-scope.ts';

const noForwarding = { unconditional: null, busy: null, noAnswer: null, unreachable: null };

describe.each(testDialects)('TenantScope on $name', (dialect) => {
  let database: TestDatabase;
  let scopeA: TenantScope;
  let scopeB: TenantScope;

  beforeEach(async () => {
    database = await dialect.create();
    ({ scopeA, scopeB } = await twoTenantScopes(database.handle));
  });
  afterEach(() => database.dispose());

  function extension(number: string) {
    return {
      number,
      displayName: `x${number}`,
      sipPassword: 'secret-123',
      callerId: null,
      voicemailEnabled: true,
      voicemailEmail: null,
      doNotDisturb: false,
      forwarding: noForwarding,
      recording: 'never' as const,
      userId: null,
    };
  }

  it("never reads, changes or deletes another tenant's rows", async () => {
    const repoA = extensionRepository(scopeA, systemClock);
    const repoB = extensionRepository(scopeB, systemClock);
    const mine = await repoA.create(extension('101'));
    await repoB.create(extension('101'));

    expect(await repoB.get(mine.id)).toBeUndefined();
    expect(await repoB.update(mine.id, { displayName: 'stolen' })).toBeUndefined();
    expect(await repoB.delete(mine.id)).toBe(false);
    expect((await repoA.get(mine.id))?.displayName).toBe('x101');
    expect((await repoB.list()).map((e) => e.number)).toEqual(['101']);
    expect(await repoA.list()).toHaveLength(1);
  });

  it('writes its own tenant id on insert whatever the caller passes', async () => {
    const values = { ...extension('102'), tenantId: scopeB.tenantId } as Parameters<
      ReturnType<typeof extensionRepository>['create']
    >[0];
    const created = await extensionRepository(scopeA, systemClock).create(values);
    const row = await database.handle.db
      .selectFrom('extensions')
      .select('tenantId')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.tenantId).toBe(scopeA.tenantId);
  });

  it('round-trips booleans and JSON columns the same on both dialects', async () => {
    const repo = extensionRepository(scopeA, systemClock);
    const created = await repo.create({
      ...extension('103'),
      doNotDisturb: true,
      forwarding: {
        ...noForwarding,
        noAnswer: { target: { kind: 'voicemail' }, afterSeconds: 20 },
      },
    });
    expect(await repo.get(created.id)).toEqual(created);
  });
});
