import type { TenantContext } from '../src/services/service-context.ts';
import {
  callRepository,
  crmConnectionRepository,
  enqueueJob,
  recordingRepository,
  TenantScope,
  voicemailRepository,
} from '@provod/db';
import { newConnectionRules, currentSettingsVersion } from '../src/crm/crm-settings.ts';
import { wav } from './audio-fixtures.ts';
import type { TestApp } from './test-app.ts';

/**
 * One object of every tenant-owned resource, keyed by the resource's first path segment
 * under /api/v1 (e.g. "extensions"). The isolation test substitutes these ids into every
 * route of the OpenAPI document; a resource missing here makes that test fail.
 */
let fixtureNumbers = 0;

export async function createTenantObjects(
  t: TestApp,
  tenant: TenantContext,
): Promise<Map<string, string>> {
  const objects = new Map<string, string>();
  const s = t.services;
  objects.set('staff', tenant.tenantId);
  const user = await s.users.create(tenant, {
    email: `fixture-${tenant.tenantId}@example.test`,
    name: 'Fixture',
    password: 'fixture password',
    role: 'agent',
  });
  objects.set('users', user.id);
  objects.set(
    'api-keys',
    (await s.auth.createApiKey(tenant, { name: 'fixture', role: 'viewer' })).id,
  );
  const extension = await s.extensions.create(tenant, { number: '777' });
  objects.set('extensions', extension.id);
  const scheme = await s.routingSchemes.create(tenant, {
    name: 'Fixture',
    graph: { entry: 'bye', nodes: [{ id: 'bye', kind: 'hangup' }] },
  });
  objects.set('routing-schemes', scheme.id);
  // Phone numbers are unique across tenants, so every fixture set gets its own.
  const e164 = `+7495${String(++fixtureNumbers).padStart(7, '0')}`;
  objects.set('phone-numbers', (await s.phoneNumbers.create(tenant, { e164 })).id);
  objects.set(
    'trunks',
    (await s.trunks.create(tenant, { name: 'Fixture', host: 'sip.example.net' })).id,
  );
  const sound = await s.sounds.upload(
    tenant,
    { name: 'Fixture', purpose: 'prompt' },
    'audio/wav',
    wav(),
  );
  objects.set('sounds', sound.id);
  const job = await enqueueJob(
    s.deps.database.db,
    { kind: 'fixture.noop', payload: {}, tenantId: tenant.tenantId },
    s.deps.clock,
  );
  objects.set('jobs', job);
  const scope = new TenantScope(s.deps.database.db, tenant.tenantId);
  const call = await callRepository(scope, s.deps.clock).recordCall({
    direction: 'inbound',
    status: 'answered',
    caller: '+74951234567',
    callee: '777',
    phoneNumber: e164,
    extensionNumber: '777',
    sipCallId: `fixture-${tenant.tenantId}`,
    startedAt: '2026-01-01T09:00:00Z',
    answeredAt: '2026-01-01T09:00:05Z',
    endedAt: '2026-01-01T09:01:05Z',
    durationSeconds: 65,
    talkSeconds: 60,
    hangupCause: 'normal_clearing',
    schemePath: [],
    legs: [],
  });
  objects.set('calls', call.id);
  const recording = await recordingRepository(scope, s.deps.clock).create(
    {
      callId: call.id,
      storagePath: `recordings/${tenant.tenantId}/fixture.wav`,
      format: 'wav',
      durationSeconds: 1,
      sizeBytes: 1,
    },
    30,
  );
  objects.set('recordings', recording.id);
  const message = await voicemailRepository(scope, s.deps.clock).create({
    extensionId: extension.id,
    callId: call.id,
    caller: '+74951234567',
    storagePath: `voicemail/${tenant.tenantId}/fixture.wav`,
    durationSeconds: 5,
  });
  objects.set('voicemail', message.id);
  const connection = await crmConnectionRepository(scope, s.deps.clock).create({
    kind: 'amocrm',
    name: 'Fixture',
    baseUrl: 'https://fixture.amocrm.ru',
    authType: 'long_lived_token',
    integration: null,
    credentials: { kind: 'long_lived', accessToken: 'fixture-token' },
    settings: newConnectionRules('amocrm', { fallbackUserId: 1 }),
    settingsVersion: currentSettingsVersion,
    enabled: false,
  });
  objects.set('crm', connection.id);
  return objects;
}

/** The fixture objects that can no longer be read by their own tenant (should be none). */
export async function missingTenantObjects(
  t: TestApp,
  tenant: TenantContext,
  objects: Map<string, string>,
): Promise<string[]> {
  const s = t.services;
  const checks: Record<string, (id: string) => Promise<unknown>> = {
    staff: (id) => s.tenants.get(id),
    users: (id) => s.users.get(tenant, id),
    'api-keys': async (id) => {
      const keys = await s.auth.listApiKeys(tenant);
      if (!keys.some((k) => k.id === id)) throw new Error('gone');
    },
    extensions: (id) => s.extensions.get(tenant, id),
    'routing-schemes': (id) => s.routingSchemes.get(tenant, id),
    'phone-numbers': (id) => s.phoneNumbers.get(tenant, id),
    trunks: (id) => s.trunks.get(tenant, id),
    sounds: (id) => s.sounds.get(tenant, id),
    jobs: (id) => s.jobs.get(tenant, id),
    calls: (id) => s.calls.get(tenant, id),
    recordings: (id) => s.recordings.get(tenant, id),
    voicemail: (id) => s.voicemail.get(tenant, id),
    crm: (id) => s.crm.get(tenant, id),
  };
  const missing: string[] = [];
  for (const [resource, id] of objects) {
    const check = checks[resource];
    if (!check) {
      missing.push(`${resource}: no check in missingTenantObjects`);
      continue;
    }
    await check(id).catch(() => missing.push(`${resource} ${id}`));
  }
  return missing;
}

/** Valid bodies for routes whose body must pass validation before the 404 can be reached. */
export const exampleBodies: Record<string, Record<string, unknown>> = {
  'PATCH /api/v1/voicemail/{id}': { heard: true },
  'PATCH /api/v1/routing-schemes/{id}': { name: 'Renamed' },
  'POST /api/v1/routing-schemes/{id}/versions': {
    graph: { entry: 'bye', nodes: [{ id: 'bye', kind: 'hangup' }] },
  },
  'POST /api/v1/routing-schemes/{id}/simulate': { caller: '+74951234567', dialled: '777' },
};

/**
 * Gives the person logged in with `headers` an extension of their own, so routes about
 * the caller (GET /me/softphone) have something to answer in the list checks.
 */
export async function giveOwnExtension(
  t: TestApp,
  tenant: TenantContext,
  headers: Record<string, string>,
): Promise<void> {
  const session = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers });
  const userId = session.json<{ user: { id: string } }>().user.id;
  await t.services.extensions.create(tenant, { number: '778', userId });
}
