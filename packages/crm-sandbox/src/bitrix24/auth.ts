/**
 * Who is calling: an application with an OAuth access token (`auth=` parameter) or an
 * incoming webhook (`/rest/<user_id>/<code>/<method>`), and the authorization server that
 * issues and refreshes the application's tokens.
 * settings/oauth/index.md (code lives 30 s, access token one hour, refresh token 180 days,
 * token response fields), settings/oauth/auto-renewal.md (refresh returns a new pair;
 * "retain it instead of the previous one"), settings/oauth/error-codes.md,
 * settings/how-to-call-rest-api/index.md (the two ways to authorize) — bitrix24/b24restdocs.
 */
import { randomBytes } from 'node:crypto';
import type { SandboxClock } from '../common/clock.ts';
import { B24Error, systemErrors } from './errors.ts';
import { paramString, type JsonObject } from './params.ts';

export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  name?: string;
  /** Scopes from the application card, e.g. ['telephony','crm','user','task','im']. */
  scope: readonly string[];
  /** Where /oauth/authorize/ sends the user back with ?code=… (settings/oauth/index.md). */
  redirectUri?: string;
}

export interface WebhookRegistration {
  userId: number;
  code: string;
  scope: readonly string[];
}

export type AuthContext =
  | {
      readonly kind: 'oauth';
      readonly clientId: string;
      readonly userId: number;
      readonly scope: readonly string[];
    }
  | { readonly kind: 'webhook'; readonly userId: number; readonly scope: readonly string[] };

export interface TokenResponse {
  access_token: string;
  client_endpoint: string;
  domain: string;
  expires: number;
  expires_in: number;
  member_id: string;
  refresh_token: string;
  scope: string;
  server_endpoint: string;
  status: string;
  user_id: number;
}

interface AccessGrant {
  clientId: string;
  userId: number;
  expiresAtMs: number;
}

export interface OAuthTimings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  codeTtlSeconds: number;
}

export const defaultOAuthTimings: OAuthTimings = {
  accessTokenTtlSeconds: 3600,
  refreshTokenTtlSeconds: 180 * 24 * 3600,
  codeTtlSeconds: 30,
};

/** settings/oauth/error-codes.md; the HTTP status is not documented (400 assumed). */
function oauthError(code: string, description: string): B24Error {
  return new B24Error(400, code, description);
}

export class OAuthServer {
  private codes = new Map<string, AccessGrant>();
  private accessTokens = new Map<string, AccessGrant>();
  private refreshTokens = new Map<string, AccessGrant>();
  /** How many token pairs were issued per application, for tests of refresh handling. */
  issued = new Map<string, number>();

  constructor(
    private readonly clock: SandboxClock,
    readonly apps: ReadonlyMap<string, AppRegistration>,
    readonly webhooks: readonly WebhookRegistration[],
    readonly timings: OAuthTimings,
    private readonly memberId: string,
  ) {}

  reset(): void {
    this.codes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.issued.clear();
  }

  /** The one-time code Bitrix24 hands back after the user authorizes the application. */
  authorize(clientId: string, userId: number): string {
    if (!this.apps.has(clientId)) throw oauthError('invalid_client', 'Application not installed');
    const code = token();
    const expiresAtMs = this.clock.nowMs() + this.timings.codeTtlSeconds * 1000;
    this.codes.set(code, { clientId, userId, expiresAtMs });
    return code;
  }

  /** GET /oauth/token/?grant_type=authorization_code|refresh_token&client_id&client_secret&… */
  exchange(query: JsonObject, clientEndpoint: string, serverEndpoint: string): TokenResponse {
    const grantType = paramString(query, 'grant_type');
    const clientId = paramString(query, 'client_id');
    const clientSecret = paramString(query, 'client_secret');
    if (grantType === undefined || clientId === undefined || clientSecret === undefined) {
      throw oauthError('invalid_request', 'grant_type, client_id and client_secret are required');
    }
    const app = this.apps.get(clientId);
    if (app === undefined || app.clientSecret !== clientSecret) {
      throw oauthError('invalid_client', 'Invalid client_id or client_secret');
    }
    let grant: AccessGrant;
    if (grantType === 'authorization_code') {
      grant = this.consume(this.codes, paramString(query, 'code'), clientId);
    } else if (grantType === 'refresh_token') {
      // auto-renewal.md: each renewal returns a new refresh token to keep instead of the
      // old one; the sandbox retires the old one (CRM-FACTS: rotation must be stored).
      grant = this.consume(this.refreshTokens, paramString(query, 'refresh_token'), clientId);
    } else {
      throw oauthError('invalid_request', `Unsupported grant_type ${grantType}`);
    }
    return this.issue(app, grant.userId, clientEndpoint, serverEndpoint);
  }

  /** A fresh pair for an application and user, as Bitrix24 puts into an event's auth[…]. */
  issue(
    app: AppRegistration,
    userId: number,
    clientEndpoint: string,
    serverEndpoint: string,
  ): TokenResponse {
    const now = this.clock.nowMs();
    const accessToken = token();
    const refreshToken = token();
    const expiresAtMs = now + this.timings.accessTokenTtlSeconds * 1000;
    this.accessTokens.set(accessToken, { clientId: app.clientId, userId, expiresAtMs });
    this.refreshTokens.set(refreshToken, {
      clientId: app.clientId,
      userId,
      expiresAtMs: now + this.timings.refreshTokenTtlSeconds * 1000,
    });
    this.issued.set(app.clientId, (this.issued.get(app.clientId) ?? 0) + 1);
    return {
      access_token: accessToken,
      client_endpoint: clientEndpoint,
      domain: new URL(serverEndpoint).host,
      expires: Math.floor(expiresAtMs / 1000),
      expires_in: this.timings.accessTokenTtlSeconds,
      member_id: this.memberId,
      refresh_token: refreshToken,
      scope: app.scope.join(','),
      server_endpoint: serverEndpoint,
      status: 'L',
      user_id: userId,
    };
  }

  private consume(
    table: Map<string, AccessGrant>,
    value: string | undefined,
    clientId: string,
  ): AccessGrant {
    const grant = value === undefined ? undefined : table.get(value);
    if (value === undefined || grant === undefined || grant.clientId !== clientId) {
      throw oauthError('invalid_grant', 'Invalid authorization data');
    }
    table.delete(value);
    if (grant.expiresAtMs <= this.clock.nowMs()) {
      throw oauthError('invalid_grant', 'The authorization data has expired');
    }
    return grant;
  }

  resolveAccessToken(accessToken: string): AuthContext {
    const grant = this.accessTokens.get(accessToken);
    if (grant === undefined) throw systemErrors.invalidToken();
    if (grant.expiresAtMs <= this.clock.nowMs()) throw systemErrors.expiredToken();
    const app = this.apps.get(grant.clientId);
    if (app === undefined) throw systemErrors.invalidToken();
    return { kind: 'oauth', clientId: app.clientId, userId: grant.userId, scope: app.scope };
  }

  resolveWebhook(userId: number, code: string): AuthContext {
    const hook = this.webhooks.find((item) => item.userId === userId && item.code === code);
    if (hook === undefined) throw systemErrors.noAuthFound();
    return { kind: 'webhook', userId: hook.userId, scope: hook.scope };
  }
}

function token(): string {
  return randomBytes(16).toString('hex');
}
