import { afterEach } from 'vitest';
import {
  createBitrix24Sandbox,
  defaultSandboxApp,
  SandboxClock,
  type Bitrix24Sandbox,
  type Bitrix24SandboxOptions,
} from '@provod/crm-sandbox';
import { Bitrix24Client } from '../src/bitrix24/client.ts';
import { Bitrix24Connection } from '../src/bitrix24/connection.ts';
import type { BitrixApp, BitrixCredentials } from '../src/bitrix24/tokens.ts';
import { LeakyBucketPacer } from '../src/http/leaky-bucket-pacer.ts';
import type { Clock } from '../src/http/pacer.ts';
import type { InFlight } from './amocrm-sandbox.ts';
import { MemoryTokenStore } from '../src/http/token-store.ts';
import { fetchTransport, type HttpTransport } from '../src/http/transport.ts';

/** The sandbox's own application, installed the way a portal administrator would. */
export function sandboxApp(url: string): BitrixApp {
  return {
    clientId: defaultSandboxApp.clientId,
    clientSecret: defaultSandboxApp.clientSecret,
    oauthUrl: url,
  };
}

/** The client's clock is the sandbox's frozen clock: pacing sleeps move the portal's time. */
export function bitrixDrivenClock(sandbox: Bitrix24Sandbox, inFlight: InFlight): Clock {
  return {
    nowMs: () => sandbox.clock.nowMs(),
    sleep: async (ms) => {
      while (inFlight.count > 0) await new Promise((resolve) => setImmediate(resolve));
      if (ms > 0) sandbox.clock.advance(ms);
    },
  };
}

function countingTransport(inFlight: InFlight, requests: string[]): HttpTransport {
  return {
    async send(request) {
      inFlight.count += 1;
      requests.push(`${request.method} ${new URL(request.url).pathname}`);
      try {
        return await fetchTransport.send(request);
      } finally {
        inFlight.count -= 1;
      }
    },
  };
}

export interface BitrixHarness {
  readonly sandbox: Bitrix24Sandbox;
  readonly url: string;
  readonly clock: Clock;
  readonly tokens: MemoryTokenStore<BitrixCredentials>;
  readonly connection: Bitrix24Connection;
  readonly client: Bitrix24Client;
  /** `POST /rest/crm.contact.add.json`, … in the order sent. */
  readonly requests: string[];
}

const opened: Bitrix24Sandbox[] = [];

/** Call at the top of a test file: every sandbox it opens is closed after each test. */
export function closeBitrixSandboxesAfterEach(): void {
  afterEach(async () => {
    for (const sandbox of opened.splice(0)) await sandbox.app.close();
  });
}

export const sandboxStart = Date.UTC(2026, 2, 10, 8, 0, 0);

/**
 * A listening Bitrix24 sandbox (127.0.0.1, port 0) with the portal's real leaky bucket and a
 * frozen clock, and a connection installed through the real /oauth/token/ exchange.
 */
export async function openBitrixHarness(
  options: Bitrix24SandboxOptions = {},
  install: 'oauth' | 'webhook' = 'oauth',
): Promise<BitrixHarness> {
  const sandbox = createBitrix24Sandbox({
    clock: SandboxClock.frozenAt(sandboxStart),
    users: [
      { ID: 1, NAME: 'Anna', LAST_NAME: 'Admin', EMAIL: 'anna@example.com', IS_ADMIN: true },
      { ID: 2, NAME: 'Boris', EMAIL: 'boris@example.com', UF_PHONE_INNER: '102' },
      { ID: 3, NAME: 'Fired', ACTIVE: false, UF_PHONE_INNER: '103' },
    ],
    webhooks: [{ userId: 1, code: 'hook123', scope: ['crm', 'user', 'task', 'im', 'telephony'] }],
    ...options,
  });
  opened.push(sandbox);
  const url = await sandbox.app.listen({ port: 0, host: '127.0.0.1' });
  const inFlight: InFlight = { count: 0 };
  const requests: string[] = [];
  const clock = bitrixDrivenClock(sandbox, inFlight);
  const tokens = new MemoryTokenStore<BitrixCredentials>(
    install === 'webhook' ? { kind: 'webhook', url: `${url}/rest/1/hook123/` } : null,
  );
  const connection = new Bitrix24Connection({
    baseUrl: url,
    app: sandboxApp(url),
    tokens,
    pacer: new LeakyBucketPacer(clock),
    clock,
    transport: countingTransport(inFlight, requests),
    timeoutMs: 5_000,
  });
  if (install === 'oauth')
    await connection.install(sandbox.authorize(defaultSandboxApp.clientId, 1));
  return {
    sandbox,
    url,
    clock,
    tokens,
    connection,
    client: new Bitrix24Client(connection),
    requests,
  };
}
