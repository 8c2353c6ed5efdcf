import type { LightMyRequestResponse } from 'fastify';
import { afterEach } from 'vitest';
import { SandboxClock } from '../common/clock.ts';
import { createAmoCrmSandbox } from './sandbox.ts';
import type { AmoCrmSandbox, AmoCrmSandboxOptions } from './sandbox-api.ts';

/** The integration tests install: values are the sandbox's own, not a real amoCRM app. */
export const testIntegration = {
  clientId: '5f0c7b0e-1111-4222-8333-944455556666',
  clientSecret: 'sandbox-secret',
  redirectUri: 'https://provod.example/oauth/amocrm',
};

export interface ConnectedSandbox {
  readonly sandbox: AmoCrmSandbox;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** A request with the bearer token, JSON body and the parsed JSON answer. */
  readonly api: (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
  ) => Promise<ApiAnswer>;
}

export interface ApiAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly raw: LightMyRequestResponse;
  /** The parsed body; throws for an empty or non-JSON body. */
  readonly json: () => Record<string, unknown>;
}

export function answerOf(raw: LightMyRequestResponse): ApiAnswer {
  return {
    status: raw.statusCode,
    contentType: String(raw.headers['content-type'] ?? ''),
    raw,
    json: () => raw.json<Record<string, unknown>>(),
  };
}

/**
 * A sandbox on a frozen clock with the test integration installed and a token pair
 * obtained through the real POST /oauth2/access_token. The rate limit is lifted unless
 * the test passes its own, so tests of other behaviour need not pace themselves.
 */
export async function connectedSandbox(
  options: AmoCrmSandboxOptions = {},
): Promise<ConnectedSandbox> {
  const sandbox = createAmoCrmSandbox({
    clock: SandboxClock.frozenAt(Date.UTC(2025, 0, 15, 9, 0, 0)),
    rateLimit: { perSecond: 1_000_000 },
    ...options,
  });
  const code = sandbox.install(testIntegration);
  const tokens = await sandbox.app.inject({
    method: 'POST',
    url: '/oauth2/access_token',
    payload: {
      client_id: testIntegration.clientId,
      client_secret: testIntegration.clientSecret,
      grant_type: 'authorization_code',
      code,
      redirect_uri: testIntegration.redirectUri,
    },
  });
  const pair = tokens.json<{ access_token: string; refresh_token: string }>();
  return {
    sandbox,
    accessToken: pair.access_token,
    refreshToken: pair.refresh_token,
    async api(method, url, body) {
      const raw = await sandbox.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${pair.access_token}` },
        ...(body === undefined
          ? {}
          : {
              payload: JSON.stringify(body),
              headers: {
                authorization: `Bearer ${pair.access_token}`,
                'content-type': 'application/json',
              },
            }),
      });
      return answerOf(raw);
    },
  };
}

export interface OpenedSandboxes {
  /** A connected sandbox (see connectedSandbox) closed after the test. */
  readonly connected: (options?: AmoCrmSandboxOptions) => Promise<ConnectedSandbox>;
  /** Closes a sandbox the test made itself after the test. */
  readonly track: (sandbox: AmoCrmSandbox) => AmoCrmSandbox;
}

/** Call once at the top of a test file: every sandbox it hands out is closed after each test. */
export function closeSandboxesAfterEach(): OpenedSandboxes {
  const opened: AmoCrmSandbox[] = [];
  afterEach(async () => {
    for (const sandbox of opened.splice(0)) await sandbox.close();
  });
  return {
    async connected(options) {
      const connection = await connectedSandbox(options);
      opened.push(connection.sandbox);
      return connection;
    },
    track(sandbox) {
      opened.push(sandbox);
      return sandbox;
    },
  };
}

/** `_embedded.<name>` of a HAL answer as a list of records. */
export function embedded(body: Record<string, unknown>, name: string): Record<string, unknown>[] {
  const holder = body._embedded;
  if (typeof holder !== 'object' || holder === null) return [];
  const list = (holder as Record<string, unknown>)[name];
  return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
}

/** The `path`s listed under `validation-errors`. */
export function errorPaths(body: Record<string, unknown>): string[] {
  const list = body['validation-errors'];
  if (!Array.isArray(list)) return [];
  return (list as { errors: { path: string }[] }[]).flatMap((item) =>
    item.errors.map((error) => error.path),
  );
}
