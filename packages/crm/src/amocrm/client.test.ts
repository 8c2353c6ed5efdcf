import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  closeSandboxesAfterEach,
  integration,
  loggedTransport,
  openHarness,
} from '../../test/amocrm-sandbox.ts';
import { AmoCrmClient } from './client.ts';
import type { HttpExchange } from '../http/exchange.ts';
import { AmoConnection } from './connection.ts';
import { AmoCrmError } from './errors.ts';
import { RequestPacer } from '../http/pacer.ts';
import { MemoryTokenStore } from '../http/token-store.ts';

closeSandboxesAfterEach();

async function failure(promise: Promise<unknown>): Promise<AmoCrmError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AmoCrmError) return error;
    throw error;
  }
  throw new Error('the request did not fail');
}

/** The index in the log of the first API request carrying this access token. */
function firstUse(log: readonly string[], token: string): number {
  return log.findIndex((line) =>
    line.startsWith('GET ') || line.startsWith('POST /api') ? line.endsWith(` ${token}`) : false,
  );
}

function refreshes(log: readonly string[]): number {
  return log.filter((line) => line.startsWith('POST /oauth2/access_token')).length;
}

describe('OAuth', () => {
  it('install: the pair is saved before any API request uses it', async () => {
    const { log, store, client } = await openHarness();
    await client.listUsers();
    const pair = store.saved[0];
    expect(pair?.kind).toBe('oauth');
    if (pair === undefined) return;
    expect(log[0]).toBe('POST /oauth2/access_token -');
    expect(log.indexOf(`save ${pair.accessToken}`)).toBeLessThan(firstUse(log, pair.accessToken));
  });

  it('refresh rotates the pair, saves it before use, and the old refresh token is dead', async () => {
    const { sandbox, log, store, client } = await openHarness();
    const first = store.saved[0];
    if (first?.kind !== 'oauth') throw new Error('no oauth pair after install');
    // A day later the access token has expired: the client refreshes before sending.
    sandbox.clock.advance(86_400_000);
    await client.listUsers();
    const second = store.saved[1];
    if (second?.kind !== 'oauth') throw new Error('no refreshed pair');
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(log.indexOf(`save ${second.accessToken}`)).toBeLessThan(
      firstUse(log, second.accessToken),
    );
    expect(firstUse(log, first.accessToken)).toBe(-1);
    const reuse = await sandbox.app.inject({
      method: 'POST',
      url: '/oauth2/access_token',
      payload: { ...tokenBody(), grant_type: 'refresh_token', refresh_token: first.refreshToken },
    });
    expect(reuse.statusCode).toBe(400);
  });

  it('a failing save: the new pair is never used and the error says so', async () => {
    const { sandbox, log, store, client } = await openHarness();
    sandbox.clock.advance(86_400_000);
    store.failNextSave = true;
    const error = await failure(client.listUsers());
    expect(error.code).toBe('token_store_failed');
    expect(error.retryable).toBe(true);
    expect(log.at(-1)).toBe('save failed');
    expect(log.filter((line) => line.startsWith('GET '))).toEqual([]);
  });

  it('401 on a valid-looking token: one refresh, one retry, success', async () => {
    const { sandbox, log, client } = await openHarness();
    sandbox.faults.add({
      pathPrefix: '/api/v4/users',
      fault: { kind: 'token_expired' },
      remaining: 1,
    });
    const exchanges: HttpExchange[] = [];
    const users = await client.withTrace((exchange) => exchanges.push(exchange)).listUsers();
    expect(users.map((user) => user.name)).toEqual(['Администратор']);
    expect(refreshes(log)).toBe(2); // install + one refresh
    expect(
      exchanges.map(
        (exchange) => `${exchange.method} ${exchange.path.split('?')[0]} ${exchange.status}`,
      ),
    ).toEqual(['GET /api/v4/users 401', 'POST /oauth2/access_token 200', 'GET /api/v4/users 200']);
    // Secrets never reach the trace.
    expect(exchanges[1]?.request).toBe('[redacted]');
    expect(exchanges[1]?.response).toBe('[redacted]');
  });

  it('401 again after the refresh: unauthorized, and only one refresh', async () => {
    const { sandbox, log, client } = await openHarness();
    sandbox.faults.add({
      pathPrefix: '/api/v4/users',
      fault: { kind: 'token_expired' },
      remaining: 5,
    });
    const error = await failure(client.listUsers());
    expect(error.code).toBe('unauthorized');
    expect(error.retryable).toBe(false);
    expect(refreshes(log)).toBe(2);
  });

  it('two requests hit by 401 at once share one refresh', async () => {
    const { sandbox, log, client } = await openHarness();
    sandbox.faults.add({ pathPrefix: '/api/v4/', fault: { kind: 'token_expired' }, remaining: 2 });
    await Promise.all([client.listUsers(), client.findContactsByPhone('+79161234567')]);
    expect(refreshes(log)).toBe(2);
  });

  it('a refused code is oauth_refused, permanent', async () => {
    const { sandbox } = await openHarness();
    const connection = new AmoConnection({
      baseUrl: sandbox.url ?? '',
      integration,
      tokens: new MemoryTokenStore(),
      pacer: new RequestPacer({ nowMs: () => 0, sleep: async () => undefined }),
    });
    const error = await failure(connection.install('not-a-code'));
    expect(error.code).toBe('oauth_refused');
    expect(error.retryable).toBe(false);
  });

  it('a long-lived token works without an integration and is never refreshed', async () => {
    const { sandbox, clock } = await openHarness();
    const log: string[] = [];
    const connection = new AmoConnection({
      baseUrl: sandbox.url ?? '',
      tokens: new MemoryTokenStore({
        kind: 'long_lived',
        accessToken: sandbox.issueLongLivedToken(),
      }),
      pacer: new RequestPacer(clock),
      clock,
      transport: loggedTransport(log),
    });
    expect(await new AmoCrmClient(connection).findContactsByPhone('+79161234567')).toEqual([]);
    sandbox.faults.add({ pathPrefix: '/api/v4/', fault: { kind: 'token_expired' }, remaining: 1 });
    expect((await failure(new AmoCrmClient(connection).listUsers())).code).toBe('unauthorized');
    expect(refreshes(log)).toBe(0);
  });
});

function tokenBody(): Record<string, string> {
  return {
    client_id: integration.clientId,
    client_secret: integration.clientSecret,
    redirect_uri: integration.redirectUri,
  };
}

describe('pacing against the sandbox limiter (7 requests/s on its clock)', () => {
  it('20 requests from two clients of one account never exceed 7 in any second', async () => {
    const { sandbox, connection, pacer, clock, store, inFlight } = await openHarness();
    const exchanges: HttpExchange[] = [];
    const second = new AmoConnection({
      baseUrl: sandbox.url ?? '',
      integration,
      tokens: new MemoryTokenStore(await store.load()),
      pacer,
      clock,
      transport: loggedTransport([], inFlight),
    });
    const clients = [
      new AmoCrmClient(connection, (exchange) => exchanges.push(exchange)),
      new AmoCrmClient(second, (exchange) => exchanges.push(exchange)),
    ];
    await Promise.all(
      Array.from(
        { length: 20 },
        (_, index) =>
          (index % 2 === 0 ? clients[0] : clients[1])?.findContactsByPhone('+79161234567') ??
          Promise.reject(new Error('no client')),
      ),
    );
    expect(exchanges).toHaveLength(20);
    expect(exchanges.every((exchange) => exchange.status === 204)).toBe(true);
    const times = exchanges.map((exchange) => Date.parse(exchange.at)).sort((a, b) => a - b);
    const busiest = Math.max(
      ...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length),
    );
    expect(busiest).toBe(7);
    expect(sandbox.rateLimiter.snapshot().recent_violations).toBe(0);
  });

  it('without pacing the same burst is refused with 429 (the limiter is real)', async () => {
    const { client } = await openHarness({}, 1000);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => client.findContactsByPhone('+79161234567')),
    );
    const limited = results.filter(
      (result) =>
        result.status === 'rejected' &&
        result.reason instanceof AmoCrmError &&
        result.reason.code === 'rate_limited',
    );
    expect(limited.length).toBeGreaterThan(0);
  });
});

describe('errors', () => {
  it('a 429 storm: retryable errors with a hint, then success', async () => {
    const { sandbox, client } = await openHarness({ limitResponseFormat: 'html' });
    sandbox.faults.add({
      pathPrefix: '/api/v4/contacts',
      fault: { kind: 'rate_limited' },
      remaining: 3,
    });
    const errors: AmoCrmError[] = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      try {
        await client.findContactsByPhone('+79161234567');
        break;
      } catch (error) {
        if (!(error instanceof AmoCrmError)) throw error;
        errors.push(error);
      }
    }
    expect(errors.map((error) => [error.code, error.retryable, error.status])).toEqual([
      ['rate_limited', true, 429],
      ['rate_limited', true, 429],
      ['rate_limited', true, 429],
    ]);
    expect(errors.every((error) => error.retryAfterMs > 0)).toBe(true);
  });

  it('a 502 HTML page is a retryable server error', async () => {
    const { sandbox, client } = await openHarness();
    sandbox.faults.add({
      pathPrefix: '/api/v4/calls',
      fault: { kind: 'status', status: 502, body: '<html><body>502 Bad Gateway</body></html>' },
      remaining: 1,
    });
    const error = await failure(
      client.addCalls([
        { direction: 'inbound', uniq: 'u', duration: 1, source: 'provod', phone: '+79161234567' },
      ]),
    );
    expect([error.code, error.retryable, error.status]).toEqual(['server_error', true, 502]);
  });

  it('a validation error is permanent and carries amoCRM paths', async () => {
    const { client } = await openHarness();
    const error = await failure(
      client.createContact({ name: 'X', phone: '+79161234567', responsibleUserId: 999 }),
    );
    expect(error.code).toBe('validation');
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(400);
    expect(error.paths).toEqual(['responsible_user_id']);
  });

  it('a refused connection is a retryable network error', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
    const connection = new AmoConnection({
      baseUrl: `http://127.0.0.1:${port}`,
      tokens: new MemoryTokenStore({ kind: 'long_lived', accessToken: 't' }),
      pacer: new RequestPacer({ nowMs: () => 0, sleep: async () => undefined }),
    });
    const error = await failure(new AmoCrmClient(connection).listUsers());
    expect([error.code, error.retryable]).toEqual(['network', true]);
  });
});

describe('methods', () => {
  it('finds contacts by any spelling of the number, 204 as none', async () => {
    const { sandbox, client } = await openHarness();
    expect(await client.findContactsByPhone('+79161234567')).toEqual([]);
    const [userId] = sandbox.seed({ users: [{ name: 'Ольга', email: 'olga@example.com' }] }).users;
    sandbox.seed({
      contacts: [
        { name: 'Иван', phones: ['8 (916) 123-45-67'], responsible_user_id: userId },
        { name: 'Пётр', phones: ['+7 916 123-45-670'] },
      ],
    });
    const found = await client.findContactsByPhone('79161234567');
    expect(found.map((contact) => [contact.name, contact.responsibleUserId])).toEqual([
      ['Иван', userId],
    ]);
  });

  it('lists users, shows the incoming-call card', async () => {
    const { sandbox, client } = await openHarness();
    const [olga] = sandbox.seed({ users: [{ name: 'Ольга', email: 'olga@example.com' }] }).users;
    const users = await client.listUsers();
    expect(users.find((user) => user.id === olga)?.email).toBe('olga@example.com');
    await client.showIncomingCall('+79161234567', olga === undefined ? [] : [olga]);
    expect(sandbox.state.callCards).toMatchObject([
      { phone_number: '+79161234567', users: [olga] },
    ]);
  });

  it('creates a contact, a lead on it, a task and a note', async () => {
    const { sandbox, client } = await openHarness();
    const contactId = await client.createContact({ name: 'Новый', phone: '+79161234567' });
    const leadId = await client.createLead({ name: 'Звонок', contactId });
    const taskId = await client.addTask({
      text: 'Перезвонить',
      completeTill: 1_710_270_000,
      taskTypeId: 1,
      entityType: 'leads',
      entityId: leadId,
    });
    await client.addNote('contacts', contactId, { noteType: 'common', text: 'hello' });
    expect(sandbox.state.leads.get(leadId)?.contact_ids).toEqual([contactId]);
    expect(sandbox.state.tasks.get(taskId)?.entity_id).toBe(leadId);
    expect((await client.listTasks('leads', leadId)).map((task) => task.id)).toEqual([taskId]);
    expect([...sandbox.state.notes.values()].map((note) => note.note_type)).toEqual(['common']);
  });
});
