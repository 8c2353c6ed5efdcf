import { excerpt, type HttpExchange, type TraceSink } from '../http/exchange.ts';
import { systemClock, type Clock, type Pacer } from '../http/pacer.ts';
import { RotatingTokens } from '../http/rotating-tokens.ts';
import {
  fetchTransport,
  TransportError,
  type HttpResponse,
  type HttpTransport,
} from '../http/transport.ts';
import { readBitrixAnswer, type BitrixAnswer, type BitrixResult } from './answer.ts';
import { Bitrix24Error } from './errors.ts';
import {
  credentialsFromTokenAnswer,
  tokenRequestUrl,
  type BitrixApp,
  type BitrixCredentials,
  type BitrixGrant,
  type BitrixTokenStore,
} from './tokens.ts';

export interface Bitrix24ConnectionOptions {
  /** The portal: `https://company.bitrix24.ru` (or a sandbox's URL); no trailing slash. */
  readonly baseUrl: string;
  /** Needed to install and refresh; not for an incoming webhook. */
  readonly app?: BitrixApp;
  readonly tokens: BitrixTokenStore;
  /** The portal's pacer, shared by its connections (a LeakyBucketPacer). */
  readonly pacer: Pacer;
  readonly clock?: Clock;
  readonly transport?: HttpTransport;
  readonly timeoutMs?: number;
  /** Refresh this long before the access token expires rather than wait for a 401. */
  readonly refreshAheadMs?: number;
}

export type BitrixParams = Readonly<Record<string, unknown>>;

/**
 * One Bitrix24 portal: its address, the application's tokens (or a webhook) and its share
 * of the portal's leaky bucket. Every call is paced, posted as JSON to
 * `/rest/<method>.json` with `auth` in the query (so no token reaches a trace), refreshes
 * once on expired_token and is sent again once.
 */
export class Bitrix24Connection {
  readonly baseUrl: string;
  private readonly clock: Clock;
  private readonly transport: HttpTransport;
  private readonly timeoutMs: number;
  private readonly refreshAheadMs: number;
  private readonly tokens: RotatingTokens<BitrixCredentials>;

  constructor(private readonly options: Bitrix24ConnectionOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.clock = options.clock ?? systemClock;
    this.transport = options.transport ?? fetchTransport;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.refreshAheadMs = options.refreshAheadMs ?? 60_000;
    this.tokens = new RotatingTokens(options.tokens, (credentials) =>
      credentials.kind === 'oauth' ? credentials.accessToken : credentials.url,
    );
  }

  /** The install step: swaps the code from the install redirect and saves the pair. */
  install(code: string, trace?: TraceSink): Promise<BitrixCredentials> {
    return this.obtain({ grantType: 'authorization_code', code }, trace);
  }

  /** Whether the telephony methods are open to this connection (not to a webhook). */
  async isApplication(): Promise<boolean> {
    return (await this.currentCredentials()).kind === 'oauth';
  }

  async call(method: string, params: BitrixParams = {}, trace?: TraceSink): Promise<BitrixResult> {
    let credentials = await this.currentCredentials();
    if (
      credentials.kind === 'oauth' &&
      credentials.expiresAtMs - this.clock.nowMs() < this.refreshAheadMs
    )
      credentials = await this.refresh(credentials, trace);
    let answer = await this.send(method, params, credentials, trace);
    if (answer.kind === 'unauthorized') {
      credentials = await this.afterUnauthorized(credentials, answer.portalCode, trace);
      answer = await this.send(method, params, credentials, trace);
      if (answer.kind === 'unauthorized')
        throw new Bitrix24Error('unauthorized', `${method}: ${answer.portalCode} after a refresh`, {
          status: 401,
          method,
          portalCode: answer.portalCode,
        });
    }
    return answer.body;
  }

  private async currentCredentials(): Promise<BitrixCredentials> {
    const credentials = await this.tokens.current();
    if (credentials === null)
      throw new Bitrix24Error('unauthorized', 'no Bitrix24 credentials: install the application');
    return credentials;
  }

  /** Another connection or process may have refreshed already: then use its pair. */
  private async afterUnauthorized(
    used: BitrixCredentials,
    portalCode: string,
    trace?: TraceSink,
  ): Promise<BitrixCredentials> {
    if (used.kind === 'webhook')
      throw new Bitrix24Error('unauthorized', `the incoming webhook was refused (${portalCode})`, {
        status: 401,
        portalCode,
      });
    return (await this.tokens.newerThan(used)) ?? this.refresh(used, trace);
  }

  private refresh(used: BitrixCredentials, trace?: TraceSink): Promise<BitrixCredentials> {
    if (used.kind === 'webhook') return Promise.resolve(used);
    return this.tokens.refreshOnce(used, () =>
      this.obtain({ grantType: 'refresh_token', refreshToken: used.refreshToken }, trace),
    );
  }

  private async obtain(grant: BitrixGrant, trace?: TraceSink): Promise<BitrixCredentials> {
    const app = this.options.app;
    if (app === undefined)
      throw new Bitrix24Error('unauthorized', 'no Bitrix24 application configured for the portal');
    const response = await this.exchange(
      { method: 'GET', url: tokenRequestUrl(app, grant), path: '/oauth/token/' },
      undefined,
      trace,
      true,
    );
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      body = undefined;
    }
    if (response.status >= 500)
      throw new Bitrix24Error(
        'server_error',
        `the authorization server failed (${response.status})`,
        {
          status: response.status,
        },
      );
    if (response.status >= 400) {
      const error =
        typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : '';
      throw new Bitrix24Error(
        'oauth_refused',
        `the authorization server refused the ${grant.grantType}${error === '' ? '' : ` (${error})`}`,
        { status: response.status, portalCode: error },
      );
    }
    const credentials = credentialsFromTokenAnswer(body, this.clock.nowMs());
    if (credentials === undefined)
      throw new Bitrix24Error('bad_response', 'the authorization server answered without a pair', {
        status: response.status,
      });
    try {
      await this.tokens.keep(credentials);
    } catch (error) {
      throw new Bitrix24Error('token_store_failed', 'saving the new Bitrix24 token pair failed', {
        cause: error,
      });
    }
    return credentials;
  }

  private async send(
    method: string,
    params: BitrixParams,
    credentials: BitrixCredentials,
    trace?: TraceSink,
  ): Promise<BitrixAnswer> {
    const url =
      credentials.kind === 'oauth'
        ? `${this.baseUrl}/rest/${method}.json?auth=${encodeURIComponent(credentials.accessToken)}`
        : `${credentials.url.replace(/\/?$/, '/')}${method}.json`;
    const body = JSON.stringify(params);
    const response = await this.exchange(
      { method: 'POST', url, path: `/rest/${method}` },
      body,
      trace,
      false,
    );
    return readBitrixAnswer(response, method);
  }

  /** The paced HTTP exchange itself, recorded in the trace whatever happens. */
  private async exchange(
    target: { method: 'GET' | 'POST'; url: string; path: string },
    body: string | undefined,
    trace: TraceSink | undefined,
    secret: boolean,
  ): Promise<HttpResponse> {
    await this.options.pacer.acquire();
    const startedMs = this.clock.nowMs();
    const record = (status: number | null, text: string | undefined, error: string | null) => {
      const exchange: HttpExchange = {
        at: new Date(startedMs).toISOString(),
        method: target.method,
        path: target.path,
        status,
        durationMs: this.clock.nowMs() - startedMs,
        request: secret ? null : excerpt(body),
        response: secret ? '[redacted]' : excerpt(text),
        error,
      };
      trace?.(exchange);
    };
    let response: HttpResponse;
    try {
      response = await this.transport.send({
        method: target.method,
        url: target.url,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body,
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      if (error instanceof TransportError) {
        record(null, undefined, error.kind);
        throw new Bitrix24Error(error.kind, `${target.path}: ${error.message}`, {
          method: target.path,
          cause: error,
        });
      }
      throw error;
    }
    let readAs: string | null = null;
    if (!secret) {
      try {
        const answer = readBitrixAnswer(response, target.path);
        if (answer.kind === 'unauthorized') readAs = 'unauthorized';
      } catch (error) {
        if (!(error instanceof Bitrix24Error)) throw error;
        readAs = error.portalCode ?? error.code;
      }
    } else if (response.status >= 400) readAs = 'oauth_refused';
    record(response.status, response.text, readAs);
    return response;
  }
}
