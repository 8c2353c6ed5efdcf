import { routingGraphSchema, type RoutingGraph } from '@provod/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects, twoTenantScopes, type TestDatabase } from '../../test/test-databases.ts';
import { systemClock } from '../clock.ts';
import { isUniqueViolation } from '../db-errors.ts';
import { newId } from '../ids.ts';
import { TenantScope } from '../tenant-scope.ts';
import { extensionRepository } from './extensions.ts';
import { routingSchemeRepository } from './routing-schemes.ts';

function ringExtension(number: string): RoutingGraph {
  return routingGraphSchema.parse({
    entry: 'ring',
    nodes: [
      { id: 'ring', kind: 'extension', number, noAnswer: 'vm' },
      { id: 'vm', kind: 'voicemail', mailbox: number },
    ],
  });
}

describe.each(testDialects)('routing scheme repository on $name', (dialect) => {
  let database: TestDatabase;
  let scopeA: TenantScope;
  let scopeB: TenantScope;

  beforeEach(async () => {
    database = await dialect.create();
    ({ scopeA, scopeB } = await twoTenantScopes(database.handle));
  });
  afterEach(() => database.dispose());

  const repoOf = (scope: TenantScope) => routingSchemeRepository(scope, systemClock);

  it('creates version 1 and reads it back with its graph, listing by name', async () => {
    const repo = repoOf(scopeA);
    const main = await repo.create({
      name: 'Main',
      graph: ringExtension('100'),
      comment: 'first',
      createdBy: 'user-1',
    });
    await repo.create({
      name: 'Accounts',
      graph: ringExtension('200'),
      comment: '',
      createdBy: null,
    });

    expect(main.currentVersion).toBe(1);
    expect(await repo.get(main.id)).toEqual(main);
    expect((await repo.findByName('Main'))?.id).toBe(main.id);
    expect((await repo.list()).map((s) => s.name)).toEqual(['Accounts', 'Main']);
    expect(await repo.listVersions(main.id)).toEqual([
      {
        schemeId: main.id,
        version: 1,
        comment: 'first',
        createdBy: 'user-1',
        createdAt: main.createdAt,
      },
    ]);
  });

  it('adds versions without rewriting history', async () => {
    const repo = repoOf(scopeA);
    const scheme = await repo.create({
      name: 'Main',
      graph: ringExtension('100'),
      comment: 'v1',
      createdBy: null,
    });
    const second = await repo.addVersion(scheme.id, {
      graph: ringExtension('101'),
      comment: 'v2',
      createdBy: 'user-2',
    });
    expect(second?.currentVersion).toBe(2);
    expect(second?.graph).toEqual(ringExtension('101'));

    expect((await repo.listVersions(scheme.id)).map((v) => [v.version, v.comment])).toEqual([
      [2, 'v2'],
      [1, 'v1'],
    ]);
    expect((await repo.getVersion(scheme.id, 1))?.graph).toEqual(ringExtension('100'));
    expect((await repo.getVersion(scheme.id, 2))?.createdBy).toBe('user-2');
    expect(await repo.getVersion(scheme.id, 3)).toBeUndefined();
    expect(
      await repo.addVersion(newId(), { graph: ringExtension('11'), comment: '', createdBy: null }),
    ).toBeUndefined();
  });

  it('numbers concurrent saves one after another', async () => {
    const repo = repoOf(scopeA);
    const scheme = await repo.create({
      name: 'Busy',
      graph: ringExtension('100'),
      comment: '',
      createdBy: null,
    });
    await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((comment) =>
        repo.addVersion(scheme.id, { graph: ringExtension('100'), comment, createdBy: null }),
      ),
    );
    const versions = await repo.listVersions(scheme.id);
    expect(versions.map((v) => v.version)).toEqual([6, 5, 4, 3, 2, 1]);
    expect((await repo.get(scheme.id))?.currentVersion).toBe(6);
  });

  it('renames, refuses a taken name, and deletes with the whole history', async () => {
    const repo = repoOf(scopeA);
    const one = await repo.create({
      name: 'One',
      graph: ringExtension('11'),
      comment: '',
      createdBy: null,
    });
    await repo.create({ name: 'Two', graph: ringExtension('22'), comment: '', createdBy: null });

    expect((await repo.rename(one.id, 'Uno'))?.name).toBe('Uno');
    const clash = await repo.rename(one.id, 'Two').catch((error: unknown) => error);
    expect(isUniqueViolation(clash)).toBe(true);

    await repo.addVersion(one.id, { graph: ringExtension('33'), comment: '', createdBy: null });
    expect(await repo.delete(one.id)).toBe(true);
    expect(await repo.get(one.id)).toBeUndefined();
    expect(await repo.listVersions(one.id)).toEqual([]);
    expect(await repo.delete(one.id)).toBe(false);
  });

  it("neither sees, versions, renames nor deletes another tenant's scheme", async () => {
    const mine = await repoOf(scopeA).create({
      name: 'Main',
      graph: ringExtension('100'),
      comment: '',
      createdBy: null,
    });
    const theirs = repoOf(scopeB);
    expect(await theirs.get(mine.id)).toBeUndefined();
    expect(await theirs.list()).toEqual([]);
    expect(await theirs.listVersions(mine.id)).toEqual([]);
    expect(await theirs.getVersion(mine.id, 1)).toBeUndefined();
    expect(
      await theirs.addVersion(mine.id, {
        graph: ringExtension('11'),
        comment: '',
        createdBy: null,
      }),
    ).toBeUndefined();
    expect(await theirs.rename(mine.id, 'Stolen')).toBeUndefined();
    expect(await theirs.delete(mine.id)).toBe(false);
    expect(await repoOf(scopeA).get(mine.id)).toEqual(mine);
    // The same name is free in another tenant.
    expect(
      (
        await theirs.create({
          name: 'Main',
          graph: ringExtension('11'),
          comment: '',
          createdBy: null,
        })
      ).name,
    ).toBe('Main');
  });

  it("finds references missing from the tenant's extensions, sounds and numbers", async () => {
    await extensionRepository(scopeA, systemClock).create({
      number: '100',
      displayName: '',
      sipPassword: 'secret-123',
      callerId: null,
      voicemailEnabled: true,
      voicemailEmail: null,
      doNotDisturb: false,
      forwarding: { unconditional: null, busy: null, noAnswer: null, unreachable: null },
      recording: 'never',
      userId: null,
    });
    const sound = newId();
    await scopeA
      .insertInto('soundFiles', {
        id: sound,
        name: 'Hello',
        purpose: 'greeting',
        originalFilename: 'hello.wav',
        contentType: 'audio/wav',
        sizeBytes: 44,
        storagePath: 'sounds/hello.wav',
        durationMs: 0,
        createdAt: new Date().toISOString(),
      })
      .execute();
    const scheme = await repoOf(scopeA).create({
      name: 'Main',
      graph: ringExtension('100'),
      comment: '',
      createdBy: null,
    });
    const now = new Date().toISOString();
    await scopeA
      .insertInto('phoneNumbers', {
        id: newId(),
        e164: '+74951234567',
        label: '',
        routingSchemeId: scheme.id,
        trunkId: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();

    const mine = repoOf(scopeA);
    expect(await mine.missingExtensions(['100', '101'])).toEqual(['101']);
    expect(await mine.missingSoundFiles([sound, newId()])).toHaveLength(1);
    expect(await mine.missingExtensions([])).toEqual([]);
    expect(await mine.phoneNumbersUsing(scheme.id)).toEqual(['+74951234567']);

    const theirs = repoOf(scopeB);
    expect(await theirs.missingExtensions(['100'])).toEqual(['100']);
    expect(await theirs.missingSoundFiles([sound])).toEqual([sound]);
    expect(await theirs.phoneNumbersUsing(scheme.id)).toEqual([]);
  });
});
