import type { CrmCallAttempt, CrmConnection } from '@provod/contracts';
import { fetchTransport } from '@provod/crm';
import { createAmoCrmSandbox, type AmoCrmSandbox } from '@provod/crm-sandbox';
import { crmConnectionRepository, TenantScope } from '@provod/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  testDialects,
  type AuthHeaders,
  type TestApp,
} from '../../test/test-app.ts';
import {
  crmJobs,
  inboundMissed,
  rideOutOutage,
  settleDeliveries,
  startDeliveryWorker,
} from '../../test/crm-delivery-kit.ts';
import type { JobWorker } from '../jobs/job-worker.ts';
import { amoClientFor } from './amo-accounts.ts';
import { crmAccounts } from './crm-accounts.ts';
import { currentSettingsVersion } from './crm-settings.ts';
import type { TenantContext } from '../services/service-context.ts';

const integration = {
  clientId: '5b1e0c7a-8d2f-4a63-9b1c-0f2e3d4c5b6a',
  clientSecret: 'provod-server-test-secret',
  redirectUri: 'https://provod.example/crm/amocrm/installed',
};

/** Provod's own integration, as `crm.amocrm` configures it for the install redirect. */
const provodApp = { clientId: 'provod-amocrm-app', clientSecret: 'provod-app-secret' };

interface ErrorBody {
  error: { code: string; message: string };
}

describe.each(testDialects)('calls delivered to amoCRM on $name', (dialect) => {
  const clock = { now: new Date(0) };
  let t: TestApp;
  let tenant: TenantContext;
  let admin: AuthHeaders;
  let sandbox: AmoCrmSandbox;
  let worker: JobWorker | undefined;

  beforeEach(async () => {
    clock.now = new Date('2026-03-02T09:00:00.000Z');
    t = await createTestApp(dialect, () => clock.now, {
      amocrmApp: { ...provodApp, accountHosts: ['127.0.0.1'] },
    });
    tenant = await t.createTenant('acme');
    admin = await t.loginAs('admin', tenant);
    sandbox = createAmoCrmSandbox();
    await sandbox.listen(0, '127.0.0.1');
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await sandbox.close();
    await t.close();
  });

  async function connect(rules: object = {}): Promise<CrmConnection> {
    const code = sandbox.install(integration);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/crm/connections',
      headers: admin,
      payload: {
        kind: 'amocrm',
        name: 'Sales amoCRM',
        baseUrl: `${sandbox.url ?? ''}/`,
        auth: { type: 'oauth', ...integration, code },
        rules,
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<CrmConnection>();
  }

  const startWorker = () => {
    worker = startDeliveryWorker(t);
  };
  const settle = () => settleDeliveries(t, () => clock.now);

  function callNotes() {
    return [...sandbox.state.notes.values()].filter((note) => note.note_type === 'call_in');
  }

  it('installs with the authorization code and shows no secrets; a used code is crm_error and saves nothing', async () => {
    const connection = await connect();
    expect(connection).toMatchObject({
      kind: 'amocrm',
      authType: 'oauth',
      enabled: true,
      settingsVersion: currentSettingsVersion,
      baseUrl: sandbox.url,
    });
    expect(connection.tokenExpiresAt).not.toBeNull();
    expect(connection.rules.callTypes.inbound_missed.missedCallTaskMinutes).toBe(30);
    const listed = await t.app.inject({ url: '/api/v1/crm/connections', headers: admin });
    expect(listed.body).not.toContain(integration.clientSecret);
    expect(listed.body).not.toContain('access');

    const code = sandbox.install(integration);
    const install = (name: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/crm/connections',
        headers: admin,
        payload: {
          kind: 'amocrm',
          name,
          baseUrl: sandbox.url,
          auth: { type: 'oauth', ...integration, code },
        },
      });
    expect((await install('Second')).statusCode).toBe(201);
    const reused = await install('Third');
    expect(reused.statusCode).toBe(502);
    expect(reused.json<ErrorBody>().error.code).toBe('crm_error');
    const names = (await t.services.crm.list(tenant)).map((c) => c.name);
    expect(names).toEqual(['Sales amoCRM', 'Second']);
  });

  it("installs through amoCRM's redirect with Provod's own integration; a forged state or a foreign host is refused", async () => {
    const linked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/crm/amocrm/install-link',
      headers: admin,
      payload: { name: 'Installed' },
    });
    expect(linked.statusCode, linked.body).toBe(200);
    const { url, redirectUri } = linked.json<{ url: string; redirectUri: string }>();
    const consent = new URL(url);
    expect(consent.origin).toBe('https://www.amocrm.ru');
    expect(consent.searchParams.get('client_id')).toBe(provodApp.clientId);
    const state = consent.searchParams.get('state') ?? '';
    // What amoCRM does after the admin's consent: a code, the account's host, the state.
    const code = sandbox.install({ ...provodApp, redirectUri });
    const referer = new URL(sandbox.url ?? '').host;
    const back = (query: Record<string, string>) =>
      t.app.inject({
        url: `/api/v1/crm/amocrm/installed?${new URLSearchParams(query).toString()}`,
      });

    const forged = await back({ code, referer, state: `${state.split('.')[0]}.forged` });
    expect(forged.statusCode).toBe(404);
    const foreign = await back({ code, referer: 'evil.example', state });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json<ErrorBody>().error.message).toContain('evil.example');

    const installed = await back({ code, referer, state });
    expect(installed.statusCode, installed.body).toBe(302);
    const listed = await t.app.inject({ url: '/api/v1/crm/connections', headers: admin });
    const [connection] = listed.json<CrmConnection[]>();
    expect(connection).toMatchObject({
      name: 'Installed',
      authType: 'oauth',
      baseUrl: sandbox.url,
    });
    expect(installed.headers.location).toBe(`/?crm=connected&connection=${connection?.id ?? ''}`);
  });

  it.runIf(dialect.name === 'postgres')(
    'two nodes refreshing the same expired token at once send one refresh (a row lock), both go on',
    async () => {
      const created = await connect();
      const scope = new TenantScope(t.services.deps.database.db, tenant.tenantId);
      const repository = crmConnectionRepository(scope, t.services.deps.clock);
      const stored = (await repository.loadCredentials(created.id)) as Record<string, unknown>;
      await repository.saveCredentials(created.id, { ...stored, expiresAtMs: Date.now() - 1000 });
      let refreshes = 0;
      const accounts = crmAccounts({
        transport: {
          send: async (request) => {
            if (new URL(request.url).pathname === '/oauth2/access_token') {
              refreshes += 1;
              // A slow token endpoint: the other node surely sees the old pair meanwhile.
              await new Promise((resolve) => setTimeout(resolve, 300));
            }
            return fetchTransport.send(request);
          },
        },
      });
      const record = await repository.get(created.id);
      if (record === undefined) throw new Error('no connection');
      // Two connections with their own in-process state, as two Provod nodes have.
      const nodeA = amoClientFor(t.services.deps, accounts, tenant.tenantId, record);
      const nodeB = amoClientFor(t.services.deps, accounts, tenant.tenantId, record);
      const [usersA, usersB] = await Promise.all([nodeA.listUsers(), nodeB.listUsers()]);
      expect(refreshes).toBe(1);
      expect(usersA).toEqual(usersB);
      const after = (await repository.loadCredentials(created.id)) as Record<string, unknown>;
      expect(after.accessToken).not.toBe(stored.accessToken);
    },
  );

  it('refuses bad settings field by field, and an agent may not read connections', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/crm/connections',
      headers: admin,
      payload: {
        kind: 'amocrm',
        name: 'Bad',
        baseUrl: 'ftp://example.amocrm.ru',
        auth: { type: 'long_lived_token', token: 'x' },
        rules: { callTypes: { inbound_missed: { unknownNumber: 'shout' } } },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('baseUrl');
    expect(bad.body).toContain('unknownNumber');
    const agent = await t.loginAs('agent', tenant);
    const denied = await t.app.inject({ url: '/api/v1/crm/connections', headers: agent });
    expect(denied.statusCode).toBe(403);
  });

  it('a missed call becomes a contact, a call and a task in amoCRM; the trace shows each request', async () => {
    const connection = await connect();
    const call = await t.services.calls.record(tenant.tenantId, inboundMissed('89261112233', 0));
    startWorker();
    await settle();

    const contacts = [...sandbox.state.contacts.values()];
    expect(contacts.map((contact) => contact.name)).toEqual(['Новый контакт +79261112233']);
    expect(callNotes()).toHaveLength(1);
    expect(callNotes()[0]?.params).toMatchObject({ phone: '+79261112233', call_status: 6 });
    expect([...sandbox.state.tasks.values()]).toHaveLength(1);

    const traced = await t.app.inject({ url: `/api/v1/calls/${call.id}/crm`, headers: admin });
    expect(traced.statusCode).toBe(200);
    const [attempt, ...more] = traced.json<CrmCallAttempt[]>();
    expect(more).toEqual([]);
    expect(attempt).toMatchObject({
      connectionId: connection.id,
      connectionName: 'Sales amoCRM',
      outcome: 'completed',
      callType: 'inbound_missed',
      clientPhone: '+79261112233',
    });
    expect(attempt?.steps.map((step) => `${step.name}:${step.outcome}`)).toEqual([
      'find_contact:done',
      'create_contact:done',
      'register_call:done',
      'missed_call_task:done',
    ]);
    const register = attempt?.steps.find((step) => step.name === 'register_call');
    expect(register?.exchanges[0]).toMatchObject({ method: 'POST', path: '/api/v4/calls' });
    expect(register?.exchanges[0]?.request).toContain('"phone":"+79261112233"');
    expect(register?.exchanges[0]?.status).toBe(200);

    // Replay: a second attempt that sends no second call, contact or task.
    clock.now = new Date(clock.now.getTime() + 60_000);
    const replay = await t.app.inject({
      method: 'POST',
      url: `/api/v1/calls/${call.id}/crm/replay`,
      headers: admin,
    });
    expect(replay.statusCode).toBe(202);
    await settle();
    expect(callNotes()).toHaveLength(1);
    expect(sandbox.state.contacts.size).toBe(1);
    expect(sandbox.state.tasks.size).toBe(1);
    const attempts = await t.services.crm.callAttempts(tenant, call.id);
    expect(attempts.at(-1)?.steps.map((step) => step.outcome)).toEqual([
      'done',
      'already_done',
      'already_done',
      'already_done',
    ]);
  });

  it('a 10-minute amoCRM outage loses nothing and duplicates nothing', async () => {
    await connect();
    sandbox.faults.add({ pathPrefix: '/api/', fault: { kind: 'status', status: 503 } });
    const calls = [];
    for (const [index, caller] of ['89261110001', '89261110002', '89261110003'].entries())
      calls.push(await t.services.calls.record(tenant.tenantId, inboundMissed(caller, index)));
    startWorker();
    await rideOutOutage(t, clock, 10, () => {
      expect(sandbox.state.contacts.size).toBe(0);
      sandbox.faults.clear();
    });
    const jobs = await crmJobs(t);
    expect(jobs.map((job) => job.status)).toEqual(['done', 'done', 'done']);
    expect(Math.min(...jobs.map((job) => job.attempts))).toBeGreaterThan(3);
    expect(sandbox.state.contacts.size).toBe(3);
    expect(callNotes()).toHaveLength(3);
    expect(sandbox.state.tasks.size).toBe(3);
    for (const call of calls) {
      const attempts = await t.services.crm.callAttempts(tenant, call.id);
      expect(attempts.at(0)?.outcome).toBe('failed');
      expect(attempts.at(0)?.error).toContain('server_error');
      expect(attempts.at(-1)?.outcome).toBe('completed');
    }
  });

  it('an internal call and a disabled connection send nothing', async () => {
    const connection = await connect();
    const internal = await t.services.calls.record(tenant.tenantId, {
      ...inboundMissed('101', 5),
      direction: 'internal',
      callee: '102',
      phoneNumber: null,
    });
    startWorker();
    await settle();
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/crm/connections/${connection.id}`,
      headers: admin,
      payload: { enabled: false },
    });
    await t.services.calls.record(tenant.tenantId, inboundMissed('89261112233', 6));
    await settle();
    expect(sandbox.state.contacts.size).toBe(0);
    expect(callNotes()).toHaveLength(0);
    const [attempt] = await t.services.crm.callAttempts(tenant, internal.id);
    expect(attempt?.skipped).toMatch(/internal/);
    expect(await crmJobs(t)).toHaveLength(1);
  });
});
