import { afterEach, describe, expect, it } from 'vitest';
import { at, makeFixture } from './test-fixture.ts';
import type { Bitrix24Sandbox } from './sandbox-types.ts';

describe('Bitrix24 sandbox: leaky bucket, faults and controls', () => {
  it('refuses the 51st request in a second with 503 QUERY_LIMIT_EXCEEDED and drains 2/s', async () => {
    const { rest, sandbox } = makeFixture();
    for (let i = 0; i < 50; i++) expect((await rest('user.get')).status).toBe(200);
    expect(await rest('user.get')).toEqual({
      status: 503,
      body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
    });
    sandbox.clock.advance(1_000);
    expect((await rest('user.get')).status).toBe(200);
    expect((await rest('user.get')).status).toBe(200);
    expect((await rest('user.get')).status).toBe(503);
    sandbox.clock.advance(25_000);
    expect(sandbox.bucketLevel()).toBe(0);
  });

  it('uses Enterprise limits when asked', async () => {
    const { rest } = makeFixture({ limits: 'enterprise' });
    for (let i = 0; i < 250; i++) await rest('user.get');
    expect((await rest('user.get')).status).toBe(503);
  });

  it('answers unknown methods and missing scopes with the system errors', async () => {
    const { rest } = makeFixture({
      apps: [{ clientId: 'local.provod-sandbox', clientSecret: 's', scope: ['crm'] }],
    });
    expect(await rest('no.such.method')).toEqual({
      status: 404,
      body: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' },
    });
    expect((await rest('telephony.externalLine.get')).body).toMatchObject({
      error: 'insufficient_scope',
    });
  });

  it('injects 5xx, QUERY_LIMIT_EXCEEDED storms and expired_token through FaultPlan', async () => {
    const { rest, sandbox } = makeFixture();
    sandbox.faults.add({
      pathPrefix: '/rest/telephony.externalCall.register',
      fault: { kind: 'status', status: 502 },
      remaining: 1,
    });
    sandbox.faults.add({
      pathPrefix: '/rest/user.get',
      fault: { kind: 'rate_limited' },
      remaining: 2,
    });
    sandbox.faults.add({
      pathPrefix: '/rest/crm.',
      fault: { kind: 'token_expired' },
      remaining: 1,
    });
    const params = { USER_ID: 1, PHONE_NUMBER: '79001234567', TYPE: 2 };
    expect(await rest('telephony.externalCall.register', params)).toEqual({
      status: 502,
      body: { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' },
    });
    expect((await rest('telephony.externalCall.register', params)).status).toBe(200);
    expect((await rest('user.get')).status).toBe(503);
    expect((await rest('user.get')).status).toBe(503);
    expect((await rest('user.get')).status).toBe(200);
    expect(await rest('crm.contact.list')).toEqual({
      status: 401,
      body: { error: 'expired_token', error_description: 'The access token provided has expired.' },
    });
    expect((await rest('crm.contact.list')).status).toBe(200);
  });

  it('delays a request and then answers normally', async () => {
    const { rest, sandbox } = makeFixture();
    sandbox.faults.add({ pathPrefix: '', fault: { kind: 'delay', ms: 5 }, remaining: 1 });
    expect((await rest('user.get')).status).toBe(200);
    expect(sandbox.faults.list()).toEqual([]);
  });

  describe('hang', () => {
    let sandbox: Bitrix24Sandbox | undefined;
    afterEach(async () => {
      await sandbox?.app.close();
    });

    it('never answers a hung request; the client gives up and the app still closes', async () => {
      const fixture = makeFixture();
      sandbox = fixture.sandbox;
      sandbox.faults.add({ pathPrefix: '/rest/user.get', fault: { kind: 'hang' }, remaining: 1 });
      const base = await sandbox.app.listen({ port: 0, host: '127.0.0.1' });
      const controller = new AbortController();
      const pending = fetch(`${base}/rest/user.get?auth=${fixture.token}`, {
        signal: controller.signal,
      });
      // A second request proves the server is alive while the first one hangs.
      const alive = await fetch(`${base}/rest/user.get?auth=${fixture.token}`);
      expect(alive.status).toBe(200);
      controller.abort();
      await expect(pending).rejects.toThrow();
    });
  });

  it('exposes state, faults, clock, seeding and reset under /__sandbox/', async () => {
    const { sandbox, rest } = makeFixture();
    const inject = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) => {
      const response = await sandbox.app.inject({
        method,
        url,
        ...(payload === undefined ? {} : { payload }),
      });
      return { status: response.statusCode, body: response.body };
    };
    expect(
      (
        await inject('POST', '/__sandbox/faults', {
          pathPrefix: '/rest/',
          fault: { kind: 'status', status: 500 },
          remaining: 1,
        })
      ).status,
    ).toBe(200);
    expect((await inject('POST', '/__sandbox/faults', { fault: { kind: 'explode' } })).status).toBe(
      400,
    );
    expect((await rest('user.get')).status).toBe(500);
    expect((await inject('POST', '/__sandbox/clock', { advanceMs: -1 })).status).toBe(400);
    await inject('POST', '/__sandbox/clock', { advanceMs: 60_000 });
    await inject('POST', '/__sandbox/users', { NAME: 'New', UF_PHONE_INNER: '200' });
    await inject('POST', '/__sandbox/contacts', {
      NAME: 'Seeded',
      PHONE: [{ VALUE: '79001112233' }],
    });
    expect(at((await rest('user.get', { UF_PHONE_INNER: '200' })).body, 'total')).toBe(1);
    const state = JSON.parse((await inject('GET', '/__sandbox/state')).body) as {
      data: { contacts: unknown[] };
      clock: { now: number };
    };
    expect(state.data.contacts).toHaveLength(1);
    expect(state.clock.now).toBe(sandbox.clock.nowMs());
    await inject('POST', '/__sandbox/reset');
    expect(sandbox.store.contacts.size).toBe(0);
    expect(sandbox.store.users.size).toBe(3);
    // Tokens are gone after a reset, as on a freshly installed portal.
    expect(at((await rest('user.get')).body, 'error')).toBe('invalid_token');
  });
});
