import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isProvodError } from '@provod/contracts';
import { newId } from '@provod/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { id3Tag, mp3Frame, wav } from '../../test/audio-fixtures.ts';
import {
  createTestApp,
  testDialects,
  type AuthHeaders,
  type TestApp,
} from '../../test/test-app.ts';
import type { TenantContext } from '../services/service-context.ts';

interface SoundBody {
  id: string;
  name: string;
  purpose: string;
  originalFilename: string;
  contentType: string;
  sizeBytes: number;
  durationMs: number | null;
}

interface ErrorBody {
  error: { code: string; message: string; details?: { path?: string; message: string }[] };
}

describe.each(testDialects)('sounds API on $name', (dialect) => {
  let t: TestApp;
  let tenant: TenantContext;
  let admin: AuthHeaders;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    tenant = await t.createTenant('acme');
    admin = await t.loginAs('admin', tenant);
  });
  afterEach(() => t.close());

  const upload = (headers: AuthHeaders, query: string, contentType: string, body: Buffer) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/sounds?${query}`,
      headers: { ...headers, 'content-type': contentType },
      payload: body,
    });
  const tenantDir = () => join(t.dataDir, 'sounds', tenant.tenantId);
  const storedFiles = () => (existsSync(tenantDir()) ? readdirSync(tenantDir()).sort() : []);

  it('stores a WAV upload, serves its bytes, renames it and deletes it with its file', async () => {
    const bytes = wav({ frames: 20_000 });
    const created = await upload(
      admin,
      'name=Welcome&purpose=greeting&filename=welcome%20v2.wav',
      'audio/x-wav',
      bytes,
    );
    expect(created.statusCode).toBe(201);
    const sound = created.json<SoundBody>();
    expect(sound).toMatchObject({
      name: 'Welcome',
      purpose: 'greeting',
      originalFilename: 'welcome v2.wav',
      contentType: 'audio/wav',
      sizeBytes: bytes.length,
      durationMs: 2500,
    });
    expect(created.body).not.toContain('storagePath');
    expect(storedFiles()).toEqual([`${sound.id}.wav`]);
    expect(readFileSync(join(tenantDir(), `${sound.id}.wav`))).toEqual(bytes);

    const agent = await t.loginAs('agent', tenant);
    const content = await t.app.inject({
      method: 'GET',
      url: `/api/v1/sounds/${sound.id}/content`,
      headers: agent,
    });
    expect(content.statusCode).toBe(200);
    expect(content.headers['content-type']).toBe('audio/wav');
    expect(content.rawPayload).toEqual(bytes);

    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/sounds/${sound.id}`,
      headers: admin,
      payload: { name: 'Hello', purpose: 'voicemail_greeting' },
    });
    expect(patched.json()).toMatchObject({ name: 'Hello', purpose: 'voicemail_greeting' });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/sounds', headers: agent });
    expect(list.json<SoundBody[]>().map((s) => s.name)).toEqual(['Hello']);

    const url = `/api/v1/sounds/${sound.id}`;
    expect((await t.app.inject({ method: 'DELETE', url, headers: admin })).statusCode).toBe(204);
    expect(storedFiles()).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url, headers: admin })).statusCode).toBe(404);
    const content404 = await t.app.inject({ method: 'GET', url: `${url}/content`, headers: admin });
    expect(content404.statusCode).toBe(404);
  });

  it('answers 404 saying so when the file is missing from storage', async () => {
    const sound = (
      await upload(admin, 'name=A&purpose=prompt', 'audio/wav', wav())
    ).json<SoundBody>();
    rmSync(join(tenantDir(), `${sound.id}.wav`));
    const content = await t.app.inject({
      method: 'GET',
      url: `/api/v1/sounds/${sound.id}/content`,
      headers: admin,
    });
    expect(content.statusCode).toBe(404);
    expect(content.json<ErrorBody>().error.message).toContain('missing from storage');
    const url = `/api/v1/sounds/${sound.id}`;
    expect((await t.app.inject({ method: 'DELETE', url, headers: admin })).statusCode).toBe(204);
  });

  it('stores an MP3 without a duration and with a default file name', async () => {
    const bytes = Buffer.concat([id3Tag(), mp3Frame(), mp3Frame()]);
    const created = await upload(admin, 'name=Hold&purpose=music_on_hold', 'audio/mpeg', bytes);
    expect(created.statusCode).toBe(201);
    const sound = created.json<SoundBody>();
    expect(sound).toMatchObject({
      contentType: 'audio/mpeg',
      durationMs: null,
      originalFilename: 'Hold.mp3',
    });
    expect(storedFiles()).toEqual([`${sound.id}.mp3`]);
    const content = await t.app.inject({
      method: 'GET',
      url: `/api/v1/sounds/${sound.id}/content`,
      headers: admin,
    });
    expect(content.headers['content-type']).toBe('audio/mpeg');
    expect(content.rawPayload).toEqual(bytes);
  });

  it('refuses broken files with 400 and keeps nothing of them', async () => {
    const whole = wav({ frames: 8000 });
    const cases: [string, Buffer, string][] = [
      ['audio/wav', whole.subarray(0, whole.length - 100), 'WAV data chunk is truncated'],
      ['audio/wave', id3Tag(), 'not a WAV file: missing RIFF header'],
      ['audio/wav', wav({ sampleRate: 96_000, frames: 10 }), 'WAV sample rate 96000 Hz'],
      ['audio/mpeg', whole, 'not an MP3 file'],
      ['audio/wav', Buffer.alloc(0), 'the body is empty'],
    ];
    for (const [contentType, body, message] of cases) {
      const response = await upload(admin, 'name=Bad&purpose=prompt', contentType, body);
      expect(response.statusCode, message).toBe(400);
      expect(response.json<ErrorBody>().error).toMatchObject({ code: 'validation_failed' });
      expect(response.json<ErrorBody>().error.message).toContain(message);
    }
    expect(storedFiles()).toEqual([]);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/sounds', headers: admin });
    expect(list.json()).toEqual([]);
  });

  it('answers 400 naming bad query fields, 415 for other types, 413 above 20 MiB', async () => {
    const bytes = wav();
    const noName = await upload(admin, 'purpose=greeting', 'audio/wav', bytes);
    expect(noName.statusCode).toBe(400);
    expect(noName.json<ErrorBody>().error.details?.[0]?.path).toBe('querystring.name');
    const badPurpose = await upload(admin, 'name=A&purpose=ringtone', 'audio/wav', bytes);
    expect(badPurpose.json<ErrorBody>().error.details?.[0]?.path).toBe('querystring.purpose');
    const unknown = await upload(admin, 'name=A&purpose=prompt&colour=red', 'audio/wav', bytes);
    expect(unknown.json<ErrorBody>().error.details).toEqual([
      { path: 'querystring.colour', message: 'unknown field' },
    ]);

    for (const contentType of ['audio/ogg', 'application/json', 'text/plain']) {
      const body = contentType === 'application/json' ? Buffer.from('{}') : bytes;
      const response = await upload(admin, 'name=A&purpose=prompt', contentType, body);
      expect(response.statusCode, contentType).toBe(415);
      expect(response.json<ErrorBody>().error).toMatchObject({
        code: 'unsupported_media_type',
        message: expect.stringContaining('audio/wav') as unknown,
      });
    }

    const huge = Buffer.alloc(20 * 1024 * 1024 + 1);
    const tooLarge = await upload(admin, 'name=A&purpose=prompt', 'audio/wav', huge);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json<ErrorBody>().error.code).toBe('payload_too_large');
    expect(storedFiles()).toEqual([]);
  });

  it('deletes the written file when the database refuses the row', async () => {
    const ghost: TenantContext = { ...tenant, tenantId: newId() };
    const error: unknown = await t.services.sounds
      .upload(ghost, { name: 'A', purpose: 'prompt' }, 'audio/wav', wav())
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).not.toBeNull();
    expect(isProvodError(error)).toBe(false);
    expect(readdirSync(join(t.dataDir, 'sounds', ghost.tenantId))).toEqual([]);
  });

  it("hides another tenant's sounds (404) and lets only writers upload (403)", async () => {
    const sound = (
      await upload(admin, 'name=A&purpose=prompt', 'audio/wav', wav())
    ).json<SoundBody>();
    const other = await t.createTenant('globex');
    const otherAdmin = await t.loginAs('admin', other);
    const url = `/api/v1/sounds/${sound.id}`;
    for (const request of [
      { method: 'GET' as const, url },
      { method: 'GET' as const, url: `${url}/content` },
      { method: 'PATCH' as const, url, payload: { name: 'stolen' } },
      { method: 'DELETE' as const, url },
    ]) {
      const response = await t.app.inject({ ...request, headers: otherAdmin });
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(404);
    }
    expect(storedFiles()).toEqual([`${sound.id}.wav`]);

    const agent = await t.loginAs('agent', tenant);
    const write = await upload(agent, 'name=B&purpose=prompt', 'audio/wav', wav());
    expect(write.statusCode).toBe(403);
    const rename = await t.app.inject({
      method: 'PATCH',
      url,
      headers: admin,
      payload: { storagePath: '/etc/passwd' },
    });
    expect(rename.statusCode).toBe(400);
  });
});
