import { randomBytes } from 'node:crypto';
import type { SandboxClock } from '../common/clock.ts';
import type { JsonObject } from './json.ts';

/**
 * amoCRM OAuth 2.0 as the sandbox plays it
 * (https://www.amocrm.ru/developers/content/oauth/step-by-step,
 * https://developers.kommo.com/reference/get-token): an integration has a client id,
 * secret and redirect URI; the account's admin installs it and amoCRM hands the
 * integration an authorization code (valid 20 minutes, once); POST /oauth2/access_token
 * swaps it for an access token (24 h) and a refresh token (3 months). Each refresh
 * answers a new pair and the used refresh token stops working (CRM-FACTS §1).
 * Private integrations may hold a long-lived token instead.
 */
export interface Integration {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
}

export interface OAuthOptions {
  readonly accessTokenLifetimeSeconds: number;
  readonly refreshTokenLifetimeSeconds: number;
  readonly authorizationCodeLifetimeSeconds: number;
}

export const defaultOAuthOptions: OAuthOptions = {
  accessTokenLifetimeSeconds: 86_400,
  refreshTokenLifetimeSeconds: 90 * 86_400,
  authorizationCodeLifetimeSeconds: 20 * 60,
};

type GrantState = 'active' | 'used';

interface Grant {
  readonly clientId: string;
  readonly expiresAtMs: number;
  state: GrantState;
}

interface AccessToken {
  /** null for a long-lived token, which belongs to no OAuth client. */
  readonly clientId: string | null;
  readonly expiresAtMs: number;
}

export type TokenCheck = 'valid' | 'missing' | 'unknown' | 'expired';

export type TokenExchange =
  | { readonly ok: true; readonly body: JsonObject }
  | { readonly ok: false; readonly status: 400 | 401; readonly hint: string };

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export class OAuthServer {
  private readonly integrations = new Map<string, Integration>();
  private codes = new Map<string, Grant>();
  private refreshTokens = new Map<string, Grant>();
  private accessTokens = new Map<string, AccessToken>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly options: OAuthOptions = defaultOAuthOptions,
  ) {}

  registerIntegration(integration: Integration): void {
    this.integrations.set(integration.clientId, integration);
  }

  /** What the account admin's "Install" click produces: a one-time authorization code. */
  issueAuthorizationCode(clientId: string): string {
    if (!this.integrations.has(clientId))
      throw new Error(`no integration with client_id ${clientId}`);
    const code = newSecret();
    this.codes.set(code, {
      clientId,
      expiresAtMs: this.clock.nowMs() + this.options.authorizationCodeLifetimeSeconds * 1000,
      state: 'active',
    });
    return code;
  }

  /** A long-lived token of a private integration (no refresh), valid until `expiresAtMs`. */
  issueLongLivedToken(lifetimeSeconds = 5 * 365 * 86_400): string {
    const token = newSecret();
    this.accessTokens.set(token, {
      clientId: null,
      expiresAtMs: this.clock.nowMs() + lifetimeSeconds * 1000,
    });
    return token;
  }

  /** Reads `Authorization: Bearer …`. */
  check(authorization: string | undefined): TokenCheck {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const token = match?.[1];
    if (token === undefined) return 'missing';
    const record = this.accessTokens.get(token);
    if (record === undefined) return 'unknown';
    return record.expiresAtMs <= this.clock.nowMs() ? 'expired' : 'valid';
  }

  /** POST /oauth2/access_token with grant_type authorization_code or refresh_token. */
  exchange(params: Record<string, unknown>): TokenExchange {
    const text = (name: string): string | undefined => {
      const value = params[name];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const grantType = text('grant_type');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return { ok: false, status: 400, hint: 'Check the `grant_type` parameter' };
    }
    const clientId = text('client_id');
    const integration = clientId === undefined ? undefined : this.integrations.get(clientId);
    if (integration === undefined || text('client_secret') !== integration.clientSecret) {
      return { ok: false, status: 401, hint: 'Client authentication failed' };
    }
    if (text('redirect_uri') !== integration.redirectUri) {
      return { ok: false, status: 400, hint: 'Redirect URI mismatch' };
    }
    const now = this.clock.nowMs();
    const [store, name] =
      grantType === 'authorization_code'
        ? [this.codes, 'code']
        : [this.refreshTokens, 'refresh_token'];
    const presented = text(name);
    if (presented === undefined)
      return { ok: false, status: 400, hint: `Check the \`${name}\` parameter` };
    const grant = store.get(presented);
    if (grant === undefined || grant.clientId !== integration.clientId) {
      return {
        ok: false,
        status: 400,
        hint:
          grantType === 'authorization_code'
            ? 'Cannot decrypt the authorization code'
            : 'Cannot decrypt the refresh token',
      };
    }
    if (grant.state === 'used') {
      return {
        ok: false,
        status: 400,
        hint:
          grantType === 'authorization_code'
            ? 'Authorization code has been revoked'
            : 'Token has been revoked',
      };
    }
    if (grant.expiresAtMs <= now) {
      return {
        ok: false,
        status: 400,
        hint:
          grantType === 'authorization_code'
            ? 'Authorization code has expired'
            : 'Token has expired',
      };
    }
    grant.state = 'used';
    return { ok: true, body: this.issuePair(integration.clientId) };
  }

  private issuePair(clientId: string): JsonObject {
    const now = this.clock.nowMs();
    const accessToken = newSecret();
    const refreshToken = newSecret();
    this.accessTokens.set(accessToken, {
      clientId,
      expiresAtMs: now + this.options.accessTokenLifetimeSeconds * 1000,
    });
    this.refreshTokens.set(refreshToken, {
      clientId,
      expiresAtMs: now + this.options.refreshTokenLifetimeSeconds * 1000,
      state: 'active',
    });
    return {
      token_type: 'Bearer',
      expires_in: this.options.accessTokenLifetimeSeconds,
      server_time: Math.floor(now / 1000),
      access_token: accessToken,
      refresh_token: refreshToken,
    };
  }

  /** Forgets every code and token; registered integrations stay. */
  revokeAll(): void {
    this.codes = new Map();
    this.refreshTokens = new Map();
    this.accessTokens = new Map();
  }

  snapshot(): JsonObject {
    const now = this.clock.nowMs();
    const live = (grants: Map<string, Grant>) =>
      [...grants.values()].filter((grant) => grant.state === 'active' && grant.expiresAtMs > now)
        .length;
    return {
      integrations: [...this.integrations.values()].map((integration) => ({
        client_id: integration.clientId,
        redirect_uri: integration.redirectUri,
      })),
      active_codes: live(this.codes),
      active_refresh_tokens: live(this.refreshTokens),
      valid_access_tokens: [...this.accessTokens.values()].filter(
        (token) => token.expiresAtMs > now,
      ).length,
    };
  }
}
