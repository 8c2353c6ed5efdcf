/**
 * Shared set-up for the Bitrix24 sandbox tests: a frozen, test-driven clock, two users
 * with extensions, one incoming webhook and an access token of the default application.
 */
import { SandboxClock } from '../common/clock.ts';
import { isJsonObject, toJson, type Json, type JsonObject } from './params.ts';
import { createBitrix24Sandbox, defaultSandboxApp } from './sandbox.ts';
import type { Bitrix24Sandbox, Bitrix24SandboxOptions } from './sandbox-types.ts';

export const fixedStart = Date.UTC(2026, 2, 10, 8, 0, 0);
export const webhookPath = '/rest/1/hookcode123';

export interface Reply {
  status: number;
  body: Json;
}

export interface Fixture {
  sandbox: Bitrix24Sandbox;
  token: string;
  /** POST /rest/<method> with a JSON body and the application's token. */
  rest: (method: string, params?: JsonObject, token?: string) => Promise<Reply>;
  /** POST a form body (PHP bracket keys) to any path. */
  form: (url: string, body: string) => Promise<Reply>;
  get: (url: string) => Promise<Reply>;
}

export function makeFixture(options: Bitrix24SandboxOptions = {}): Fixture {
  const sandbox = createBitrix24Sandbox({
    clock: SandboxClock.frozenAt(fixedStart),
    webhooks: [
      { userId: 1, code: 'hookcode123', scope: ['telephony', 'crm', 'user', 'task', 'im'] },
    ],
    users: [
      { ID: 1, NAME: 'Anna', LAST_NAME: 'Admin', UF_PHONE_INNER: '101', IS_ADMIN: true },
      { ID: 2, NAME: 'Boris', LAST_NAME: 'Agent', UF_PHONE_INNER: '102' },
      { ID: 3, NAME: 'Fired', ACTIVE: false, UF_PHONE_INNER: '103' },
    ],
    ...options,
  });
  const token = sandbox.issueTokens(defaultSandboxApp.clientId, 1).access_token;
  const parse = (status: number, text: string): Reply => ({
    status,
    body: text === '' ? null : toJson(JSON.parse(text)),
  });
  return {
    sandbox,
    token,
    async rest(method, params = {}, useToken = token) {
      const response = await sandbox.app.inject({
        method: 'POST',
        url: `/rest/${method}`,
        payload: { ...params, auth: useToken },
      });
      return parse(response.statusCode, response.body);
    },
    async form(url, body) {
      const response = await sandbox.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: body,
      });
      return parse(response.statusCode, response.body);
    },
    async get(url) {
      const response = await sandbox.app.inject({ method: 'GET', url });
      return parse(response.statusCode, response.body);
    },
  };
}

/** Walks into a JSON answer: at(body, 'result', 'CALL_ID'). */
export function at(value: Json | undefined, ...path: (string | number)[]): Json | undefined {
  let node = value;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isJsonObject(node)) node = node[String(key)];
    else return undefined;
  }
  return node;
}

export function text(value: Json | undefined): string {
  if (typeof value !== 'string')
    throw new TypeError(`expected a string, got ${JSON.stringify(value)}`);
  return value;
}
