/**
 * A Bitrix24 application's OAuth 2.0 (settings/oauth/index.md, auto-renewal.md —
 * bitrix24/b24restdocs): the authorization server (https://oauth.bitrix.info) swaps the
 * code from the install redirect, and later a refresh token, for a new pair with
 * `GET /oauth/token/?grant_type=…&client_id&client_secret&…`. The access token lives an
 * hour, the refresh token 180 days, and a used refresh token must be replaced by the new
 * one — so, as for amoCRM, the pair is saved before it is used.
 *
 * An incoming webhook (`https://portal/rest/<user>/<code>/`) needs no tokens, but the
 * telephony methods refuse it (WRONG_AUTH_TYPE, CRM-FACTS §8).
 */
import type { TokenStore } from '../http/token-store.ts';

export type BitrixCredentials =
  | {
      readonly kind: 'oauth';
      readonly accessToken: string;
      readonly refreshToken: string;
      readonly expiresAtMs: number;
      /** The portal's id at Bitrix24, from the token answer. */
      readonly memberId: string;
    }
  | {
      readonly kind: 'webhook';
      /** `https://portal.bitrix24.ru/rest/1/abc123/` — the code is the secret. */
      readonly url: string;
    };

export type BitrixTokenStore = TokenStore<BitrixCredentials>;

/** The application's identity, the same on every portal that installs it. */
export interface BitrixApp {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The authorization server; https://oauth.bitrix.info for Bitrix24 cloud. */
  readonly oauthUrl: string;
}

export const bitrixOAuthUrl = 'https://oauth.bitrix.info';

export type BitrixGrant =
  | { readonly grantType: 'authorization_code'; readonly code: string }
  | { readonly grantType: 'refresh_token'; readonly refreshToken: string };

export function tokenRequestUrl(app: BitrixApp, grant: BitrixGrant): string {
  const query = new URLSearchParams({
    grant_type: grant.grantType,
    client_id: app.clientId,
    client_secret: app.clientSecret,
    ...(grant.grantType === 'authorization_code'
      ? { code: grant.code }
      : { refresh_token: grant.refreshToken }),
  });
  return `${app.oauthUrl.replace(/\/+$/, '')}/oauth/token/?${query.toString()}`;
}

/** The token answer → credentials, or undefined when it lacks the documented fields. */
export function credentialsFromTokenAnswer(
  body: unknown,
  nowMs: number,
): BitrixCredentials | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const { access_token: access, refresh_token: refresh, expires_in: expiresIn } = record;
  if (typeof access !== 'string' || access === '') return undefined;
  if (typeof refresh !== 'string' || refresh === '') return undefined;
  const seconds = typeof expiresIn === 'number' ? expiresIn : Number(expiresIn);
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return {
    kind: 'oauth',
    accessToken: access,
    refreshToken: refresh,
    expiresAtMs: nowMs + seconds * 1000,
    memberId: typeof record.member_id === 'string' ? record.member_id : '',
  };
}
