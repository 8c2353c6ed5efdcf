import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePhpQuery } from './params.ts';
import { at, makeFixture, text } from './test-fixture.ts';

interface Receiver {
  url: string;
  bodies: string[];
  server: Server;
}

async function startReceiver(status: number): Promise<Receiver> {
  const bodies: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      response.statusCode = status;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/b24/events`, bodies, server };
}

describe('Bitrix24 sandbox: ONEXTERNALCALLSTART (click-to-call)', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
    );
  });

  it('posts the event once, form-encoded, with a registered CALL_ID and an auth block', async () => {
    const receiver = await startReceiver(200);
    servers.push(receiver.server);
    const { rest, sandbox } = makeFixture({ publicUrl: 'http://127.0.0.1:9' });
    expect(
      (await rest('event.bind', { event: 'OnExternalCallStart', handler: receiver.url })).body,
    ).toMatchObject({ result: true });
    expect(
      at(
        (await rest('event.bind', { event: 'OnExternalCallStart', handler: receiver.url })).body,
        'error',
      ),
    ).toBe('ERROR_HANDLER_ALREADY_EXIST');

    const result = await sandbox.clickToCall({
      userId: 2,
      phoneNumber: '+79001234567',
      lineNumber: '3',
    });
    expect(receiver.bodies).toHaveLength(1);
    const event = parsePhpQuery(receiver.bodies[0] ?? '');
    expect(event).toMatchObject({
      event: 'ONEXTERNALCALLSTART',
      data: {
        CALL_ID: result.callId,
        USER_ID: '2',
        PHONE_NUMBER: '+79001234567',
        LINE_NUMBER: '3',
        IS_MOBILE: '0',
      },
      auth: { client_endpoint: 'http://127.0.0.1:9/rest/', scope: 'telephony', status: 'L' },
    });
    expect(result.deliveries[0]?.outcome).toEqual({ kind: 'delivered', status: 200 });

    // The token in the event works, and only finish follows (CRM-FACTS #11).
    const token = text(at(event, 'auth', 'access_token'));
    const finished = await rest(
      'telephony.externalCall.finish',
      { CALL_ID: result.callId, USER_ID: 2, DURATION: 10 },
      token,
    );
    expect(at(finished.body, 'result', 'INCOMING')).toBe('1');
  });

  it('records a refused delivery and does not retry it', async () => {
    const receiver = await startReceiver(500);
    servers.push(receiver.server);
    const { rest, sandbox } = makeFixture();
    await rest('event.bind', { event: 'ONEXTERNALCALLSTART', handler: receiver.url });
    const result = await sandbox.clickToCall({ userId: 1, phoneNumber: '79001234567' });
    expect(result.deliveries.map((item) => item.outcome)).toEqual([
      { kind: 'rejected', status: 500 },
    ]);
    expect(receiver.bodies).toHaveLength(1);
    expect(sandbox.store.deliveries).toHaveLength(1);
  });

  it('records an unreachable handler once', async () => {
    const receiver = await startReceiver(200);
    await new Promise((resolve) => receiver.server.close(resolve));
    const { rest, sandbox } = makeFixture();
    await rest('event.bind', { event: 'ONEXTERNALCALLSTART', handler: receiver.url });
    const result = await sandbox.clickToCall({ userId: 1, phoneNumber: '79001234567' });
    expect(result.deliveries).toHaveLength(1);
    expect(result.deliveries[0]?.outcome.kind).toBe('unreachable');
  });

  it('refuses event.bind through a webhook and unknown events; 409 without a handler', async () => {
    const { rest, sandbox, form } = makeFixture();
    expect(
      at(
        (
          await form(
            '/rest/1/hookcode123/event.bind',
            'event=ONEXTERNALCALLSTART&handler=http%3A%2F%2Fx',
          )
        ).body,
        'error',
      ),
    ).toBe('WRONG_AUTH_TYPE');
    expect(
      at((await rest('event.bind', { event: 'ONNOTHING', handler: 'http://x' })).body, 'error'),
    ).toBe('ERROR_EVENT_NOT_FOUND');
    const response = await sandbox.app.inject({
      method: 'POST',
      url: '/__sandbox/click-to-call',
      payload: { userId: 1, phoneNumber: '7900' },
    });
    expect(response.statusCode).toBe(409);
  });
});
