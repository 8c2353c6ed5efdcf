import type { CallRecordInput } from '@provod/contracts';
import { callRepository, recordingRepository, systemClock, TenantScope } from '@provod/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, testDialects, type TestApp } from '../../test/test-app.ts';
import type { TenantContext } from '../services/service-context.ts';

function callInput(overrides: Partial<CallRecordInput> = {}): CallRecordInput {
  return {
    direction: 'inbound',
    status: 'answered',
    caller: '+74951234567',
    callee: '101',
    phoneNumber: '+74957654321',
    extensionNumber: '101',
    sipCallId: null,
    startedAt: '2025-03-01T09:00:00Z',
    answeredAt: '2025-03-01T09:00:05Z',
    endedAt: '2025-03-01T09:01:05Z',
    durationSeconds: 65,
    talkSeconds: 60,
    hangupCause: null,
    schemePath: [{ nodeId: 'n1', kind: 'menu', enteredAt: '2025-03-01T09:00:00Z' }],
    legs: [
      {
        role: 'caller',
        party: '+74951234567',
        sipCallId: null,
        status: 'answered',
        startedAt: '2025-03-01T09:00:00Z',
        answeredAt: '2025-03-01T09:00:05Z',
        endedAt: '2025-03-01T09:01:05Z',
        mediaStats: { packets: 3000, lost: 1, jitterMs: 3, mos: 4.4 },
      },
    ],
    ...overrides,
  };
}

interface CallPage {
  items: { id: string; status: string; recordingIds: string[] }[];
  nextCursor: string | null;
}

describe.each(testDialects)('calls API on $name', (dialect) => {
  let t: TestApp;
  let tenant: TenantContext;
  const calls = (ctx: TenantContext) =>
    callRepository(new TenantScope(t.services.deps.database.db, ctx.tenantId), systemClock);

  beforeEach(async () => {
    t = await createTestApp(dialect);
    tenant = await t.createTenant('acme');
  });
  afterEach(() => t.close());

  it('lists calls newest first with combined filters and follows the cursor', async () => {
    const repo = calls(tenant);
    const ids: string[] = [];
    for (let day = 1; day <= 5; day++) {
      const call = await repo.recordCall(
        callInput({
          startedAt: `2025-03-0${day}T09:00:00Z`,
          status: day % 2 === 0 ? 'missed' : 'answered',
          extensionNumber: day === 5 ? '102' : '101',
        }),
      );
      ids.unshift(call.id);
    }
    const viewer = await t.loginAs('viewer', tenant);
    const get = async (query: string) => {
      const response = await t.app.inject({
        method: 'GET',
        url: `/api/v1/calls${query}`,
        headers: viewer,
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<CallPage>();
    };

    const first = await get('?limit=2');
    expect(first.items.map((c) => c.id)).toEqual(ids.slice(0, 2));
    const second = await get(`?limit=2&cursor=${first.nextCursor ?? ''}`);
    expect(second.items.map((c) => c.id)).toEqual(ids.slice(2, 4));
    const third = await get(`?limit=2&cursor=${second.nextCursor ?? ''}`);
    expect(third).toMatchObject({ items: [{ id: ids[4] }], nextCursor: null });

    const filtered = await get(
      `?status=answered&extension=101&direction=inbound&from=2025-03-02T00:00:00Z` +
        `&to=2025-03-05T00:00:00Z&number=${encodeURIComponent('+7 (495) 123-45')}`,
    );
    expect(filtered.items.map((c) => c.id)).toEqual([ids[2]]);
    expect((await get('?number=79990000000')).items).toEqual([]);
  });

  it('shows one call with its legs and recording ids; 404 for missing and foreign ids', async () => {
    const call = await calls(tenant).recordCall(callInput());
    const recording = await recordingRepository(
      new TenantScope(t.services.deps.database.db, tenant.tenantId),
      systemClock,
    ).create(
      {
        callId: call.id,
        storagePath: 'recordings/x.wav',
        format: 'wav',
        durationSeconds: 60,
        sizeBytes: 1000,
      },
      30,
    );
    const agent = await t.loginAs('agent', tenant);
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/v1/calls/${call.id}`,
      headers: agent,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: call.id,
      startedAt: '2025-03-01T09:00:00.000Z',
      schemePath: [{ nodeId: 'n1', kind: 'menu' }],
      legs: [{ role: 'caller', mediaStats: { mos: 4.4 } }],
      recordingIds: [recording.id],
    });

    const other = await t.createTenant('other');
    const foreign = await calls(other).recordCall(callInput());
    for (const id of [foreign.id, '01950000-0000-7000-8000-000000000000']) {
      const missing = await t.app.inject({
        method: 'GET',
        url: `/api/v1/calls/${id}`,
        headers: agent,
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/calls', headers: agent });
    expect(list.json<CallPage>().items.map((c) => c.id)).toEqual([call.id]);
  });

  it('answers 400 naming the field for bad filters and a garbled cursor', async () => {
    const admin = await t.loginAs('admin', tenant);
    const get = (query: string) =>
      t.app.inject({ method: 'GET', url: `/api/v1/calls${query}`, headers: admin });

    const cases: [string, string][] = [
      ['?colour=red', 'querystring.colour'],
      ['?limit=0', 'querystring.limit'],
      ['?limit=501', 'querystring.limit'],
      ['?direction=sideways', 'querystring.direction'],
      ['?status=lost', 'querystring.status'],
      ['?from=yesterday', 'querystring.from'],
      ['?number=anonymous', 'querystring.number'],
      ['?extension=1', 'querystring.extension'],
      ['?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z', 'querystring.to'],
    ];
    for (const [query, path] of cases) {
      const response = await get(query);
      expect(response.statusCode, query).toBe(400);
      expect(response.json(), query).toMatchObject({
        error: { code: 'validation_failed', details: [{ path }] },
      });
    }
    const garbled = await get('?cursor=not-a-cursor');
    expect(garbled.statusCode).toBe(400);
    expect(garbled.json()).toMatchObject({ error: { code: 'invalid_cursor' } });
    expect((await get('/not-a-uuid')).statusCode).toBe(400);
  });
});
