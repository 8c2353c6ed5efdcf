import { existsSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TenantScope, voicemailRepository } from '@provod/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, testDialects, type TestApp } from '../../test/test-app.ts';
import { wav } from '../../test/audio-fixtures.ts';
import type { TenantContext } from '../services/service-context.ts';

interface MessagePage {
  items: { id: string; heard: boolean; contentUrl: string }[];
  nextCursor: string | null;
}

/** Puts `bytes` at `storagePath` below the app's data directory, as the recorder would. */
function storeFile(dataDir: string, storagePath: string, bytes: Buffer): Buffer {
  const file = join(dataDir, storagePath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return bytes;
}

describe.each(testDialects)('voicemail API on $name', (dialect) => {
  let t: TestApp;
  let tenant: TenantContext;
  let clockMs = Date.parse('2025-03-01T12:00:00Z');

  /** A message in the mailbox of extension `number` (created when absent), with its WAV file. */
  async function seedMessage(ctx: TenantContext, number: string, name: string) {
    const existing = (await t.services.extensions.list(ctx)).find((e) => e.number === number);
    const extension = existing ?? (await t.services.extensions.create(ctx, { number }));
    const storagePath = `voicemail/${ctx.tenantId}/${name}.wav`;
    const bytes = storeFile(t.dataDir, storagePath, wav({ frames: 2000 }));
    // A clock a millisecond apart per message, so ids (and the list order) are fixed.
    const clock = () => new Date(clockMs++);
    const message = await voicemailRepository(
      new TenantScope(t.services.deps.database.db, ctx.tenantId),
      clock,
    ).create({
      extensionId: extension.id,
      callId: null,
      caller: '+74951234567',
      storagePath,
      durationSeconds: 1,
    });
    return { message, bytes, storagePath, extension };
  }

  beforeEach(async () => {
    t = await createTestApp(dialect);
    tenant = await t.createTenant('acme');
  });
  afterEach(() => t.close());

  it('lists messages by mailbox and heard flag, streams one and marks it heard', async () => {
    const first = await seedMessage(tenant, '101', 'one');
    const second = await seedMessage(tenant, '101', 'two');
    const other = await seedMessage(tenant, '102', 'three');
    const agent = await t.loginAs('agent', tenant);
    const list = async (query: string) => {
      const response = await t.app.inject({
        method: 'GET',
        url: `/api/v1/voicemail${query}`,
        headers: agent,
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<MessagePage>().items.map((m) => m.id);
    };

    expect(await list('')).toEqual([other.message.id, second.message.id, first.message.id]);
    expect(await list(`?extensionId=${first.extension.id}`)).toEqual([
      second.message.id,
      first.message.id,
    ]);
    expect(await list('?limit=1&heard=false')).toEqual([other.message.id]);

    const content = await t.app.inject({
      method: 'GET',
      url: `/api/v1/voicemail/${first.message.id}/content`,
      headers: agent,
    });
    expect(content.statusCode).toBe(200);
    expect(content.headers['content-type']).toBe('audio/wav');
    expect(content.rawPayload.equals(first.bytes)).toBe(true);

    const heard = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/voicemail/${first.message.id}`,
      headers: agent,
      payload: { heard: true },
    });
    expect(heard.statusCode).toBe(200);
    expect(heard.json()).toMatchObject({
      id: first.message.id,
      heard: true,
      extensionId: first.extension.id,
      contentUrl: `/api/v1/voicemail/${first.message.id}/content`,
    });
    expect(await list('?heard=true')).toEqual([first.message.id]);
    expect(await list(`?heard=false&extensionId=${first.extension.id}`)).toEqual([
      second.message.id,
    ]);
  });

  it('deletes a message and its file for an agent, audited; 403 for a viewer', async () => {
    const { message, storagePath } = await seedMessage(tenant, '101', 'one');
    const url = `/api/v1/voicemail/${message.id}`;
    const viewer = await t.loginAs('viewer', tenant);
    for (const request of [
      { method: 'DELETE' as const, url },
      { method: 'PATCH' as const, url, payload: { heard: true } },
    ]) {
      const refused = await t.app.inject({ ...request, headers: viewer });
      expect(refused.statusCode, request.method).toBe(403);
    }

    const agent = await t.loginAs('agent', tenant);
    expect((await t.app.inject({ method: 'DELETE', url, headers: agent })).statusCode).toBe(204);
    expect(existsSync(`${t.dataDir}/${storagePath}`)).toBe(false);
    expect((await t.app.inject({ method: 'GET', url, headers: agent })).statusCode).toBe(404);

    const admin = await t.loginAs('admin', tenant);
    const audit = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit-log?entityType=voicemail_message',
      headers: admin,
    });
    expect(audit.json()).toMatchObject({
      items: [{ action: 'delete', entityId: message.id, after: null }],
    });
  });

  it('answers 404 for a missing file and for another tenant on every route', async () => {
    const mine = await seedMessage(tenant, '101', 'mine');
    const owner = await t.loginAs('owner', tenant);
    rmSync(`${t.dataDir}/${mine.storagePath}`);
    const missing = await t.app.inject({
      method: 'GET',
      url: `/api/v1/voicemail/${mine.message.id}/content`,
      headers: owner,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ error: { message: string } }>().error.message).toBe(
      `the audio file of voicemail message ${mine.message.id} is missing from storage`,
    );

    const other = await t.createTenant('other');
    const theirs = await seedMessage(other, '101', 'theirs');
    const url = `/api/v1/voicemail/${theirs.message.id}`;
    for (const request of [
      { method: 'GET' as const, url },
      { method: 'GET' as const, url: `${url}/content` },
      { method: 'PATCH' as const, url, payload: { heard: true } },
      { method: 'DELETE' as const, url },
    ]) {
      const response = await t.app.inject({ ...request, headers: owner });
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(404);
    }
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/voicemail', headers: owner });
    expect(list.json<MessagePage>().items.map((m) => m.id)).toEqual([mine.message.id]);
    expect(existsSync(`${t.dataDir}/${theirs.storagePath}`)).toBe(true);
  });

  it('answers 400 naming the field for bad bodies and queries', async () => {
    const { message } = await seedMessage(tenant, '101', 'one');
    const admin = await t.loginAs('admin', tenant);
    const url = `/api/v1/voicemail/${message.id}`;
    const cases = [
      { method: 'PATCH' as const, url, payload: { heard: 'yes' }, path: 'body.heard' },
      { method: 'PATCH' as const, url, payload: { heard: true, colour: 1 }, path: 'body.colour' },
      { method: 'PATCH' as const, url, payload: {}, path: 'body.heard' },
      { method: 'GET' as const, url: '/api/v1/voicemail?heard=maybe', path: 'querystring.heard' },
      {
        method: 'GET' as const,
        url: '/api/v1/voicemail?extensionId=101',
        path: 'querystring.extensionId',
      },
    ];
    for (const { path, ...request } of cases) {
      const response = await t.app.inject({ ...request, headers: admin });
      expect(response.statusCode, path).toBe(400);
      expect(response.json(), path).toMatchObject({
        error: { code: 'validation_failed', details: [{ path }] },
      });
    }
  });
});
