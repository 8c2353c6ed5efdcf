import type { SoftphoneCredentials, User } from '@provod/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  testDialects,
  type AuthHeaders,
  type TestApp,
} from '../../test/test-app.ts';
import type { TenantContext } from '../services/service-context.ts';

describe.each(testDialects)('softphone API on $name', (dialect) => {
  let t: TestApp;
  let tenant: TenantContext;
  let admin: AuthHeaders;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    tenant = await t.createTenant('acme');
    admin = await t.loginAs('admin', tenant);
  });
  afterEach(() => t.close());

  async function userOf(headers: AuthHeaders): Promise<User> {
    const session = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers });
    return session.json<{ user: User }>().user;
  }

  async function createExtension(body: Record<string, unknown>): Promise<{ id: string }> {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/extensions',
      headers: admin,
      payload: body,
    });
    expect(created.statusCode, created.body).toBe(201);
    return created.json<{ id: string }>();
  }

  const softphone = (headers: AuthHeaders) =>
    t.app.inject({ method: 'GET', url: '/api/v1/me/softphone', headers });

  it("gives an agent their own extension's SIP account, and never a colleague's", async () => {
    const anna = await t.loginAs('agent', tenant);
    const boris = await t.loginAs('agent', tenant);
    await createExtension({
      number: '201',
      displayName: 'Anna',
      userId: (await userOf(anna)).id,
      sipPassword: 'anna-secret-1',
    });
    await createExtension({
      number: '202',
      displayName: 'Boris',
      userId: (await userOf(boris)).id,
      sipPassword: 'boris-secret-2',
    });
    // An extension nobody owns is nobody's softphone.
    await createExtension({ number: '200', sipPassword: 'nobody-secret-0' });

    const annas = await softphone(anna);
    expect(annas.statusCode, annas.body).toBe(200);
    expect(annas.json<SoftphoneCredentials>()).toEqual({
      extension: '201',
      displayName: 'Anna',
      sipDomain: 'acme.provod.local',
      sipPassword: 'anna-secret-1',
      webSocketPath: '/sip',
    });
    const boriss = await softphone(boris);
    expect(boriss.json<SoftphoneCredentials>().extension).toBe('202');
    expect(boriss.body).not.toContain('anna-secret-1');
    expect(boriss.body).not.toContain('nobody-secret-0');
  });

  it('answers 404 to a person who owns no extension, also after their extension is given away', async () => {
    const viewer = await t.loginAs('viewer', tenant);
    const none = await softphone(viewer);
    expect(none.statusCode).toBe(404);
    const { error } = none.json<{ error: { code: string; message: string } }>();
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('no extension belongs to you');

    const extension = await createExtension({ number: '301', userId: (await userOf(viewer)).id });
    expect((await softphone(viewer)).statusCode).toBe(200);
    const moved = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/extensions/${extension.id}`,
      headers: admin,
      payload: { userId: (await userOf(admin)).id },
    });
    expect(moved.statusCode).toBe(200);
    expect((await softphone(viewer)).statusCode).toBe(404);
    expect((await softphone(admin)).json<SoftphoneCredentials>().extension).toBe('301');
  });

  it("never answers with another tenant's extension owned by the same user id", async () => {
    const other = await t.createTenant('other');
    const agent = await t.loginAs('agent', tenant);
    // A user id planted on the other tenant's extension reaches nothing in that tenant.
    await t.services.extensions.create(other, { number: '401', userId: (await userOf(agent)).id });
    expect((await softphone(agent)).statusCode).toBe(404);
  });

  it('answers 404 to an API key (it is nobody), 403 to staff and 401 to nobody', async () => {
    await createExtension({ number: '501', userId: (await userOf(admin)).id });
    expect((await softphone(await t.apiKeyFor('owner', tenant))).statusCode).toBe(404);
    const staff = await softphone(await t.loginAs('superadmin'));
    expect(staff.statusCode).toBe(403);
    expect(staff.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect((await softphone({})).statusCode).toBe(401);
  });
});
