import type { CallEvent } from '@provod/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort } from '../free-port.ts';
import { uacAnsweredCall, uasAnswers } from '../sipp/call-scenarios.ts';
import { runSipp, startSipp } from '../sipp/run-sipp.ts';
import { sippSession } from '../sipp/sipp-session.ts';
import { startProvodUnderTest, type ProvodUnderTest } from './provod-under-test.ts';

const domain = 'demo.provod.local';

/** Opens the feed; resolves once open, or rejects with the HTTP status of a refusal. */
function openFeed(url: string, headers: Record<string, string>) {
  const events: CallEvent[] = [];
  const socket = new WebSocket(url, { headers });
  socket.on('message', (data: Buffer) => events.push(JSON.parse(data.toString()) as CallEvent));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`refused ${response.statusCode ?? 0}`)),
    );
    socket.once('error', reject);
  });
  return { socket, events, opened };
}

/**
 * The live feed over WebSocket with a real call (sipp 101 → sipp 102): the snapshot,
 * then the call's start, its answer by 102 and its end, in order; refusals for a missing
 * key, a key without calls:read, and a cookie from another origin.
 */
describe('the live call feed at /api/v1/events', () => {
  let provod: ProvodUnderTest;
  let url: string;
  beforeEach(async () => {
    provod = await startProvodUnderTest('events-feed');
    url = `ws://127.0.0.1:${provod.httpPort}/api/v1/events`;
  });
  afterEach(() => provod.stop());

  async function apiKey(role: string): Promise<string> {
    const key = await provod.api<{ secret: string }>('POST', '/api/v1/api-keys', {
      name: `feed ${role}`,
      role,
    });
    return key.secret;
  }

  it('streams a call’s start, answer and end to the tenant', async () => {
    const feed = openFeed(url, { authorization: `Bearer ${await apiKey('viewer')}` });
    await feed.opened;
    const sipp = sippSession(provod, domain);
    const phonePort = await freePort();
    await sipp.register('102', phonePort);
    const phone = startSipp([
      '-sf',
      sipp.scenario('phone', uasAnswers()),
      ...sipp.args(phonePort, 'phone'),
    ]);
    const caller = await runSipp([
      `127.0.0.1:${provod.sipPort}`,
      '-sf',
      sipp.scenario('caller', uacAnsweredCall({ caller: '101', callee: '102', domain }, 500)),
      '-au',
      '101',
      '-ap',
      provod.sipPasswordOf('101'),
      ...sipp.args(await freePort(), 'caller'),
    ]);
    expect(caller.code, caller.output).toBe(0);
    expect((await phone.done).code).toBe(0);
    for (let i = 0; i < 50 && feed.events.length < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    feed.socket.close();
    expect(feed.events.map((event) => event.type)).toEqual([
      'snapshot',
      'call.started',
      'call.answered',
      'call.ended',
    ]);
    expect(feed.events[0]).toEqual({ type: 'snapshot', calls: [] });
    const answered = feed.events[2];
    expect(answered?.type === 'call.answered' && answered.call).toMatchObject({
      direction: 'internal',
      caller: '101',
      callee: '102',
      answeredBy: '102',
    });
    expect(feed.events[3]).toMatchObject({ type: 'call.ended', reason: 'caller_hung_up' });
    expect(await provod.api('GET', '/api/v1/calls/active')).toEqual([]);
  }, 60_000);

  it('refuses a missing or unknown key, and a cookie from another origin', async () => {
    await expect(openFeed(url, {}).opened).rejects.toThrow('refused 401');
    await expect(openFeed(url, { authorization: 'Bearer nonsense' }).opened).rejects.toThrow(
      'refused 401',
    );
    await expect(
      openFeed(url, { cookie: 'provod_session=whatever', origin: 'https://evil.example' }).opened,
    ).rejects.toThrow('refused 403');
  });
});
