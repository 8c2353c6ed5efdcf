import type { RoutingGraphInput, RoutingSimulationResult } from '@provod/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  testDialects,
  type AuthHeaders,
  type TestApp,
} from '../../test/test-app.ts';
import type { TenantContext } from '../services/service-context.ts';

interface ErrorBody {
  error: { code: string; details?: { path: string; message: string }[] };
}

/** Office hours 09:00–18:00 on weekdays → menu (1 → 101, 2 → 102) → voicemail 100. */
const officeGraph: RoutingGraphInput = {
  entry: 'hours',
  nodes: [
    {
      id: 'hours',
      kind: 'schedule',
      weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }],
      open: 'menu',
      closed: 'vm',
    },
    { id: 'menu', kind: 'ivr', digits: { '1': 'sales', '2': 'support' }, timeout: 'vm' },
    { id: 'sales', kind: 'extension', number: '101', noAnswer: 'vm' },
    { id: 'support', kind: 'extension', number: '102', noAnswer: 'vm' },
    { id: 'vm', kind: 'voicemail', mailbox: '100' },
  ],
};

describe.each(testDialects)('routing scheme simulator API on $name', (dialect) => {
  let t: TestApp;
  let tenant: TenantContext;
  let viewer: AuthHeaders;
  let schemeId: string;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    tenant = await t.createTenant('acme');
    viewer = await t.loginAs('viewer', tenant);
    for (const number of ['100', '101', '102']) {
      await t.services.extensions.create(tenant, { number });
    }
    schemeId = (
      await t.services.routingSchemes.create(tenant, { name: 'Main', graph: officeGraph })
    ).id;
    register(tenant, '102');
  });
  afterEach(() => t.close());

  /** A phone of `number` registered in the in-memory location service. */
  function register(owner: TenantContext, number: string): void {
    const now = Date.now();
    t.services.registrations.location.upsert(
      { tenantId: owner.tenantId, user: number },
      {
        contact: `sip:${number}@127.0.0.1:5062`,
        expiresAt: now + 3_600_000,
        q: null,
        callId: `simulate-${number}`,
        cseq: 1,
        source: { transport: 'udp', address: '127.0.0.1', port: 5062 },
        userAgent: 'test',
        registeredAt: now,
      },
    );
  }

  function simulate(payload: object, headers = viewer, id = schemeId) {
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/routing-schemes/${id}/simulate`,
      headers,
      payload,
    });
  }

  it('walks the current version for a viewer, with registered phones answering', async () => {
    // Monday 10:00 in Moscow, the tenant's zone.
    const response = await simulate({
      caller: '+74951234567',
      dialled: '+74950000000',
      at: '2025-06-02T07:00:00Z',
      script: { digits: ['', '2'] },
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<RoutingSimulationResult>();
    expect(body).toMatchObject({ schemeId, version: 1, result: 'answered by 102' });
    expect(body.end).toEqual({ kind: 'answered', party: '102' });
    expect(body.path.map((s) => [s.nodeId, s.kind, s.outcome])).toEqual([
      ['hours', 'schedule', 'open'],
      ['menu', 'ivr', 'digit 2'],
      ['support', 'extension', 'answered'],
    ]);
    expect(body.path[0]?.note).toContain('Europe/Moscow');
    expect(body.path[2]?.enteredAt).toBe('2025-06-02T07:00:05.000Z');
  });

  it('treats an unregistered extension as unreachable unless the script says otherwise', async () => {
    const call = { caller: '+74951234567', dialled: '+74950000000', at: '2025-06-02T07:00:00Z' };
    const offline = await simulate({ ...call, script: { digits: ['1'] } });
    expect(offline.json<RoutingSimulationResult>().result).toBe('voicemail 100');
    expect(offline.json<RoutingSimulationResult>().path[2]?.outcome).toBe('unreachable');
    const scripted = await simulate({
      ...call,
      script: { digits: ['1'], ring: { '101': 'answer' } },
    });
    expect(scripted.json<RoutingSimulationResult>().result).toBe('answered by 101');
  });

  it('uses the tenant time zone and walks an older version when asked', async () => {
    await t.services.tenants.updateSettings(tenant, { timeZone: 'Europe/Berlin' });
    await t.services.routingSchemes.addVersion(tenant, schemeId, {
      graph: { entry: 'bye', nodes: [{ id: 'bye', kind: 'hangup', cause: 'busy' }] },
    });
    // 06:30 UTC is 08:30 in Berlin (summer time): closed; in Moscow it would be 09:30, open.
    const v1 = await simulate({
      caller: '+74951234567',
      dialled: '+74950000000',
      at: '2025-06-02T06:30:00Z',
      version: 1,
    });
    const body = v1.json<RoutingSimulationResult>();
    expect(body.version).toBe(1);
    expect(body.path[0]?.outcome).toBe('closed');
    expect(body.path[0]?.note).toContain('08:30 Europe/Berlin');
    const current = await simulate({ caller: '+74951234567', dialled: '+74950000000' });
    expect(current.json<RoutingSimulationResult>()).toMatchObject({
      version: 2,
      result: 'hung up (busy)',
    });
    const missing = await simulate({ caller: '+74951234567', dialled: '100', version: 9 });
    expect(missing.statusCode).toBe(404);
  });

  it("answers 404 for another tenant's scheme", async () => {
    const other = await t.createTenant('globex');
    const stranger = await t.loginAs('owner', other);
    const response = await simulate({ caller: '+74951234567', dialled: '100' }, stranger);
    expect(response.statusCode).toBe(404);
    expect(response.json<ErrorBody>().error.code).toBe('not_found');
  });

  it('answers 400 naming the field for a bad body', async () => {
    const cases: [object, string][] = [
      [{ dialled: '100' }, 'body.caller'],
      [{ caller: 'anonymous', dialled: '100' }, 'body.caller'],
      [{ caller: '+74951234567', dialled: '100', at: 'tomorrow' }, 'body.at'],
      [{ caller: '+74951234567', dialled: '100', colour: 'red' }, 'body.colour'],
      [
        { caller: '+74951234567', dialled: '100', script: { digits: ['x'] } },
        'body.script.digits.0',
      ],
      [
        { caller: '+74951234567', dialled: '100', script: { ring: { '101': 'maybe' } } },
        'body.script.ring.101',
      ],
      [{ caller: '+74951234567', dialled: '100', script: { mood: 'calm' } }, 'body.script.mood'],
    ];
    for (const [payload, path] of cases) {
      const response = await simulate(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      const body = response.json<ErrorBody>();
      expect(body.error.code).toBe('validation_failed');
      expect(
        body.error.details?.map((d) => d.path),
        JSON.stringify(payload),
      ).toContain(path);
    }
  });
});
