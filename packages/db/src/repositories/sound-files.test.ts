import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects, twoTenantScopes, type TestDatabase } from '../../test/test-databases.ts';
import { systemClock } from '../clock.ts';
import { newId } from '../ids.ts';
import { TenantScope } from '../tenant-scope.ts';
import { soundFileRepository, type NewSoundFile } from './sound-files.ts';

function sound(name: string, overrides: Partial<NewSoundFile> = {}): NewSoundFile {
  const id = newId();
  return {
    id,
    name,
    purpose: 'greeting',
    originalFilename: `${name}.wav`,
    contentType: 'audio/wav',
    sizeBytes: 16_044,
    storagePath: `sounds/t/${id}.wav`,
    durationMs: 1000,
    ...overrides,
  };
}

describe.each(testDialects)('sound file repository on $name', (dialect) => {
  let database: TestDatabase;
  let scopeA: TenantScope;
  let scopeB: TenantScope;

  beforeEach(async () => {
    database = await dialect.create();
    ({ scopeA, scopeB } = await twoTenantScopes(database.handle));
  });
  afterEach(() => database.dispose());

  it('stores a sound under the id the caller chose and lists by name', async () => {
    const repo = soundFileRepository(scopeA, systemClock);
    const welcome = await repo.create(sound('Welcome'));
    const music = await repo.create(
      sound('Hold music', {
        purpose: 'music_on_hold',
        contentType: 'audio/mpeg',
        durationMs: null,
      }),
    );
    expect(await repo.get(welcome.id)).toEqual(welcome);
    expect(await repo.get(music.id)).toEqual(music);
    expect((await repo.list()).map((s) => s.name)).toEqual(['Hold music', 'Welcome']);
  });

  it('renames, changes the purpose, deletes', async () => {
    const repo = soundFileRepository(scopeA, systemClock);
    const created = await repo.create(sound('Welcome'));
    const updated = await repo.update(created.id, { name: 'Hello', purpose: 'prompt' });
    expect(updated).toEqual({ ...created, name: 'Hello', purpose: 'prompt' });
    expect(await repo.get(created.id)).toEqual(updated);
    expect(await repo.delete(created.id)).toBe(true);
    expect(await repo.get(created.id)).toBeUndefined();
  });

  it("neither sees, changes nor deletes another tenant's sounds", async () => {
    const mine = await soundFileRepository(scopeA, systemClock).create(sound('Welcome'));
    const theirs = soundFileRepository(scopeB, systemClock);
    expect(await theirs.get(mine.id)).toBeUndefined();
    expect(await theirs.update(mine.id, { name: 'stolen' })).toBeUndefined();
    expect(await theirs.delete(mine.id)).toBe(false);
    expect(await theirs.list()).toEqual([]);
  });
});
