import { describe, expect, it } from 'vitest';
import { SandboxClock } from '../common/clock.ts';
import { createAmoCrmSandbox } from './sandbox.ts';
import type { AmoCrmSandbox } from './sandbox-api.ts';
import { answerOf, closeSandboxesAfterEach, testIntegration } from './testing.ts';

const sandboxes = closeSandboxesAfterEach();

function tokenRequest(sandbox: AmoCrmSandbox, payload: Record<string, string>) {
  return sandbox.app
    .inject({ method: 'POST', url: '/oauth2/access_token', payload })
    .then(answerOf);
}

const client = {
  client_id: testIntegration.clientId,
  client_secret: testIntegration.clientSecret,
  redirect_uri: testIntegration.redirectUri,
};

describe('amoCRM sandbox OAuth 2.0', () => {
  it('exchanges an authorization code for a Bearer pair once', async () => {
    const sandbox = sandboxes.track(
      createAmoCrmSandbox({ clock: SandboxClock.frozenAt(1_700_000_000_000) }),
    );
    const code = sandbox.install(testIntegration);
    const first = await tokenRequest(sandbox, {
      ...client,
      grant_type: 'authorization_code',
      code,
    });
    expect(first.status).toBe(200);
    expect(first.json()).toMatchObject({
      token_type: 'Bearer',
      expires_in: 86400,
      server_time: 1_700_000_000,
    });
    const again = await tokenRequest(sandbox, {
      ...client,
      grant_type: 'authorization_code',
      code,
    });
    expect(again.status).toBe(400);
    expect(again.contentType).toContain('application/problem+json');
    expect(again.json()).toMatchObject({
      status: 400,
      hint: 'Authorization code has been revoked',
    });
  });

  it('accepts the token request form-encoded too', async () => {
    const sandbox = sandboxes.track(createAmoCrmSandbox());
    const code = sandbox.install(testIntegration);
    const raw = await sandbox.app.inject({
      method: 'POST',
      url: '/oauth2/access_token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        ...client,
        grant_type: 'authorization_code',
        code,
      }).toString(),
    });
    expect(raw.statusCode).toBe(200);
  });

  it('refuses a wrong secret (401), redirect_uri or grant_type (400), and an expired code', async () => {
    const clock = SandboxClock.frozenAt(1_700_000_000_000);
    const sandbox = sandboxes.track(createAmoCrmSandbox({ clock }));
    const code = sandbox.install(testIntegration);
    const badSecret = await tokenRequest(sandbox, {
      ...client,
      client_secret: 'nope',
      grant_type: 'authorization_code',
      code,
    });
    expect(badSecret.status).toBe(401);
    const badRedirect = await tokenRequest(sandbox, {
      ...client,
      redirect_uri: 'https://evil.example',
      grant_type: 'authorization_code',
      code,
    });
    expect(badRedirect.status).toBe(400);
    const badGrant = await tokenRequest(sandbox, { ...client, grant_type: 'password', code });
    expect(badGrant.status).toBe(400);
    clock.advance(21 * 60 * 1000);
    const expired = await tokenRequest(sandbox, {
      ...client,
      grant_type: 'authorization_code',
      code,
    });
    expect(expired.json()).toMatchObject({ status: 400, hint: 'Authorization code has expired' });
  });

  it('rotates the refresh token on every refresh and refuses the used one', async () => {
    const { sandbox, refreshToken } = await sandboxes.connected();
    const refreshed = await tokenRequest(sandbox, {
      ...client,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
    expect(refreshed.status).toBe(200);
    const pair = refreshed.json();
    expect(pair.refresh_token).not.toBe(refreshToken);
    const reuse = await tokenRequest(sandbox, {
      ...client,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
    expect(reuse.status).toBe(400);
    expect(reuse.json()).toMatchObject({ hint: 'Token has been revoked' });
    const next = await tokenRequest(sandbox, {
      ...client,
      grant_type: 'refresh_token',
      refresh_token: String(pair.refresh_token),
    });
    expect(next.status).toBe(200);
    const account = await sandbox.app.inject({
      url: '/api/v4/account',
      headers: { authorization: `Bearer ${String(pair.access_token)}` },
    });
    expect(account.statusCode).toBe(200);
  });

  it('answers 401 problem+json without, with an unknown and with an expired bearer token', async () => {
    const { sandbox, api, accessToken } = await sandboxes.connected();
    const none = answerOf(await sandbox.app.inject({ url: '/api/v4/account' }));
    expect(none.status).toBe(401);
    expect(none.contentType).toContain('application/problem+json');
    expect(none.json()).toEqual({
      title: 'Unauthorized',
      type: 'https://httpstatus.es/401',
      status: 401,
      detail: 'Unauthorized',
    });
    const unknown = await sandbox.app.inject({
      url: '/api/v4/account',
      headers: { authorization: 'Bearer forged' },
    });
    expect(unknown.statusCode).toBe(401);
    expect((await api('GET', '/api/v4/account')).status).toBe(200);
    sandbox.clock.advance(86_400 * 1000);
    const expired = await sandbox.app.inject({
      url: '/api/v4/account',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(expired.statusCode).toBe(401);
  });

  it('issues long-lived tokens that work without refresh', async () => {
    const sandbox = sandboxes.track(createAmoCrmSandbox());
    const token = sandbox.issueLongLivedToken();
    const raw = await sandbox.app.inject({
      url: '/api/v4/users',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(raw.statusCode).toBe(200);
  });
});
