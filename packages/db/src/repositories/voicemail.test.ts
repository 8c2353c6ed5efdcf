import { voicemailQuerySchema } from '@provod/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects, twoTenantScopes, type TestDatabase } from '../../test/test-databases.ts';
import type { Clock } from '../clock.ts';
import { TenantScope } from '../tenant-scope.ts';
import { extensionRepository } from './extensions.ts';
import { voicemailRepository } from './voicemail.ts';

let now = new Date('2025-03-01T12:00:00.000Z');
const clock: Clock = () => now;
/** Ids order by their millisecond; objects made in one millisecond have no order. */
const tick = () => {
  now = new Date(now.getTime() + 1);
};

describe.each(testDialects)('voicemail repository on $name', (dialect) => {
  let database: TestDatabase;
  let scopeA: TenantScope;
  let scopeB: TenantScope;

  beforeEach(async () => {
    now = new Date('2025-03-01T12:00:00.000Z');
    database = await dialect.create();
    ({ scopeA, scopeB } = await twoTenantScopes(database.handle));
  });
  afterEach(() => database.dispose());

  it('keeps voicemail per mailbox, filters by heard and marks messages heard', async () => {
    const extensions = extensionRepository(scopeA, clock);
    const extension = (number: string) =>
      extensions.create({
        number,
        displayName: number,
        sipPassword: 'secret-123',
        callerId: null,
        voicemailEnabled: true,
        voicemailEmail: null,
        doNotDisturb: false,
        forwarding: { unconditional: null, busy: null, noAnswer: null, unreachable: null },
        recording: 'never',
        userId: null,
      });
    const mailbox101 = await extension('101');
    const mailbox102 = await extension('102');
    const voicemail = voicemailRepository(scopeA, clock);
    const message = (extensionId: string, name: string) =>
      voicemail.create({
        extensionId,
        callId: null,
        caller: '+74951234567',
        storagePath: `voicemail/${name}.wav`,
        durationSeconds: 12,
      });
    const first = await message(mailbox101.id, 'one');
    tick();
    const second = await message(mailbox101.id, 'two');
    tick();
    const other = await message(mailbox102.id, 'three');
    const ids = async (q: Record<string, unknown>) =>
      (await voicemail.list(voicemailQuerySchema.parse(q))).items.map((m) => m.id);

    expect(first).toMatchObject({ heard: false, createdAt: '2025-03-01T12:00:00.000Z' });
    expect(await ids({ extensionId: mailbox101.id })).toEqual([second.id, first.id]);
    expect((await voicemail.markHeard(first.id, true))?.heard).toBe(true);
    expect(await ids({ heard: 'false' })).toEqual([other.id, second.id]);
    expect(await ids({ heard: 'true', extensionId: mailbox101.id })).toEqual([first.id]);
    expect(await voicemail.delete(first.id)).toBe(true);
    expect(await voicemail.get(first.id)).toBeUndefined();

    const theirs = voicemailRepository(scopeB, clock);
    expect(await theirs.get(second.id)).toBeUndefined();
    expect(await theirs.markHeard(second.id, true)).toBeUndefined();
    expect(await theirs.delete(second.id)).toBe(false);
    expect((await voicemail.get(second.id))?.heard).toBe(false);
    await expect(
      theirs.create({
        extensionId: mailbox101.id,
        callId: null,
        caller: 'x',
        storagePath: 'voicemail/x.wav',
        durationSeconds: 1,
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});
