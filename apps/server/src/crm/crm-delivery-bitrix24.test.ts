import type { CrmCallAttempt, CrmConnection } from '@provod/contracts';
import {
  createBitrix24Sandbox,
  defaultSandboxApp,
  type Bitrix24Sandbox,
} from '@provod/crm-sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  crmJobs,
  inboundMissed,
  rideOutOutage,
  settleDeliveries,
  startDeliveryWorker,
} from '../../test/crm-delivery-kit.ts';
import {
  createTestApp,
  testDialects,
  type AuthHeaders,
  type TestApp,
} from '../../test/test-app.ts';
import type { JobWorker } from '../jobs/job-worker.ts';
import type { TenantContext } from '../services/service-context.ts';
import { currentSettingsVersion } from './crm-settings.ts';

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string }[] };
}

describe.each(testDialects)('calls delivered to Bitrix24 on $name', (dialect) => {
  const clock = { now: new Date(0) };
  let t: TestApp;
  let tenant: TenantContext;
  let admin: AuthHeaders;
  let sandbox: Bitrix24Sandbox;
  let url: string;
  let worker: JobWorker | undefined;

  beforeEach(async () => {
    clock.now = new Date('2026-03-02T09:00:00.000Z');
    t = await createTestApp(dialect, () => clock.now);
    tenant = await t.createTenant('acme');
    admin = await t.loginAs('admin', tenant);
    sandbox = createBitrix24Sandbox({
      users: [
        { ID: 1, NAME: 'Admin', IS_ADMIN: true },
        { ID: 2, NAME: 'Ольга', UF_PHONE_INNER: '101' },
      ],
      webhooks: [{ userId: 1, code: 'hook123', scope: ['crm', 'user', 'task'] }],
    });
    url = await sandbox.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await sandbox.app.close();
    await t.close();
  });

  const post = (payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/v1/crm/connections', headers: admin, payload });

  async function connect(rules: object = {}): Promise<CrmConnection> {
    const response = await post({
      kind: 'bitrix24',
      name: 'Bitrix24 portal',
      baseUrl: url,
      auth: {
        type: 'oauth',
        clientId: defaultSandboxApp.clientId,
        clientSecret: defaultSandboxApp.clientSecret,
        code: sandbox.authorize(defaultSandboxApp.clientId, 1),
        oauthUrl: url,
      },
      rules,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<CrmConnection>();
  }

  const settle = () => settleDeliveries(t, () => clock.now);

  it('installs the application with its code; a wrong code or an other CRM field is refused', async () => {
    const connection = await connect({ lineNumber: '74951234567' });
    expect(connection).toMatchObject({
      kind: 'bitrix24',
      authType: 'oauth',
      settingsVersion: currentSettingsVersion,
    });
    expect(connection.rules).toMatchObject({ fallbackUserId: 1, lineNumber: '74951234567' });
    expect(JSON.stringify(connection)).not.toContain(defaultSandboxApp.clientSecret);
    expect(connection.tokenExpiresAt).not.toBeNull();

    const refused = await post({
      kind: 'bitrix24',
      name: 'Second',
      baseUrl: url,
      auth: {
        type: 'oauth',
        clientId: defaultSandboxApp.clientId,
        clientSecret: 'x',
        code: 'y',
        oauthUrl: url,
      },
    });
    expect(refused.statusCode).toBe(502);
    expect(refused.json<ErrorBody>().error.code).toBe('crm_error');

    const wrongField = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/crm/connections/${connection.id}`,
      headers: admin,
      payload: { rules: { sourceName: 'amoCRM only' } },
    });
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json<ErrorBody>().error.details?.[0]?.path).toBe('rules');
    const listed = await t.app.inject({ url: '/api/v1/crm/connections', headers: admin });
    expect(listed.json<CrmConnection[]>()).toHaveLength(1);
  });

  it("installs from the portal: a pending connection, the portal's report as a form, then calls flow", async () => {
    const linked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/crm/bitrix24/install-link',
      headers: admin,
      payload: {
        name: 'Portal app',
        baseUrl: url,
        clientId: defaultSandboxApp.clientId,
        clientSecret: defaultSandboxApp.clientSecret,
        oauthUrl: url,
      },
    });
    expect(linked.statusCode, linked.body).toBe(201);
    const { connection, installUrl } = linked.json<{
      connection: CrmConnection;
      installUrl: string;
    }>();
    expect(connection).toMatchObject({ enabled: false, tokenExpiresAt: null });
    const install = new URL(installUrl);
    const state = install.searchParams.get('state') ?? '';
    // What the portal posts to the install path when its admin installs the application.
    const tokens = sandbox.issueTokens(defaultSandboxApp.clientId, 1);
    const report = (withState: string, domain: string) =>
      t.app.inject({
        method: 'POST',
        url: `${install.pathname}?${new URLSearchParams({ state: withState, DOMAIN: domain, PROTOCOL: '0', LANG: 'ru', APP_SID: 'sid' }).toString()}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          AUTH_ID: tokens.access_token,
          AUTH_EXPIRES: '3600',
          REFRESH_ID: tokens.refresh_token,
          member_id: tokens.member_id,
          status: 'L',
          PLACEMENT: 'DEFAULT',
        }).toString(),
      });
    const host = new URL(url).host;
    expect((await report(`${state}x`, host)).statusCode).toBe(404);
    const otherPortal = await report(state, 'other.bitrix24.ru');
    expect(otherPortal.statusCode).toBe(400);
    const done = await report(state, host);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.headers['content-type']).toContain('text/html');
    expect(done.body).toContain('BX24.installFinish()');
    expect((await report(state, host)).statusCode).toBe(409);

    const shown = await t.app.inject({
      url: `/api/v1/crm/connections/${connection.id}`,
      headers: admin,
    });
    expect(shown.json<CrmConnection>()).toMatchObject({
      enabled: true,
      rules: { fallbackUserId: 1 },
    });
    expect(shown.json<CrmConnection>().tokenExpiresAt).not.toBeNull();
    await t.services.calls.record(tenant.tenantId, inboundMissed('89261112233', 0));
    worker = startDeliveryWorker(t);
    await settle();
    expect([...sandbox.store.calls.values()].map((call) => call.state)).toEqual(['finished']);
  });

  it('an incoming webhook connects too, for CRM records and tasks', async () => {
    const response = await post({
      kind: 'bitrix24',
      name: 'Webhook',
      baseUrl: url,
      auth: { type: 'webhook', url: `${url}/rest/1/hook123/` },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<CrmConnection>()).toMatchObject({
      authType: 'webhook',
      tokenExpiresAt: null,
    });
    const call = await t.services.calls.record(tenant.tenantId, inboundMissed('89261112233', 0));
    worker = startDeliveryWorker(t);
    await settle();
    const [attempt] = await t.services.crm.callAttempts(tenant, call.id);
    expect(attempt?.steps.map((step) => `${step.name}:${step.outcome}`)).toEqual([
      'find_client:done',
      'create_lead:done',
      'register_call:skipped',
      'finish_call:skipped',
      'attach_record:skipped',
      'missed_call_task:done',
    ]);
    expect(sandbox.store.calls.size).toBe(0);
  });

  it('a missed call becomes a lead, a finished call and a task; the trace shows each request', async () => {
    const connection = await connect();
    const call = await t.services.calls.record(tenant.tenantId, inboundMissed('89261112233', 0));
    worker = startDeliveryWorker(t);
    await settle();

    const { store } = sandbox;
    expect([...store.crmTable('LEAD').values()].map((lead) => lead.fields.TITLE)).toEqual([
      'Звонок с +79261112233',
    ]);
    const [registered] = [...store.calls.values()];
    // Extension 101 rang first: Olga's inner phone.
    expect(registered).toMatchObject({ state: 'finished', userId: 2, crmEntityType: 'LEAD' });
    expect(registered?.statistic).toMatchObject({ CALL_FAILED_CODE: '304' });
    expect(store.tasks).toHaveLength(1);

    const traced = await t.app.inject({ url: `/api/v1/calls/${call.id}/crm`, headers: admin });
    const [attempt] = traced.json<CrmCallAttempt[]>();
    expect(attempt).toMatchObject({
      connectionId: connection.id,
      outcome: 'completed',
      responsible: { userId: 2, reason: 'first rung: extension 101' },
    });
    const register = attempt?.steps.find((step) => step.name === 'register_call');
    expect(register?.exchanges[0]).toMatchObject({
      method: 'POST',
      path: '/rest/telephony.externalCall.register',
      status: 200,
    });
    expect(JSON.stringify(attempt)).not.toMatch(/access_token|auth=/);

    clock.now = new Date(clock.now.getTime() + 60_000);
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/calls/${call.id}/crm/replay`,
      headers: admin,
    });
    await settle();
    expect(store.calls.size).toBe(1);
    expect(store.tasks).toHaveLength(1);
  });

  it("runs the tenant's hooks; refuses one that is no function; notes one that fails", async () => {
    const broken = await post({
      kind: 'bitrix24',
      name: 'Hooked',
      baseUrl: url,
      auth: { type: 'webhook', url: `${url}/rest/1/hook123/` },
      rules: { hooks: { registration: '(body) => {' } },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json<ErrorBody>().error.details?.[0]?.path).toBe('rules.hooks.registration');

    await connect({
      hooks: {
        entity: "(body) => ({ ...body, fields: { ...body.fields, COMMENTS: 'from a hook' } })",
        missedCallTask: '(body, call) => { throw new Error("tasks are off today"); }',
      },
    });
    const call = await t.services.calls.record(tenant.tenantId, inboundMissed('89261112233', 0));
    worker = startDeliveryWorker(t);
    await settle();
    const [lead] = [...sandbox.store.crmTable('LEAD').values()];
    expect(lead?.fields.COMMENTS).toBe('from a hook');
    // The failing task hook: noted, and the task sent as the defaults have it.
    expect(sandbox.store.tasks).toHaveLength(1);
    const traced = await t.app.inject({ url: `/api/v1/calls/${call.id}/crm`, headers: admin });
    const [attempt] = traced.json<CrmCallAttempt[]>();
    expect(attempt?.notes).toEqual([
      'hook "missedCallTask" failed (Error: tasks are off today); defaults used',
    ]);
  });

  it('a 10-minute Bitrix24 outage loses nothing and duplicates nothing', async () => {
    await connect();
    sandbox.faults.add({ pathPrefix: '/rest/', fault: { kind: 'status', status: 503 } });
    const calls = [];
    for (const [index, caller] of ['89261110001', '89261110002', '89261110003'].entries())
      calls.push(await t.services.calls.record(tenant.tenantId, inboundMissed(caller, index)));
    worker = startDeliveryWorker(t);
    await rideOutOutage(t, clock, 10, () => {
      expect(sandbox.store.crmTable('LEAD').size).toBe(0);
      sandbox.faults.clear();
    });
    const jobs = await crmJobs(t);
    expect(jobs.map((job) => job.status)).toEqual(['done', 'done', 'done']);
    expect(Math.min(...jobs.map((job) => job.attempts))).toBeGreaterThan(3);
    const { store } = sandbox;
    expect(store.crmTable('LEAD').size).toBe(3);
    expect(store.calls.size).toBe(3);
    expect([...store.calls.values()].every((call) => call.state === 'finished')).toBe(true);
    expect(store.tasks).toHaveLength(3);
    for (const call of calls) {
      const attempts = await t.services.crm.callAttempts(tenant, call.id);
      expect(attempts.at(0)?.error).toContain('server_error');
      expect(attempts.at(-1)?.outcome).toBe('completed');
    }
  });
});
