import { describe, expect, it } from 'vitest';
import { defaultSandboxApp } from './sandbox.ts';
import { at, makeFixture, text, webhookPath } from './test-fixture.ts';

const { clientId, clientSecret } = defaultSandboxApp;

function tokenUrl(query: Record<string, string>): string {
  return `/oauth/token/?${new URLSearchParams(query).toString()}`;
}

describe('Bitrix24 sandbox: OAuth and request authorization', () => {
  it('exchanges an authorization code, then refreshes with rotation (settings/oauth)', async () => {
    const { sandbox, get, rest } = makeFixture();
    const code = sandbox.authorize(clientId, 2);
    const first = await get(
      tokenUrl({
        grant_type: 'authorization_code',
        client_id: clientId,
        client_secret: clientSecret,
        code,
      }),
    );
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      expires_in: 3600,
      user_id: 2,
      status: 'L',
      scope: 'telephony,crm,user,task,im',
    });
    const access = text(at(first.body, 'access_token'));
    const refresh = text(at(first.body, 'refresh_token'));
    expect((await rest('user.get', { ID: 2 }, access)).status).toBe(200);

    // The code is one-time.
    const again = await get(
      tokenUrl({
        grant_type: 'authorization_code',
        client_id: clientId,
        client_secret: clientSecret,
        code,
      }),
    );
    expect(again).toEqual({
      status: 400,
      body: expect.objectContaining({ error: 'invalid_grant' }) as unknown,
    });

    const renewed = await get(
      tokenUrl({
        grant_type: 'refresh_token',
        client_id: clientId,
        client_secret: clientSecret,
        refresh_token: refresh,
      }),
    );
    expect(renewed.status).toBe(200);
    expect(text(at(renewed.body, 'refresh_token'))).not.toBe(refresh);
    // The old refresh token is retired once a new pair is issued.
    const reuse = await get(
      tokenUrl({
        grant_type: 'refresh_token',
        client_id: clientId,
        client_secret: clientSecret,
        refresh_token: refresh,
      }),
    );
    expect(at(reuse.body, 'error')).toBe('invalid_grant');
  });

  it('refuses a wrong secret, a missing grant and a code older than 30 s', async () => {
    const { sandbox, get } = makeFixture();
    const code = sandbox.authorize(clientId, 1);
    const wrong = await get(
      tokenUrl({
        grant_type: 'authorization_code',
        client_id: clientId,
        client_secret: 'nope',
        code,
      }),
    );
    expect(at(wrong.body, 'error')).toBe('invalid_client');
    const missing = await get('/oauth/token/?client_id=x');
    expect(at(missing.body, 'error')).toBe('invalid_request');
    sandbox.clock.advance(31_000);
    const late = await get(
      tokenUrl({
        grant_type: 'authorization_code',
        client_id: clientId,
        client_secret: clientSecret,
        code,
      }),
    );
    expect(at(late.body, 'error')).toBe('invalid_grant');
  });

  it('answers expired_token (401) after an hour and invalid_token for unknown tokens', async () => {
    const { sandbox, rest } = makeFixture();
    const { access_token } = sandbox.issueTokens(clientId, 1);
    sandbox.clock.advance(3_599_000);
    expect((await rest('user.get', {}, access_token)).status).toBe(200);
    sandbox.clock.advance(1_000);
    expect(await rest('user.get', {}, access_token)).toEqual({
      status: 401,
      body: { error: 'expired_token', error_description: 'The access token provided has expired.' },
    });
    expect(at((await rest('user.get', {}, 'garbage')).body, 'error')).toBe('invalid_token');
  });

  it('accepts webhooks by path and refuses unknown codes and missing auth', async () => {
    const { get, sandbox } = makeFixture();
    const ok = await get(`${webhookPath}/user.get.json?ID=1`);
    expect(ok.status).toBe(200);
    expect(at(ok.body, 'result', 0, 'UF_PHONE_INNER')).toBe('101');
    expect((await get('/rest/1/wrongcode/user.get')).body).toMatchObject({
      error: 'NO_AUTH_FOUND',
    });
    const noAuth = await sandbox.app.inject({ method: 'GET', url: '/rest/user.get' });
    expect(noAuth.statusCode).toBe(401);
  });

  it('redirects /oauth/authorize/ to the redirect_uri with code, state and member_id', async () => {
    const { sandbox } = makeFixture({
      apps: [{ ...defaultSandboxApp, redirectUri: 'https://app.example/back' }],
    });
    const response = await sandbox.app.inject({
      method: 'GET',
      url: `/oauth/authorize/?client_id=${clientId}&state=s1`,
    });
    expect(response.statusCode).toBe(302);
    const location = new URL(String(response.headers.location));
    expect(location.origin + location.pathname).toBe('https://app.example/back');
    expect(location.searchParams.get('state')).toBe('s1');
    expect(location.searchParams.get('code')).toMatch(/^[0-9a-f]{32}$/);
    const unknown = await sandbox.app.inject({
      method: 'GET',
      url: '/oauth/authorize/?client_id=nobody',
    });
    expect(unknown.statusCode).toBe(400);
  });
});
