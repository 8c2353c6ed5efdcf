import { describe, expect, it, vi } from 'vitest';
import { closeSandboxesAfterEach, connectedSandbox, embedded } from './testing.ts';

const { connected } = closeSandboxesAfterEach();

describe('amoCRM sandbox rate limit', () => {
  it('answers 429 above 7 requests in one second and recovers in the next', async () => {
    const { api, sandbox } = await connected({ rateLimit: { perSecond: 7 } });
    sandbox.rateLimiter.reset(); // the token exchange counted as a request
    const statuses: number[] = [];
    for (let index = 0; index < 8; index += 1)
      statuses.push((await api('GET', '/api/v4/account')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 429]);
    const limited = await api('GET', '/api/v4/account');
    expect(limited.contentType).toContain('application/problem+json');
    expect(limited.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
    sandbox.clock.advance(1000);
    expect((await api('GET', '/api/v4/account')).status).toBe(200);
  });

  it('blocks the account with 403 for everything after repeated violations, when configured', async () => {
    const { api, sandbox } = await connected({
      rateLimit: { perSecond: 1, blockAfterViolations: 2 },
      limitResponseFormat: 'html',
    });
    sandbox.clock.advance(1000);
    expect((await api('GET', '/api/v4/account')).status).toBe(200);
    const first = await api('GET', '/api/v4/account');
    expect(first.status).toBe(429);
    expect(first.contentType).toContain('text/html');
    expect((await api('GET', '/api/v4/account')).status).toBe(429);
    sandbox.clock.advance(10_000);
    const blocked = await api('GET', '/api/v4/users');
    expect(blocked.status).toBe(403);
    expect(blocked.raw.body).toContain('403 Forbidden');
    const inspected = await sandbox.app.inject({ url: '/__sandbox/state' });
    expect(inspected.json<{ rate_limit: { blocked: boolean } }>().rate_limit.blocked).toBe(true);
    await sandbox.app.inject({ method: 'POST', url: '/__sandbox/reset' });
    expect(sandbox.rateLimiter.snapshot().blocked).toBe(false);
  });
});

describe('amoCRM sandbox faults', () => {
  it('injects a 5xx for matching paths a counted number of times', async () => {
    const { api, sandbox } = await connected();
    sandbox.faults.add({
      pathPrefix: '/api/v4/calls',
      fault: { kind: 'status', status: 503 },
      remaining: 1,
    });
    expect((await api('GET', '/api/v4/account')).status).toBe(200);
    const failed = await api('POST', '/api/v4/calls', []);
    expect(failed.status).toBe(503);
    expect(failed.json()).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect((await api('POST', '/api/v4/calls', [])).status).toBe(400);
    sandbox.faults.add({
      pathPrefix: '',
      fault: { kind: 'status', status: 502, body: '<html>Bad Gateway</html>' },
      remaining: 1,
    });
    const gateway = await api('GET', '/api/v4/account');
    expect([gateway.status, gateway.raw.body]).toEqual([502, '<html>Bad Gateway</html>']);
  });

  it('answers an HTML 429 storm and a 401 for a valid token', async () => {
    const { api, sandbox } = await connected();
    sandbox.faults.add({ pathPrefix: '/api/', fault: { kind: 'rate_limited' }, remaining: 2 });
    const storm = [await api('GET', '/api/v4/account'), await api('GET', '/api/v4/account')];
    expect(
      storm.map((answer) => [answer.status, answer.contentType.startsWith('text/html')]),
    ).toEqual([
      [429, true],
      [429, true],
    ]);
    sandbox.faults.add({ pathPrefix: '/api/', fault: { kind: 'token_expired' }, remaining: 1 });
    expect((await api('GET', '/api/v4/account')).status).toBe(401);
    expect((await api('GET', '/api/v4/account')).status).toBe(200);
  });

  it('delays an answer and still answers it', async () => {
    const { api, sandbox } = await connected();
    sandbox.faults.add({
      pathPrefix: '/api/v4/account',
      fault: { kind: 'delay', ms: 20 },
      remaining: 1,
    });
    expect((await api('GET', '/api/v4/account')).status).toBe(200);
    expect(sandbox.faults.list()).toEqual([]);
  });

  it('hangs a request until the sandbox closes', async () => {
    const { sandbox, accessToken } = await connectedSandbox();
    const url = await sandbox.listen(0);
    sandbox.faults.add({ pathPrefix: '/api/v4/leads', fault: { kind: 'hang' }, remaining: 1 });
    const pending = fetch(`${url}/api/v4/leads`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    await vi.waitFor(() => expect(sandbox.hungRequests()).toBe(1));
    await sandbox.close();
    await expect(pending).rejects.toThrow();
  });

  it('takes faults, clock moves, installs and resets over /__sandbox', async () => {
    const { api, sandbox } = await connected();
    const added = await sandbox.app.inject({
      method: 'POST',
      url: '/__sandbox/faults',
      payload: {
        path_prefix: '/api/v4/users',
        fault: { kind: 'status', status: 500 },
        remaining: 1,
      },
    });
    expect(added.statusCode).toBe(201);
    expect((await api('GET', '/api/v4/users')).status).toBe(500);
    const refused = await sandbox.app.inject({
      method: 'POST',
      url: '/__sandbox/faults',
      payload: { fault: { kind: 'explode' } },
    });
    expect(refused.statusCode).toBe(400);
    const before = sandbox.clock.nowMs();
    await sandbox.app.inject({
      method: 'POST',
      url: '/__sandbox/clock',
      payload: { advance_ms: 5000 },
    });
    expect(sandbox.clock.nowMs()).toBe(before + 5000);
    const backwards = await sandbox.app.inject({
      method: 'POST',
      url: '/__sandbox/clock',
      payload: { advance_ms: -1 },
    });
    expect(backwards.statusCode).toBe(400);
    expect(sandbox.clock.nowMs()).toBe(before + 5000);
    const install = await sandbox.app.inject({
      method: 'POST',
      url: '/__sandbox/install',
      payload: { client_id: 'other', client_secret: 's', redirect_uri: 'https://x.example' },
    });
    expect(typeof install.json<{ code: string }>().code).toBe('string');
    sandbox.seed({ contacts: [{ name: 'Иван' }] });
    await sandbox.app.inject({ method: 'POST', url: '/__sandbox/reset' });
    expect(sandbox.state.contacts.size).toBe(0);
    expect((await api('GET', '/api/v4/account')).status).toBe(401);
    const state = (await sandbox.app.inject({ url: '/__sandbox/state' })).json<
      Record<string, unknown>
    >();
    expect(embedded({ _embedded: { users: state.users } }, 'users')).toHaveLength(1);
  });

  it('answers unknown paths and malformed JSON as problem+json', async () => {
    const { sandbox, accessToken } = await connected();
    const missing = await sandbox.app.inject({
      url: '/api/v4/nothing',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect([missing.statusCode, missing.headers['content-type']]).toEqual([
      404,
      'application/problem+json; charset=utf-8',
    ]);
    const malformed = await sandbox.app.inject({
      method: 'POST',
      url: '/api/v4/contacts',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      payload: '[{',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ status: 400, type: 'https://httpstatus.es/400' });
  });
});
