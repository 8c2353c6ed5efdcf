import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects, twoTenantScopes, type TestDatabase } from '../../test/test-databases.ts';
import { systemClock } from '../clock.ts';
import { isUniqueViolation } from '../db-errors.ts';
import { TenantScope } from '../tenant-scope.ts';
import { findPhoneNumberOwner, phoneNumberRepository } from './phone-numbers.ts';
import { trunkRepository } from './trunks.ts';

const trunk = {
  name: 'Provider',
  host: 'sip.example.net',
  port: 5060,
  transport: 'udp' as const,
  username: null,
  password: null,
  authUsername: null,
  fromDomain: null,
  register: false,
  registerExpiresSeconds: 300,
  dialPrefixes: ['+7'],
  priority: 100,
  enabled: true,
};

describe.each(testDialects)('phone number repository on $name', (dialect) => {
  let database: TestDatabase;
  let scopeA: TenantScope;
  let scopeB: TenantScope;

  beforeEach(async () => {
    database = await dialect.create();
    ({ scopeA, scopeB } = await twoTenantScopes(database.handle));
  });
  afterEach(() => database.dispose());

  async function routingScheme(scope: TenantScope, id: string): Promise<string> {
    const now = new Date().toISOString();
    await scope
      .insertInto('routingSchemes', {
        id,
        name: `scheme ${id}`,
        currentVersion: 1,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    return id;
  }

  it('creates, lists in E.164 order, updates and deletes', async () => {
    const repo = phoneNumberRepository(scopeA, systemClock);
    const carrier = await trunkRepository(scopeA, systemClock).create(trunk);
    const schemeId = await routingScheme(scopeA, '01900000-0000-7000-8000-000000000001');
    const second = await repo.create({
      e164: '+74957654321',
      label: 'Sales',
      routingSchemeId: null,
      trunkId: null,
    });
    const first = await repo.create({
      e164: '+74951234567',
      label: 'Main',
      routingSchemeId: schemeId,
      trunkId: carrier.id,
    });

    expect((await repo.list()).map((n) => n.e164)).toEqual(['+74951234567', '+74957654321']);
    expect(await repo.get(first.id)).toEqual(first);
    expect((await repo.findByE164('+74957654321'))?.id).toBe(second.id);

    const updated = await repo.update(second.id, { label: 'Support', trunkId: carrier.id });
    expect(updated).toMatchObject({ e164: '+74957654321', label: 'Support', trunkId: carrier.id });
    expect(await repo.get(second.id)).toEqual(updated);

    expect(await repo.delete(first.id)).toBe(true);
    expect(await repo.delete(first.id)).toBe(false);
    expect(await repo.list()).toHaveLength(1);
  });

  it('finds the owner of a number across tenants, and nothing for an unknown one', async () => {
    const mine = await phoneNumberRepository(scopeA, systemClock).create({
      e164: '+74951234567',
      label: 'Main',
      routingSchemeId: null,
      trunkId: null,
    });
    expect(await findPhoneNumberOwner(scopeA.executor, '+74951234567')).toEqual({
      tenantId: scopeA.tenantId,
      number: mine,
    });
    expect(await findPhoneNumberOwner(scopeB.executor, '+74950000000')).toBeUndefined();
  });

  it('refuses an E.164 number another tenant already has, with a unique violation', async () => {
    const number = { e164: '+74951234567', label: '', routingSchemeId: null, trunkId: null };
    await phoneNumberRepository(scopeA, systemClock).create(number);
    const error: unknown = await phoneNumberRepository(scopeB, systemClock)
      .create(number)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isUniqueViolation(error)).toBe(true);
  });

  it("neither sees nor changes another tenant's numbers and schemes", async () => {
    const repoA = phoneNumberRepository(scopeA, systemClock);
    const repoB = phoneNumberRepository(scopeB, systemClock);
    const mine = await repoA.create({
      e164: '+74951234567',
      label: 'Main',
      routingSchemeId: null,
      trunkId: null,
    });
    const schemeId = await routingScheme(scopeA, '01900000-0000-7000-8000-000000000002');

    expect(await repoB.get(mine.id)).toBeUndefined();
    expect(await repoB.findByE164('+74951234567')).toBeUndefined();
    expect(await repoB.update(mine.id, { label: 'stolen' })).toBeUndefined();
    expect(await repoB.delete(mine.id)).toBe(false);
    expect(await repoB.list()).toEqual([]);
    expect(await repoA.hasRoutingScheme(schemeId)).toBe(true);
    expect(await repoB.hasRoutingScheme(schemeId)).toBe(false);
    expect((await repoA.get(mine.id))?.label).toBe('Main');
  });

  it('forgets the trunk of a number when the trunk is deleted', async () => {
    const trunks = trunkRepository(scopeA, systemClock);
    const carrier = await trunks.create(trunk);
    const repo = phoneNumberRepository(scopeA, systemClock);
    const number = await repo.create({
      e164: '+74951234567',
      label: '',
      routingSchemeId: null,
      trunkId: carrier.id,
    });
    await trunks.delete(carrier.id);
    expect((await repo.get(number.id))?.trunkId).toBeNull();
  });
});
