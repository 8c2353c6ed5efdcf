import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordingRepository, TenantScope } from '@provod/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wav } from '../../test/audio-fixtures.ts';
import { createTestApp, testDialects, type TestApp } from '../../test/test-app.ts';
import type { TenantContext } from '../services/service-context.ts';

describe.each(testDialects.slice(0, 1))('signed recording links on $name', (dialect) => {
  let now: Date;
  let t: TestApp;
  let tenant: TenantContext;
  let recordingId: string;

  beforeEach(async () => {
    now = new Date('2026-03-02T09:00:00.000Z');
    t = await createTestApp(dialect, () => now);
    tenant = await t.createTenant('acme');
    const storagePath = `recordings/${tenant.tenantId}/call.wav`;
    mkdirSync(join(t.dataDir, 'recordings', tenant.tenantId), { recursive: true });
    const audio = wav();
    writeFileSync(join(t.dataDir, storagePath), audio);
    const scope = new TenantScope(t.services.deps.database.db, tenant.tenantId);
    const recording = await recordingRepository(scope, t.services.deps.clock).create(
      { callId: null, storagePath, format: 'wav', durationSeconds: 1, sizeBytes: audio.length },
      30,
    );
    recordingId = recording.id;
  });
  afterEach(() => t.close());

  async function link(): Promise<URL> {
    const shared = await t.services.crm.recordingLinks.linkFor(tenant.tenantId, recordingId);
    if (shared === null) throw new Error('no link');
    expect(shared.fileName).toBe(`${recordingId}.wav`);
    return new URL(shared.url);
  }

  const fetchPath = (url: URL) => t.app.inject({ url: `${url.pathname}${url.search}` });

  it('plays without a login until the retention ends; an altered or expired link is 404', async () => {
    const url = await link();
    expect(url.origin).toBe('http://localhost:8080');
    const played = await fetchPath(url);
    expect(played.statusCode).toBe(200);
    expect(played.headers['content-type']).toContain('audio/');

    const otherTenant = await t.createTenant('rival');
    const altered = new URL(url);
    altered.searchParams.set('tenant', otherTenant.tenantId);
    expect((await fetchPath(altered)).statusCode).toBe(404);
    const extended = new URL(url);
    extended.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 86_400));
    expect((await fetchPath(extended)).statusCode).toBe(404);
    const unsigned = new URL(url);
    unsigned.searchParams.delete('signature');
    expect((await fetchPath(unsigned)).statusCode).toBe(400);

    now = new Date(now.getTime() + 31 * 86_400_000);
    expect((await fetchPath(url)).statusCode).toBe(404);
  });

  it('names no link for a recording that does not exist', async () => {
    const missing = '019cadc6-9a80-7a0d-a509-694c44ab10fa';
    expect(await t.services.crm.recordingLinks.linkFor(tenant.tenantId, missing)).toBeNull();
  });
});
