import { newId, TenantScope } from '@provod/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  testDialects,
  type AuthHeaders,
  type TestApp,
} from '../../test/test-app.ts';
import type { TenantContext } from '../services/service-context.ts';

interface PhoneNumberBody {
  id: string;
  e164: string;
  label: string;
  routingSchemeId: string | null;
  trunkId: string | null;
}

describe.each(testDialects)('phone numbers API on $name', (dialect) => {
  let t: TestApp;
  let tenant: TenantContext;
  let admin: AuthHeaders;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    tenant = await t.createTenant('acme');
    admin = await t.loginAs('admin', tenant);
  });
  afterEach(() => t.close());

  const post = (headers: AuthHeaders, payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/v1/phone-numbers', headers, payload });

  /** Routing schemes are another resource's API; a row is all these tests need. */
  async function routingSchemeOf(owner: TenantContext): Promise<string> {
    const id = newId();
    const now = new Date().toISOString();
    await new TenantScope(t.services.deps.database.db, owner.tenantId)
      .insertInto('routingSchemes', {
        id,
        name: id,
        currentVersion: 1,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    return id;
  }

  it('adds a number written with separators, lists, relabels and deletes it', async () => {
    const created = await post(admin, { e164: '+7 (495) 123-45-67', label: 'Main line' });
    expect(created.statusCode).toBe(201);
    const number = created.json<PhoneNumberBody>();
    expect(number).toMatchObject({
      e164: '+74951234567',
      label: 'Main line',
      routingSchemeId: null,
      trunkId: null,
    });

    const viewer = await t.loginAs('viewer', tenant);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/phone-numbers',
      headers: viewer,
    });
    expect(list.json<PhoneNumberBody[]>().map((n) => n.e164)).toEqual(['+74951234567']);

    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/phone-numbers/${number.id}`,
      headers: admin,
      payload: { label: 'Reception' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ e164: '+74951234567', label: 'Reception' });

    const url = `/api/v1/phone-numbers/${number.id}`;
    expect((await t.app.inject({ method: 'DELETE', url, headers: admin })).statusCode).toBe(204);
    const gone = await t.app.inject({ method: 'GET', url, headers: admin });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ error: { code: 'not_found' } });

    const audit = await t.app.inject({
      method: 'GET',
      url: `/api/v1/audit-log?entityType=phone_number&entityId=${number.id}`,
      headers: admin,
    });
    const actions = audit.json<{ items: { action: string }[] }>().items.map((e) => e.action);
    expect(actions.sort()).toEqual(['create', 'delete', 'update']);
  });

  it('answers 400 naming a malformed number, an unknown field, and a number change', async () => {
    const national = await post(admin, { e164: '84951234567' });
    expect(national.statusCode).toBe(400);
    expect(national.json()).toMatchObject({
      error: { code: 'validation_failed', details: [{ path: 'body.e164' }] },
    });
    const missing = await post(admin, { label: 'x' });
    expect(missing.json<{ error: { message: string } }>().error.message).toContain('body.e164');
    const unknown = await post(admin, { e164: '+74951234567', colour: 'red' });
    expect(unknown.json()).toMatchObject({
      error: { details: [{ path: 'body.colour', message: 'unknown field' }] },
    });

    const created = (await post(admin, { e164: '+74951234567' })).json<PhoneNumberBody>();
    const renumber = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/phone-numbers/${created.id}`,
      headers: admin,
      payload: { e164: '+74957654321' },
    });
    expect(renumber.statusCode).toBe(400);
    expect(renumber.json()).toMatchObject({ error: { details: [{ path: 'body.e164' }] } });
    const badId = await t.app.inject({
      method: 'GET',
      url: '/api/v1/phone-numbers/not-a-uuid',
      headers: admin,
    });
    expect(badId.statusCode).toBe(400);
  });

  it('refuses a number already in use, in this tenant or in another, with 409', async () => {
    expect((await post(admin, { e164: '+74951234567' })).statusCode).toBe(201);
    const again = await post(admin, { e164: '+7 495 123 45 67' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      error: { code: 'conflict', details: [{ path: 'e164' }] },
    });

    const other = await t.createTenant('globex');
    const otherAdmin = await t.loginAs('admin', other);
    const taken = await post(otherAdmin, { e164: '+74951234567' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<{ error: { message: string } }>().error.message).not.toContain('acme');
  });

  it("accepts the tenant's own scheme and trunk and refuses anyone else's with 400 naming the field", async () => {
    const trunk = await t.services.trunks.create(tenant, { name: 'Main', host: 'sip.example.net' });
    const scheme = await routingSchemeOf(tenant);
    const linked = await post(admin, {
      e164: '+74951234567',
      routingSchemeId: scheme,
      trunkId: trunk.id,
    });
    expect(linked.statusCode).toBe(201);
    expect(linked.json()).toMatchObject({ routingSchemeId: scheme, trunkId: trunk.id });

    const other = await t.createTenant('globex');
    const theirTrunk = await t.services.trunks.create(other, {
      name: 'Main',
      host: 'sip.example.net',
    });
    const theirScheme = await routingSchemeOf(other);
    const foreign = await post(admin, {
      e164: '+74957654321',
      routingSchemeId: theirScheme,
      trunkId: theirTrunk.id,
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        details: [
          { path: 'routingSchemeId', message: 'no such routing scheme' },
          { path: 'trunkId', message: 'no such trunk' },
        ],
      },
    });
    expect(foreign.body).not.toContain('globex');

    const number = linked.json<PhoneNumberBody>();
    const repoint = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/phone-numbers/${number.id}`,
      headers: admin,
      payload: { trunkId: newId() },
    });
    expect(repoint.statusCode).toBe(400);
    expect(repoint.json()).toMatchObject({ error: { details: [{ path: 'trunkId' }] } });
    const unlink = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/phone-numbers/${number.id}`,
      headers: admin,
      payload: { trunkId: null, routingSchemeId: null },
    });
    expect(unlink.json()).toMatchObject({ trunkId: null, routingSchemeId: null });
  });

  it("hides another tenant's numbers (404) and lets only writers change them (403)", async () => {
    const number = (await post(admin, { e164: '+74951234567' })).json<PhoneNumberBody>();
    const other = await t.createTenant('globex');
    const otherAdmin = await t.loginAs('admin', other);
    const url = `/api/v1/phone-numbers/${number.id}`;
    for (const request of [
      { method: 'GET' as const, url },
      { method: 'PATCH' as const, url, payload: { label: 'stolen' } },
      { method: 'DELETE' as const, url },
    ]) {
      const response = await t.app.inject({ ...request, headers: otherAdmin });
      expect(response.statusCode).toBe(404);
    }
    const theirList = await t.app.inject({
      method: 'GET',
      url: '/api/v1/phone-numbers',
      headers: otherAdmin,
    });
    expect(theirList.json()).toEqual([]);

    const agent = await t.loginAs('agent', tenant);
    expect((await t.app.inject({ method: 'GET', url, headers: agent })).statusCode).toBe(200);
    const write = await post(agent, { e164: '+74957654321' });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ error: { code: 'forbidden' } });
  });
});
