import { excerpt, type HttpExchange, type TraceSink } from '../http/exchange.ts';
import { RotatingTokens } from '../http/rotating-tokens.ts';
import { AmoCrmError } from './errors.ts';
import { systemClock, type Clock, type Pacer } from '../http/pacer.ts';
import { readAnswer, type AmoAnswer } from './response.ts';
import {
  credentialsFromTokenAnswer,
  tokenRequestBody,
  type AmoCredentials,
  type AmoIntegration,
  type TokenGrant,
  type AmoTokenStore,
} from './tokens.ts';
import {
  fetchTransport,
  TransportError,
  type HttpResponse,
  type HttpTransport,
} from '../http/transport.ts';

export interface AmoConnectionOptions {
  /** `https://SUBDOMAIN.amocrm.ru` (or .kommo.com, or a sandbox's URL); no trailing slash. */
  readonly baseUrl: string;
  /** Needed to exchange codes and refresh; not for a long-lived token. */
  readonly integration?: AmoIntegration;
  readonly tokens: AmoTokenStore;
  /** The account's pacer, shared by all its connections (PacerRegistry.forAccount). */
  readonly pacer: Pacer;
  readonly clock?: Clock;
  readonly transport?: HttpTransport;
  readonly timeoutMs?: number;
  /** Refresh this long before the access token expires rather than wait for a 401. */
  readonly refreshAheadMs?: number;
}

type Method = HttpExchange['method'];

/**
 * One amoCRM account: its address, its credentials and its share of the rate limit.
 * Every request is paced, carries the bearer token, refreshes once on a 401 and is
 * retried once; answers are read into bodies or typed AmoCrmErrors.
 */
export class AmoConnection {
  readonly baseUrl: string;
  private readonly clock: Clock;
  private readonly transport: HttpTransport;
  private readonly timeoutMs: number;
  private readonly refreshAheadMs: number;
  private readonly tokens: RotatingTokens<AmoCredentials>;

  constructor(private readonly options: AmoConnectionOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.clock = options.clock ?? systemClock;
    this.transport = options.transport ?? fetchTransport;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.refreshAheadMs = options.refreshAheadMs ?? 60_000;
    this.tokens = new RotatingTokens(options.tokens, (credentials) => credentials.accessToken);
  }

  /** The install step: swaps the authorization code and saves the pair before returning it. */
  async install(code: string, trace?: TraceSink): Promise<AmoCredentials> {
    return this.obtain({ grantType: 'authorization_code', code }, trace);
  }

  /** A request to the API; `undefined` for amoCRM's empty answers (204). */
  async request(method: Method, path: string, body?: unknown, trace?: TraceSink): Promise<unknown> {
    let credentials = await this.currentCredentials();
    if (
      credentials.kind === 'oauth' &&
      credentials.expiresAtMs - this.clock.nowMs() < this.refreshAheadMs
    )
      credentials = await this.refresh(credentials, trace);
    let answer = await this.send(method, path, body, credentials.accessToken, trace);
    if (answer.kind === 'unauthorized') {
      credentials = await this.afterUnauthorized(credentials, trace);
      answer = await this.send(method, path, body, credentials.accessToken, trace);
      if (answer.kind === 'unauthorized')
        throw new AmoCrmError('unauthorized', `${method} ${path}: 401 after a token refresh`, {
          status: 401,
          method,
          path,
        });
    }
    return answer.kind === 'ok' ? answer.body : undefined;
  }

  private async currentCredentials(): Promise<AmoCredentials> {
    const credentials = await this.tokens.current();
    if (credentials === null)
      throw new AmoCrmError('unauthorized', 'no amoCRM credentials: install the integration');
    return credentials;
  }

  /**
   * A 401 with a token we thought valid: another connection (or process) may have
   * refreshed already — then the store holds a newer pair and refreshing again would
   * revoke it. Otherwise refresh once.
   */
  private async afterUnauthorized(
    used: AmoCredentials,
    trace?: TraceSink,
  ): Promise<AmoCredentials> {
    if (used.kind === 'long_lived')
      throw new AmoCrmError('unauthorized', 'the long-lived token was refused (401)', {
        status: 401,
      });
    return (await this.tokens.newerThan(used)) ?? this.refresh(used, trace);
  }

  private refresh(used: AmoCredentials, trace?: TraceSink): Promise<AmoCredentials> {
    if (used.kind === 'long_lived') return Promise.resolve(used);
    return this.tokens.refreshOnce(used, () =>
      this.obtain({ grantType: 'refresh_token', refreshToken: used.refreshToken }, trace),
    );
  }

  /** POST /oauth2/access_token, then await the store's save, then — only then — use the pair. */
  private async obtain(grant: TokenGrant, trace?: TraceSink): Promise<AmoCredentials> {
    const integration = this.options.integration;
    if (integration === undefined)
      throw new AmoCrmError('unauthorized', 'no OAuth integration configured for this account');
    const path = '/oauth2/access_token';
    const response = await this.exchange(
      'POST',
      path,
      JSON.stringify(tokenRequestBody(integration, grant)),
      {},
      trace,
      // Codes, secrets and tokens never go into a trace.
      true,
    );
    let answer: AmoAnswer;
    try {
      answer = readAnswer(response, { method: 'POST', path, nowMs: this.clock.nowMs() });
    } catch (error) {
      if (
        error instanceof AmoCrmError &&
        (error.code === 'validation' || error.code === 'rejected')
      )
        throw new AmoCrmError(
          'oauth_refused',
          `the token endpoint refused the ${grant.grantType}`,
          {
            status: error.status,
            cause: error,
          },
        );
      throw error;
    }
    if (answer.kind === 'unauthorized')
      throw new AmoCrmError('oauth_refused', 'client authentication failed (401)', { status: 401 });
    const credentials =
      answer.kind === 'ok'
        ? credentialsFromTokenAnswer(answer.body, this.clock.nowMs())
        : undefined;
    if (credentials === undefined)
      throw new AmoCrmError('bad_response', 'the token endpoint answered without a token pair', {
        status: response.status,
      });
    try {
      await this.tokens.keep(credentials);
    } catch (error) {
      // The new pair is lost with this error; the old refresh token is already spent.
      // Nothing is sent with the unsaved pair, so at worst the integration needs a new
      // install — never a silent split between what amoCRM and our store believe.
      throw new AmoCrmError('token_store_failed', 'saving the new amoCRM token pair failed', {
        cause: error,
      });
    }
    return credentials;
  }

  private async send(
    method: Method,
    path: string,
    body: unknown,
    accessToken: string,
    trace?: TraceSink,
  ): Promise<AmoAnswer> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const response = await this.exchange(
      method,
      path,
      text,
      { authorization: `Bearer ${accessToken}` },
      trace,
      false,
    );
    return readAnswer(response, { method, path, nowMs: this.clock.nowMs() });
  }

  /** The paced HTTP exchange itself, recorded in the trace whatever happens. */
  private async exchange(
    method: Method,
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
    trace: TraceSink | undefined,
    secret: boolean,
  ): Promise<HttpResponse> {
    await this.options.pacer.acquire();
    const startedMs = this.clock.nowMs();
    const record = (
      status: number | null,
      responseText: string | undefined,
      error: string | null,
    ) =>
      trace?.({
        at: new Date(startedMs).toISOString(),
        method,
        path,
        status,
        durationMs: this.clock.nowMs() - startedMs,
        request: secret ? (body === undefined ? null : '[redacted]') : excerpt(body),
        response: secret ? '[redacted]' : excerpt(responseText),
        error,
      });
    let response: HttpResponse;
    try {
      response = await this.transport.send({
        method,
        url: `${this.baseUrl}${path}`,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body,
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      if (error instanceof TransportError) {
        record(null, undefined, error.kind);
        throw new AmoCrmError(error.kind, `${method} ${path}: ${error.message}`, {
          method,
          path,
          cause: error,
        });
      }
      throw error;
    }
    let readAs: string | null = null;
    try {
      readAnswer(response, { method, path, nowMs: startedMs });
    } catch (error) {
      if (!(error instanceof AmoCrmError)) throw error;
      readAs = error.code;
    }
    record(response.status, response.text, response.status === 401 ? 'unauthorized' : readAs);
    return response;
  }
}
