import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  testDialects,
  type AuthHeaders,
  type TestApp,
} from '../../test/test-app.ts';
import type { TenantContext } from '../services/service-context.ts';

interface TrunkBody {
  id: string;
  name: string;
  password?: string | null;
}

interface ErrorBody {
  error: { code: string; message: string; details?: { path?: string; message: string }[] };
}

describe.each(testDialects)('trunks API on $name', (dialect) => {
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
    t.app.inject({ method: 'POST', url: '/api/v1/trunks', headers, payload });
  const patch = (headers: AuthHeaders, id: string, payload: object) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/trunks/${id}`, headers, payload });

  it('creates a trunk with defaults, shows the password to an admin and hides it from an agent', async () => {
    const created = await post(admin, {
      name: 'Provider',
      host: 'SIP.Example.NET',
      username: 'acme',
      password: 'pa ss"word',
      register: true,
      dialPrefixes: ['+7', '8'],
    });
    expect(created.statusCode).toBe(201);
    const trunk = created.json<TrunkBody>();
    expect(trunk).toMatchObject({
      host: 'sip.example.net',
      port: 5060,
      transport: 'udp',
      password: 'pa ss"word',
      authUsername: null,
      fromDomain: null,
      register: true,
      registerExpiresSeconds: 300,
      dialPrefixes: ['+7', '8'],
      priority: 100,
      enabled: true,
    });

    const agent = await t.loginAs('agent', tenant);
    for (const url of ['/api/v1/trunks', `/api/v1/trunks/${trunk.id}`]) {
      const seen = await t.app.inject({ method: 'GET', url, headers: agent });
      expect(seen.statusCode).toBe(200);
      expect(seen.body).not.toContain('pa ss');
      expect(seen.body).toContain('sip.example.net');
    }
    const write = await patch(agent, trunk.id, { enabled: false });
    expect(write.statusCode).toBe(403);

    const audit = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit-log?entityType=trunk',
      headers: admin,
    });
    const entries = audit.json<{ items: { after: { password: string } }[] }>().items;
    expect(entries).toHaveLength(1);
    expect(entries[0]?.after.password).toBe('[redacted]');
  });

  it('answers 400 naming each malformed field', async () => {
    const cases: [object, string][] = [
      [{ name: 'T', host: 'sip example.net' }, 'body.host'],
      [{ name: 'T', host: 'sip.example.net:5060' }, 'body.host'],
      [{ name: 'T', host: 'sip.example.net', port: 70000 }, 'body.port'],
      [{ name: 'T', host: 'sip.example.net', transport: 'sctp' }, 'body.transport'],
      [
        { name: 'T', host: 'sip.example.net', registerExpiresSeconds: 30 },
        'body.registerExpiresSeconds',
      ],
      [
        { name: 'T', host: 'sip.example.net', registerExpiresSeconds: 7200 },
        'body.registerExpiresSeconds',
      ],
      [{ name: 'T', host: 'sip.example.net', dialPrefixes: ['+7', '9x'] }, 'body.dialPrefixes.1'],
      [{ name: 'T', host: 'sip.example.net', dialPrefixes: ['8', '8'] }, 'body.dialPrefixes'],
      [{ name: 'T', host: 'sip.example.net', username: 'a@b' }, 'body.username'],
      [{ name: '', host: 'sip.example.net' }, 'body.name'],
      [{ host: 'sip.example.net' }, 'body.name'],
      [{ name: 'T', host: 'sip.example.net', secret: 'x' }, 'body.secret'],
    ];
    for (const [payload, path] of cases) {
      const response = await post(admin, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      const details = response.json<ErrorBody>().error.details ?? [];
      expect(
        details.map((d) => d.path),
        JSON.stringify(payload),
      ).toContain(path);
    }
    const ipv6 = await post(admin, {
      name: 'V6',
      host: '2001:db8::1',
      transport: 'tls',
      port: 5061,
    });
    expect(ipv6.statusCode).toBe(201);
  });

  it('requires credentials to register, on create and on update', async () => {
    const bare = await post(admin, { name: 'T', host: '192.0.2.10', register: true });
    expect(bare.statusCode).toBe(400);
    expect(bare.json<ErrorBody>().error.details).toEqual([
      { path: 'username', message: 'required when register is true' },
      { path: 'password', message: 'required when register is true' },
    ]);

    const trunk = (await post(admin, { name: 'T', host: '192.0.2.10' })).json<TrunkBody>();
    const register = await patch(admin, trunk.id, { register: true, username: 'acme' });
    expect(register.statusCode).toBe(400);
    expect(register.json<ErrorBody>().error.details).toEqual([
      { path: 'password', message: 'required when register is true' },
    ]);
    const complete = await patch(admin, trunk.id, {
      register: true,
      username: 'acme',
      password: 'secret',
      registerExpiresSeconds: 3600,
    });
    expect(complete.statusCode).toBe(200);
    expect(complete.json()).toMatchObject({ register: true, registerExpiresSeconds: 3600 });
    const dropPassword = await patch(admin, trunk.id, { password: null });
    expect(dropPassword.statusCode).toBe(400);
  });

  it('keeps names unique in a tenant (409), lists by priority, and deletes', async () => {
    const backup = (
      await post(admin, {
        name: 'Backup',
        host: 'b.example.net',
        priority: 200,
        dialPrefixes: ['+7'],
      })
    ).json<TrunkBody>();
    const main = (
      await post(admin, {
        name: 'Main',
        host: 'a.example.net',
        priority: 100,
        dialPrefixes: ['+7'],
      })
    ).json<TrunkBody>();
    const duplicate = await post(admin, { name: 'Main', host: 'c.example.net' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({
      error: { code: 'conflict', details: [{ path: 'name' }] },
    });
    const rename = await patch(admin, backup.id, { name: 'Main' });
    expect(rename.statusCode).toBe(409);
    expect((await patch(admin, main.id, { name: 'Main' })).statusCode).toBe(200);

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/trunks', headers: admin });
    expect(list.json<TrunkBody[]>().map((x) => x.name)).toEqual(['Main', 'Backup']);

    const url = `/api/v1/trunks/${main.id}`;
    expect((await t.app.inject({ method: 'DELETE', url, headers: admin })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url, headers: admin })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url, headers: admin })).statusCode).toBe(404);
  });

  it("hides another tenant's trunks (404) while letting it reuse the name", async () => {
    const trunk = (await post(admin, { name: 'Main', host: 'a.example.net' })).json<TrunkBody>();
    const other = await t.createTenant('globex');
    const otherAdmin = await t.loginAs('admin', other);
    const url = `/api/v1/trunks/${trunk.id}`;
    expect((await t.app.inject({ method: 'GET', url, headers: otherAdmin })).statusCode).toBe(404);
    expect((await patch(otherAdmin, trunk.id, { host: 'evil.example' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url, headers: otherAdmin })).statusCode).toBe(
      404,
    );
    expect((await post(otherAdmin, { name: 'Main', host: 'a.example.net' })).statusCode).toBe(201);
    const mine = await t.app.inject({ method: 'GET', url, headers: admin });
    expect(mine.json()).toMatchObject({ host: 'a.example.net' });
  });
});
