import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, testDialects, type TestApp } from '../../test/test-app.ts';
import type { TenantContext } from '../services/service-context.ts';

describe.each(testDialects)('extensions API on $name', (dialect) => {
  let t: TestApp;
  let tenant: TenantContext;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    tenant = await t.createTenant('acme');
  });
  afterEach(() => t.close());

  it('creates an extension with a generated password, shows it to an admin, hides it from an agent', async () => {
    const admin = await t.loginAs('admin', tenant);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/extensions',
      headers: admin,
      payload: { number: '101', displayName: 'Reception' },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json<{ id: string; sipPassword: string; sipDomain: string }>();
    expect(body.sipPassword).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(body.sipDomain).toBe('acme.provod.local');

    const agent = await t.loginAs('agent', tenant);
    const seen = await t.app.inject({
      method: 'GET',
      url: `/api/v1/extensions/${body.id}`,
      headers: agent,
    });
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).not.toHaveProperty('sipPassword');
  });

  it('answers 400 naming an unknown field and a wrong type', async () => {
    const admin = await t.loginAs('admin', tenant);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/extensions',
      headers: admin,
      payload: { number: '101', colour: 'red' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        details: [{ path: 'body.colour', message: 'unknown field' }],
      },
    });

    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/api/v1/extensions',
      headers: admin,
      payload: { number: 101 },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json<{ error: { message: string } }>().error.message).toContain('body.number');
  });

  it('refuses a duplicate number with 409 and records changes in the audit log', async () => {
    const admin = await t.loginAs('admin', tenant);
    const post = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/extensions',
        headers: admin,
        payload: { number: '102' },
      });
    expect((await post()).statusCode).toBe(201);
    const again = await post();
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'conflict' } });

    const audit = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit-log?entityType=extension',
      headers: admin,
    });
    const entries = audit.json<{ items: { action: string; after: { sipPassword: string } }[] }>()
      .items;
    expect(entries).toHaveLength(1);
    expect(entries[0]?.after.sipPassword).toBe('[redacted]');
  });

  it('refuses a cookie write without the CSRF token', async () => {
    const admin = await t.loginAs('admin', tenant);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/extensions',
      headers: { cookie: admin.cookie ?? '' },
      payload: { number: '103' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'csrf_token_invalid' } });
  });
});
