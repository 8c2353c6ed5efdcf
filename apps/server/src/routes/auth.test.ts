import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, testDialects, type TestApp } from '../../test/test-app.ts';

describe.each(testDialects)('auth API on $name', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  const signup = {
    companyName: 'Roga i Kopyta',
    slug: 'roga',
    email: 'Owner@Roga.test',
    name: 'Owner',
    password: 'long enough password',
  };

  it('signs up a company with its owner, then logs in, reads the session and logs out', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: signup,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ user: { email: 'owner@roga.test', role: 'owner' } });

    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'owner@roga.test', password: signup.password },
    });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'provod_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const headers = { cookie: `provod_session=${cookie?.value ?? ''}` };

    const tenant = await t.app.inject({ method: 'GET', url: '/api/v1/tenant', headers });
    expect(tenant.json()).toMatchObject({
      slug: 'roga',
      sipDomain: 'roga.provod.local',
      name: 'Roga i Kopyta',
    });

    const session = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers });
    expect(session.statusCode).toBe(200);
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers });
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/tenant', headers });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('refuses a wrong password and an unknown e-mail alike, and a taken slug', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: signup });
    for (const payload of [
      { email: signup.email, password: 'wrong password' },
      { email: 'nobody@roga.test', password: signup.password },
    ]) {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        error: { code: 'invalid_credentials', message: 'wrong e-mail or password' },
      });
    }
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { ...signup, email: 'other@roga.test' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      error: { code: 'conflict', details: [{ path: 'slug' }] },
    });
  });

  it('locks out password guessing with 429, even for the right password', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: signup });
    const attempt = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: signup.email, password },
      });
    for (let i = 0; i < 10; i++) expect((await attempt(`guess ${i}`)).statusCode).toBe(401);
    const locked = await attempt(signup.password);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('rejects a malformed bearer header and an unknown API key with 401', async () => {
    for (const authorization of ['Basic abc', 'Bearer pvd_nope', 'Bearer']) {
      const response = await t.app.inject({
        method: 'GET',
        url: '/api/v1/extensions',
        headers: { authorization },
      });
      expect(response.statusCode, authorization).toBe(401);
    }
  });

  it('lets staff suspend a tenant: its reads work, its writes are refused', async () => {
    const tenant = await t.createTenant('acme');
    const admin = await t.loginAs('admin', tenant);
    const staff = await t.loginAs('superadmin');
    const suspended = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/staff/tenants/${tenant.tenantId}`,
      headers: staff,
      payload: { status: 'suspended' },
    });
    expect(suspended.json()).toMatchObject({ status: 'suspended' });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/extensions', headers: admin })).statusCode,
    ).toBe(200);
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/v1/extensions',
      headers: admin,
      payload: { number: '101' },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ error: { code: 'tenant_suspended' } });
  });

  it('adjusts a balance through billing staff, with the reason in the audit log', async () => {
    const tenant = await t.createTenant('acme');
    const billing = await t.loginAs('billing');
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/tenants/${tenant.tenantId}/balance-adjustments`,
      headers: billing,
      payload: { amountMinor: 150000, reason: 'invoice 42 paid' },
    });
    expect(response.json()).toMatchObject({ balanceMinor: 150000 });
    const owner = await t.loginAs('owner', tenant);
    const audit = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit-log?entityType=tenant',
      headers: owner,
    });
    const [latest] = audit.json<{ items: unknown[] }>().items;
    expect(latest).toMatchObject({
      action: 'adjust_balance',
      actorType: 'user',
      before: { balanceMinor: 0 },
      after: { balanceMinor: 150000, reason: 'invoice 42 paid' },
    });
    const zero = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/tenants/${tenant.tenantId}/balance-adjustments`,
      headers: billing,
      payload: { amountMinor: 0, reason: 'x' },
    });
    expect(zero.statusCode).toBe(400);
  });

  it('serves the OpenAPI document, the docs page, health, readiness and metrics', async () => {
    const document = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(document.json()).toMatchObject({ openapi: '3.0.3', info: { title: 'Provod API' } });
    expect(document.json<{ paths: Record<string, unknown> }>().paths).toHaveProperty(
      '/api/v1/extensions',
    );
    expect(document.json()).toMatchObject({
      paths: {
        '/api/v1/sounds': {
          post: {
            'x-permission': 'numberplan:write',
            requestBody: { content: { 'audio/wav': { schema: { format: 'binary' } } } },
          },
        },
      },
    });
    const docsPage = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docsPage.statusCode).toBe(200);
    expect(docsPage.headers['content-type']).toContain('text/html');
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({
      status: 'ok',
    });
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain(
      'provod_http_requests_total{method="GET",route="/readyz",status="200"} 1',
    );
    expect(metrics.body).toContain('provod_jobs{status="dead"} 0');
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
