import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { callRepository, recordingRepository, systemClock, TenantScope } from '@provod/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, testDialects, type TestApp } from '../../test/test-app.ts';
import { wav } from '../../test/audio-fixtures.ts';
import type { TenantContext } from '../services/service-context.ts';

const callInput = {
  direction: 'inbound' as const,
  status: 'answered' as const,
  caller: '+74951234567',
  callee: '101',
  phoneNumber: null,
  extensionNumber: '101',
  sipCallId: null,
  startedAt: '2025-03-01T09:00:00Z',
  answeredAt: null,
  endedAt: null,
  durationSeconds: 10,
  talkSeconds: 5,
  hangupCause: null,
  legs: [],
};

/** Puts `bytes` at `storagePath` below the app's data directory, as the recorder would. */
function storeFile(dataDir: string, storagePath: string, bytes: Buffer): Buffer {
  const file = join(dataDir, storagePath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return bytes;
}

describe.each(testDialects)('recordings API on $name', (dialect) => {
  let t: TestApp;
  let tenant: TenantContext;
  const scopeOf = (ctx: TenantContext) =>
    new TenantScope(t.services.deps.database.db, ctx.tenantId);

  /** A call with a recording whose WAV file exists below the app's dataDir. */
  async function seedRecording(ctx: TenantContext, name: string) {
    const call = await callRepository(scopeOf(ctx), systemClock).recordCall(callInput);
    const storagePath = `recordings/${ctx.tenantId}/${name}.wav`;
    const bytes = storeFile(t.dataDir, storagePath, wav({ frames: 2000 }));
    const recording = await recordingRepository(scopeOf(ctx), systemClock).create(
      { callId: call.id, storagePath, format: 'wav', durationSeconds: 1, sizeBytes: bytes.length },
      30,
    );
    return { call, recording, bytes, storagePath };
  }

  beforeEach(async () => {
    t = await createTestApp(dialect);
    tenant = await t.createTenant('acme');
  });
  afterEach(() => t.close());

  it('lists recordings by call and streams the audio file', async () => {
    const { call, recording, bytes } = await seedRecording(tenant, 'one');
    await seedRecording(tenant, 'two');
    const viewer = await t.loginAs('viewer', tenant);

    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/recordings?callId=${call.id}`,
      headers: viewer,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({
      items: [
        {
          id: recording.id,
          callId: call.id,
          format: 'wav',
          durationSeconds: 1,
          sizeBytes: bytes.length,
          createdAt: recording.createdAt,
          expiresAt: recording.expiresAt,
          contentUrl: `/api/v1/recordings/${recording.id}/content`,
        },
      ],
      nextCursor: null,
    });
    const all = await t.app.inject({ method: 'GET', url: '/api/v1/recordings', headers: viewer });
    expect(all.json<{ items: unknown[] }>().items).toHaveLength(2);

    const content = await t.app.inject({
      method: 'GET',
      url: `/api/v1/recordings/${recording.id}/content`,
      headers: viewer,
    });
    expect(content.statusCode).toBe(200);
    expect(content.headers['content-type']).toBe('audio/wav');
    expect(content.headers['content-length']).toBe(String(bytes.length));
    expect(content.rawPayload.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(content.rawPayload.equals(bytes)).toBe(true);
  });

  it('serves a single byte range for seeking players and ignores ranges it cannot meet', async () => {
    const { recording, bytes } = await seedRecording(tenant, 'one');
    const viewer = await t.loginAs('viewer', tenant);
    const fetchRange = (range: string) =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/recordings/${recording.id}/content`,
        headers: { ...viewer, range },
      });

    const header = await fetchRange('bytes=0-43');
    expect(header.statusCode).toBe(206);
    expect(header.headers['content-range']).toBe(`bytes 0-43/${bytes.length}`);
    expect(header.rawPayload.equals(bytes.subarray(0, 44))).toBe(true);

    const tail = await fetchRange('bytes=-10');
    expect(tail.statusCode).toBe(206);
    expect(tail.rawPayload.equals(bytes.subarray(bytes.length - 10))).toBe(true);

    const open = await fetchRange('bytes=100-');
    expect(open.headers['content-length']).toBe(String(bytes.length - 100));
    expect(open.rawPayload.equals(bytes.subarray(100))).toBe(true);

    for (const ignored of [`bytes=${bytes.length}-`, 'bytes=0-1,5-9', 'items=0-1', 'bytes=9-2']) {
      const whole = await fetchRange(ignored);
      expect(whole.statusCode, ignored).toBe(200);
      expect(whole.rawPayload.equals(bytes), ignored).toBe(true);
    }
  });

  it('answers 404 with a clear message when the file is missing', async () => {
    const call = await callRepository(scopeOf(tenant), systemClock).recordCall(callInput);
    const recording = await recordingRepository(scopeOf(tenant), systemClock).create(
      {
        callId: call.id,
        storagePath: 'recordings/gone.wav',
        format: 'wav',
        durationSeconds: 1,
        sizeBytes: 1,
      },
      30,
    );
    const admin = await t.loginAs('admin', tenant);
    const content = await t.app.inject({
      method: 'GET',
      url: `/api/v1/recordings/${recording.id}/content`,
      headers: admin,
    });
    expect(content.statusCode).toBe(404);
    expect(content.json()).toEqual({
      error: {
        code: 'not_found',
        message: `the audio file of recording ${recording.id} is missing from storage`,
      },
    });
  });

  it('never serves a file outside the data directory', async () => {
    const { recording } = await seedRecording(tenant, 'one');
    // Only a corrupted row can hold such a path: the repository refuses it on create.
    await t.services.deps.database.db
      .updateTable('recordings')
      .set({ storagePath: '../outside.wav' })
      .where('id', '=', recording.id)
      .execute();
    const admin = await t.loginAs('admin', tenant);
    const content = await t.app.inject({
      method: 'GET',
      url: `/api/v1/recordings/${recording.id}/content`,
      headers: admin,
    });
    expect(content.statusCode).toBe(500);
    expect(content.json()).toMatchObject({ error: { code: 'internal' } });
  });

  it('deletes a recording and its file for an admin, audited; 403 for viewer and agent', async () => {
    const { recording, storagePath } = await seedRecording(tenant, 'one');
    const remove = async (headers: Record<string, string>) =>
      t.app.inject({ method: 'DELETE', url: `/api/v1/recordings/${recording.id}`, headers });

    for (const role of ['viewer', 'agent'] as const) {
      const refused = await remove(await t.loginAs(role, tenant));
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect(existsSync(`${t.dataDir}/${storagePath}`)).toBe(true);

    const admin = await t.loginAs('admin', tenant);
    expect((await remove(admin)).statusCode).toBe(204);
    expect(existsSync(`${t.dataDir}/${storagePath}`)).toBe(false);
    expect((await remove(admin)).statusCode).toBe(404);
    const get = await t.app.inject({
      method: 'GET',
      url: `/api/v1/recordings/${recording.id}`,
      headers: admin,
    });
    expect(get.statusCode).toBe(404);

    const audit = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit-log?entityType=recording',
      headers: admin,
    });
    expect(audit.json()).toMatchObject({
      items: [{ action: 'delete', entityId: recording.id, before: { storagePath }, after: null }],
    });
  });

  it("answers 404 for another tenant's recording on every route", async () => {
    const other = await t.createTenant('other');
    const { recording, storagePath } = await seedRecording(other, 'theirs');
    const owner = await t.loginAs('owner', tenant);
    for (const [method, url] of [
      ['GET', `/api/v1/recordings/${recording.id}`],
      ['GET', `/api/v1/recordings/${recording.id}/content`],
      ['DELETE', `/api/v1/recordings/${recording.id}`],
    ] as const) {
      const response = await t.app.inject({ method, url, headers: owner });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/recordings', headers: owner });
    expect(list.json()).toEqual({ items: [], nextCursor: null });
    expect(existsSync(`${t.dataDir}/${storagePath}`)).toBe(true);
  });

  it('answers 400 to unknown query fields and malformed ids', async () => {
    const admin = await t.loginAs('admin', tenant);
    for (const [url, path] of [
      ['/api/v1/recordings?colour=red', 'querystring.colour'],
      ['/api/v1/recordings?callId=42', 'querystring.callId'],
      ['/api/v1/recordings/42/content', 'params.id'],
    ] as const) {
      const response = await t.app.inject({ method: 'GET', url, headers: admin });
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toMatchObject({ error: { details: [{ path }] } });
    }
  });
});
