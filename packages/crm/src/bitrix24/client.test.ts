import { describe, expect, it } from 'vitest';
import {
  closeBitrixSandboxesAfterEach,
  openBitrixHarness,
  sandboxApp,
} from '../../test/bitrix24-sandbox.ts';
import type { HttpExchange } from '../http/exchange.ts';
import { LeakyBucketPacer } from '../http/leaky-bucket-pacer.ts';
import { MemoryTokenStore } from '../http/token-store.ts';
import { phoneSearchVariants } from '../phone.ts';
import { Bitrix24Connection } from './connection.ts';
import type { BitrixCredentials } from './tokens.ts';
import { Bitrix24Error } from './errors.ts';

closeBitrixSandboxesAfterEach();

describe('Bitrix24Client against the Bitrix24 sandbox', () => {
  it('installs with the code from the install redirect and saves the pair before use', async () => {
    const { tokens, client, requests } = await openBitrixHarness();
    const saved = await tokens.load();
    expect(saved?.kind).toBe('oauth');
    expect(saved?.kind === 'oauth' ? saved.memberId : '').not.toBe('');
    expect(requests[0]).toBe('GET /oauth/token/');
    const users = await client.listUsers();
    expect(users.map((user) => [user.id, user.extension, user.email])).toEqual([
      [1, null, 'anna@example.com'],
      [2, '102', 'boris@example.com'],
    ]);
  });

  it('a used or wrong code is oauth_refused and nothing is saved', async () => {
    const { url, clock } = await openBitrixHarness();
    const tokens = new MemoryTokenStore<BitrixCredentials>();
    const connection = new Bitrix24Connection({
      baseUrl: url,
      app: sandboxApp(url),
      tokens,
      pacer: new LeakyBucketPacer(clock),
      clock,
    });
    await expect(connection.install('not-a-code')).rejects.toMatchObject({
      code: 'oauth_refused',
    });
    expect(await tokens.load()).toBeNull();
    await expect(connection.call('user.get')).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('finds contacts and leads by phone, oldest first; no match is empty', async () => {
    const { client, sandbox } = await openBitrixHarness();
    const first = sandbox.seedContact({ NAME: 'Old', PHONE: [{ VALUE: '+7 900 123-45-67' }] });
    const second = sandbox.seedContact({ NAME: 'New', PHONE: [{ VALUE: '89001234567' }] });
    const matches = await client.findByPhone(phoneSearchVariants('+79001234567'));
    expect(matches.contactIds).toEqual([first.ID, second.ID]);
    expect(await client.findByPhone(['+79990000000'])).toEqual({ contactIds: [], leadIds: [] });
  });

  it('registers, finishes and attaches a record to a call; the sandbox holds the statistic', async () => {
    const { client, sandbox } = await openBitrixHarness();
    const contactId = await client.addContact({
      name: 'Client',
      phone: '+79001234567',
      responsibleUserId: 2,
      sourceId: 'CALL',
    });
    const registered = await client.registerCall({
      userId: 2,
      phone: '+79001234567',
      startedAt: '2026-03-10T07:59:00+00:00',
      type: 2,
      lineNumber: null,
      externalCallId: 'provod-call-1',
      entity: { type: 'CONTACT', id: contactId },
      show: false,
    });
    expect(registered).toMatchObject({ entityType: 'CONTACT', entityId: contactId });
    const activity = await client.finishCall({
      callId: registered.callId,
      userId: 2,
      durationSeconds: 42,
      statusCode: '200',
      addToChat: false,
    });
    expect(activity).toEqual(expect.any(Number));
    const fileId = await client.attachRecord({
      callId: registered.callId,
      fileName: 'call-1.wav',
      url: 'https://provod.example/api/v1/shared/recordings/r1?signature=x',
    });
    expect(fileId).toEqual(expect.any(Number));
    const call = sandbox.store.calls.get(registered.callId);
    expect(call?.statistic).toMatchObject({ CALL_DURATION: 42, CALL_FAILED_CODE: '200' });
    expect(call?.records[0]?.filename).toBe('call-1.wav');
  });

  it('a repeated register with the same EXTERNAL_CALL_ID gets the same CALL_ID', async () => {
    const { client } = await openBitrixHarness();
    const call = {
      userId: 1,
      phone: '+79001234567',
      startedAt: '2026-03-10T07:59:00+00:00',
      type: 2 as const,
      lineNumber: null,
      externalCallId: 'provod-call-2',
      entity: null,
      show: false,
    };
    const a = await client.registerCall(call);
    const b = await client.registerCall(call);
    expect(b.callId).toBe(a.callId);
  });

  it('adds a task bound to a contact and finds it again by title and responsible', async () => {
    const { client, sandbox } = await openBitrixHarness();
    const id = await client.addTask({
      title: 'Call back +79001234567',
      description: 'Missed call',
      responsibleId: 2,
      deadline: '2026-03-10T08:30:00+00:00',
      crmBindings: ['C_7'],
    });
    expect(sandbox.store.tasks[0]?.extra).toMatchObject({ UF_CRM_TASK: ['C_7'] });
    expect(await client.findTasks('Call back +79001234567', 2)).toEqual([
      {
        id,
        title: 'Call back +79001234567',
        responsibleId: 2,
        deadline: '2026-03-10T08:30:00+00:00',
      },
    ]);
    expect(await client.findTasks('Call back +79001234567', 1)).toEqual([]);
  });

  it('an expired access token is refreshed once and the call sent again', async () => {
    const { client, sandbox, tokens, requests } = await openBitrixHarness();
    const before = await tokens.load();
    sandbox.clock.advance(2 * 3600_000);
    await client.listUsers();
    const after = await tokens.load();
    expect(after).not.toEqual(before);
    expect(requests.slice(1)).toEqual(['GET /oauth/token/', 'POST /rest/user.get.json']);
  });

  it('a token refused mid-life (401 expired_token) is refreshed, not given up', async () => {
    const { client, sandbox, requests } = await openBitrixHarness();
    sandbox.faults.add({
      pathPrefix: '/rest/user.get',
      fault: { kind: 'token_expired' },
      remaining: 1,
    });
    await client.listUsers();
    expect(requests.slice(1)).toEqual([
      'POST /rest/user.get.json',
      'GET /oauth/token/',
      'POST /rest/user.get.json',
    ]);
  });

  it('reads QUERY_LIMIT_EXCEEDED, 5xx and bad arguments as typed errors with the trace', async () => {
    const { client, sandbox } = await openBitrixHarness();
    const exchanges: HttpExchange[] = [];
    const traced = client.withTrace((exchange) => exchanges.push(exchange));
    sandbox.faults.add({
      pathPrefix: '/rest/crm.duplicate.findbycomm',
      fault: { kind: 'rate_limited' },
      remaining: 1,
    });
    await expect(traced.findByPhone(['+79001234567'])).rejects.toMatchObject({
      code: 'rate_limited',
      portalCode: 'QUERY_LIMIT_EXCEEDED',
      retryable: true,
    });
    sandbox.faults.add({
      pathPrefix: '/rest/crm.duplicate.findbycomm',
      fault: { kind: 'status', status: 500 },
      remaining: 1,
    });
    await expect(traced.findByPhone(['+79001234567'])).rejects.toMatchObject({
      code: 'server_error',
    });
    const refused = traced.finishCall({
      callId: 'externalCall.unknown',
      userId: 1,
      durationSeconds: 1,
      statusCode: '200',
      addToChat: false,
    });
    await expect(refused).rejects.toBeInstanceOf(Bitrix24Error);
    await expect(refused).rejects.toMatchObject({
      code: 'rejected',
      portalCode: 'ERROR_CORE',
      retryable: false,
    });
    expect(exchanges.map((exchange) => [exchange.path, exchange.status, exchange.error])).toEqual([
      ['/rest/crm.duplicate.findbycomm', 503, 'QUERY_LIMIT_EXCEEDED'],
      ['/rest/crm.duplicate.findbycomm', 500, 'INTERNAL_SERVER_ERROR'],
      ['/rest/telephony.externalCall.finish', 400, 'ERROR_CORE'],
    ]);
    expect(exchanges.every((exchange) => !(exchange.request ?? '').includes('auth'))).toBe(true);
  });

  it('an incoming webhook works for the CRM but the telephony methods refuse it', async () => {
    const { client, connection } = await openBitrixHarness({}, 'webhook');
    expect(await connection.isApplication()).toBe(false);
    expect(await client.findByPhone(['+79001234567'])).toEqual({ contactIds: [], leadIds: [] });
    await expect(
      client.registerCall({
        userId: 1,
        phone: '+79001234567',
        startedAt: '2026-03-10T07:59:00+00:00',
        type: 2,
        lineNumber: null,
        externalCallId: 'x',
        entity: null,
        show: false,
      }),
    ).rejects.toMatchObject({ code: 'rejected', portalCode: 'WRONG_AUTH_TYPE' });
  });

  it('paces a burst under the portal bucket: 60 calls, no QUERY_LIMIT_EXCEEDED', async () => {
    const { client, sandbox } = await openBitrixHarness();
    const started = sandbox.clock.nowMs();
    await Promise.all(Array.from({ length: 60 }, () => client.findByPhone(['+79001234567'])));
    // 39 of the burst go at once (the install used one), the other 21 at 2/s.
    expect(sandbox.clock.nowMs() - started).toBeGreaterThanOrEqual(10_000);
    expect(sandbox.bucketLevel()).toBeLessThanOrEqual(40);
  });
});
