import type { Call } from '@provod/contracts';
import { encodeWav } from '@provod/media';
import type { RoutedCallSummary } from '@provod/pbx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';
import { uasAnswers, uasBusy } from '../sipp/call-scenarios.ts';
import {
  carrierAccount,
  carrierCallEndedByProvod,
  carrierCallPressingKeys,
  carrierCallRefused,
  carrierTakesAuthenticatedCall,
} from '../sipp/carrier-scenarios.ts';
import { runSipp, startSipp } from '../sipp/run-sipp.ts';
import { sippSession } from '../sipp/sipp-session.ts';
import { startProvodUnderTest, type ProvodUnderTest } from './provod-under-test.ts';

const domain = 'demo.provod.local';
const number = '+74951234567';

/** One second of a 440 Hz tone, 8 kHz 16-bit mono: the menu's prompt. */
function toneWav(): Buffer {
  const samples = new Int16Array(8000);
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  }
  return encodeWav({ encoding: 'pcm16', sampleRate: 8000, channels: 1, samples });
}

/**
 * The PBX's first calls through a routing scheme with real peers: sipp as a carrier
 * delivers a call to the tenant's number from the trunk's address; the number's scheme
 * answers with an IVR menu (an uploaded prompt, played as RTP), the carrier presses 1 as
 * RFC 4733 events (Debian's captured DTMF), the menu rings extension 102 (a sipp phone),
 * which answers; Provod bridges the two media legs. The call log row has the path.
 */
describe('calls to a number routed by its scheme, with sipp as carrier and phone', () => {
  let provod: ProvodUnderTest;

  beforeEach(async () => {
    provod = await startProvodUnderTest('sipp-routed');
    const prompt = await provod.uploadSound('menu', toneWav());
    await provod.api('POST', '/api/v1/trunks', { name: 'carrier', host: '127.0.0.1' });
    const scheme = await provod.api<{ id: string }>('POST', '/api/v1/routing-schemes', {
      name: 'Main line',
      comment: 'menu: 1 for sales',
      graph: {
        entry: 'menu',
        nodes: [
          {
            id: 'menu',
            kind: 'ivr',
            prompt: prompt.id,
            digits: { '1': 'sales' },
            timeoutSeconds: 3,
            retries: 0,
          },
          { id: 'sales', kind: 'extension', number: '102', timeoutSeconds: 10 },
        ],
      },
    });
    await provod.api('POST', '/api/v1/phone-numbers', { e164: number, routingSchemeId: scheme.id });
  });
  afterEach(() => provod.stop());

  const sipp = () => sippSession(provod, domain);

  async function schemeIdOf(e164: string): Promise<string> {
    const numbers = await provod.api<{ e164: string; routingSchemeId: string | null }[]>(
      'GET',
      '/api/v1/phone-numbers',
    );
    return numbers.find((n) => n.e164 === e164)?.routingSchemeId ?? '';
  }

  async function waitForCall(dialled = number): Promise<Call> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const call = (await provod.calls()).find((c) => c.phoneNumber === dialled);
      if (call !== undefined) return call;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the routed call never reached the call log');
  }

  it('answers with the menu, takes the key 1, rings 102 and bridges the call', async () => {
    const ended: RoutedCallSummary[] = [];
    const unsubscribe = provod.server.sip.onRoutedCallEnded((summary) => ended.push(summary));
    const phonePort = await freePort();
    await sipp().register('102', phonePort);
    const phone = startSipp(
      [
        '-sf',
        sipp().scenario('phone', uasAnswers()),
        '-mp',
        String(await freePort()),
        ...sipp().args(phonePort, 'phone'),
      ],
      40_000,
    );
    const carrier = await runSipp(
      [
        `127.0.0.1:${provod.sipPort}`,
        '-sf',
        sipp().scenario(
          'carrier',
          carrierCallPressingKeys({
            from: '+79161234567',
            number,
            provod: `127.0.0.1:${provod.sipPort}`,
            keys: ['1'],
            listenMs: 1500,
            talkPcap: '/usr/share/sip-tester/g711a.pcap',
            afterKeysMs: 8000,
          }),
        ),
        '-mp',
        String(await freePort()),
        ...sipp().args(await freePort(), 'carrier'),
      ],
      40_000,
    );
    if (carrier.code !== 0) phone.child.kill('SIGKILL');
    const answered = await phone.done;
    expect(carrier.code, carrier.output).toBe(0);
    expect(answered.code, answered.output).toBe(0);

    const call = await waitForCall();
    unsubscribe();
    expect(call).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      caller: '+79161234567',
      callee: '102',
      extensionNumber: '102',
    });
    expect(call.schemePath.map((step) => [step.kind, step.outcome])).toEqual([
      ['ivr', 'digit 1'],
      ['extension', 'answered'],
    ]);
    expect(call.talkSeconds).toBeGreaterThanOrEqual(1);
    // The simulator, told the caller presses 1 and 102 answers, takes the same path.
    const simulated = await provod.api<{ path: { kind: string; outcome: string }[] }>(
      'POST',
      `/api/v1/routing-schemes/${await schemeIdOf(number)}/simulate`,
      {
        caller: '+79161234567',
        dialled: number,
        script: { digits: ['1'], ring: { '102': 'answer' } },
      },
    );
    expect(simulated.path.map((step) => [step.kind, step.outcome])).toEqual(
      call.schemePath.map((step) => [step.kind, step.outcome]),
    );
    const summary = ended[0];
    if (summary === undefined) throw new Error('no routed call ended');
    // The one-second prompt went out as 20 ms packets before the key.
    expect(summary.media.caller.rtp.sent.packets).toBeGreaterThanOrEqual(40);
    // The carrier’s A-law talk (sip-tester’s g711a.pcap: 7 s, 235 packets) reached the phone,
    // which answered Provod's offer with PCMU: every packet transcoded on the way.
    expect(summary.media.caller.relayed).toBeGreaterThanOrEqual(230);
    expect(summary.media.caller.transcoded).toBe(summary.media.caller.relayed);
    expect(summary.media.callee?.rtp.sent.packets).toBe(summary.media.caller.relayed);
    expect(provod.server.sip.activeCalls).toBe(0);
  }, 60_000);

  it('takes a voicemail: greeting, tone, the caller’s message kept in the mailbox', async () => {
    const scheme = await provod.api<{ id: string }>('POST', '/api/v1/routing-schemes', {
      name: 'After hours',
      comment: 'straight to voicemail',
      graph: { entry: 'vm', nodes: [{ id: 'vm', kind: 'voicemail', mailbox: '102' }] },
    });
    const after = '+74957654321';
    await provod.api('POST', '/api/v1/phone-numbers', { e164: after, routingSchemeId: scheme.id });
    const carrier = await runSipp(
      [
        `127.0.0.1:${provod.sipPort}`,
        '-sf',
        sipp().scenario(
          'voicemail-caller',
          carrierCallPressingKeys({
            from: '+79161234567',
            number: after,
            provod: `127.0.0.1:${provod.sipPort}`,
            keys: [],
            // The built-in Russian greeting (espeak-ng) and the tone take about three seconds.
            listenMs: 3500,
            talkPcap: '/usr/share/sip-tester/g711a.pcap',
            afterKeysMs: 8000,
          }),
        ),
        '-mp',
        String(await freePort()),
        ...sipp().args(await freePort(), 'voicemail-caller'),
      ],
      40_000,
    );
    expect(carrier.code, carrier.output).toBe(0);
    let messages: { caller: string; durationSeconds: number; contentUrl: string }[] = [];
    for (let attempt = 0; attempt < 50 && messages.length === 0; attempt++) {
      messages = (await provod.api<{ items: typeof messages }>('GET', '/api/v1/voicemail')).items;
      if (messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(messages).toHaveLength(1);
    expect(messages[0]?.caller).toBe('+79161234567');
    // The capture is 7 s of speech; the message ends where the caller last spoke.
    expect(messages[0]?.durationSeconds).toBeGreaterThanOrEqual(5);
    expect(messages[0]?.durationSeconds).toBeLessThanOrEqual(8);
    const call = await waitForCall(after);
    expect(call).toMatchObject({ status: 'missed', hangupCause: 'voicemail 102' });
    // The caller ended the message by hanging up, as callers do: the node says so, the
    // call's cause says a message was left.
    expect(call.schemePath.map((step) => [step.kind, step.outcome])).toEqual([
      ['voicemail', 'caller_hung_up'],
    ]);
  }, 60_000);

  it('forwards to an external number through a trunk, showing the original caller', async () => {
    const outPort = await freePort();
    await provod.api('POST', '/api/v1/trunks', {
      name: 'mobile',
      host: '127.0.0.1',
      port: outPort,
      dialPrefixes: ['+79'],
      username: carrierAccount.username,
      password: carrierAccount.password,
    });
    const scheme = await provod.api<{ id: string }>('POST', '/api/v1/routing-schemes', {
      name: 'On duty',
      comment: 'to the duty mobile',
      graph: {
        entry: 'duty',
        nodes: [{ id: 'duty', kind: 'forward', number: '+79169998877', timeoutSeconds: 10 }],
      },
    });
    const duty = '+74951110000';
    await provod.api('POST', '/api/v1/phone-numbers', { e164: duty, routingSchemeId: scheme.id });
    const mobile = startSipp(
      [
        '-sf',
        sipp().scenario('mobile', carrierTakesAuthenticatedCall('+79161234567')),
        '-mp',
        String(await freePort()),
        ...sipp().args(outPort, 'mobile'),
      ],
      40_000,
    );
    const caller = await runSipp(
      [
        `127.0.0.1:${provod.sipPort}`,
        '-sf',
        sipp().scenario(
          'forwarded-caller',
          carrierCallPressingKeys({
            from: '+79161234567',
            number: duty,
            provod: `127.0.0.1:${provod.sipPort}`,
            keys: [],
            listenMs: 1500,
            afterKeysMs: 0,
          }),
        ),
        '-mp',
        String(await freePort()),
        ...sipp().args(await freePort(), 'forwarded-caller'),
      ],
      40_000,
    );
    if (caller.code !== 0) mobile.child.kill('SIGKILL');
    const answered = await mobile.done;
    expect(caller.code, caller.output).toBe(0);
    expect(answered.code, answered.output).toBe(0);
    const call = await waitForCall(duty);
    expect(call).toMatchObject({ status: 'answered', callee: '+79169998877' });
    expect(call.schemePath.map((step) => [step.kind, step.outcome])).toEqual([
      ['forward', 'answered'],
    ]);
  }, 60_000);

  it('screens, finds a holiday, plays the message and hangs up — as simulated', async () => {
    const message = await provod.uploadSound('closed', toneWav());
    const scheme = await provod.api<{ id: string }>('POST', '/api/v1/routing-schemes', {
      name: 'Closed',
      comment: 'screen, hours, message',
      graph: {
        entry: 'screen',
        nodes: [
          {
            id: 'screen',
            kind: 'list_filter',
            blacklist: { numbers: [], prefixes: ['+7800'] },
            otherwise: 'hours',
          },
          // Open round the clock, but today is a holiday (yesterday to tomorrow in UTC, so
          // it is today in any time zone): closed.
          {
            id: 'hours',
            kind: 'schedule',
            weekly: [
              {
                days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
                from: '00:00',
                to: '24:00',
              },
            ],
            holidays: [-1, 0, 1].map((days) => ({
              date: new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10),
              name: 'Day off',
            })),
            open: 'message',
            closed: 'message',
          },
          { id: 'message', kind: 'play', prompt: message.id },
        ],
      },
    });
    const closed = '+74952220000';
    await provod.api('POST', '/api/v1/phone-numbers', { e164: closed, routingSchemeId: scheme.id });
    const caller = await runSipp([
      `127.0.0.1:${provod.sipPort}`,
      '-sf',
      sipp().scenario(
        'closed-caller',
        carrierCallEndedByProvod({
          from: '+79161234567',
          number: closed,
          provod: `127.0.0.1:${provod.sipPort}`,
        }),
      ),
      '-mp',
      String(await freePort()),
      ...sipp().args(await freePort(), 'closed-caller'),
    ]);
    expect(caller.code, caller.output).toBe(0);
    const call = await waitForCall(closed);
    const real = call.schemePath.map((step) => [step.kind, step.outcome]);
    expect(real).toEqual([
      ['list_filter', 'otherwise'],
      ['schedule', 'holiday'],
      ['play', 'played'],
    ]);
    expect(call).toMatchObject({ status: 'missed', hangupCause: 'scheme_ended' });
    // The simulator walks the same scheme to the same path.
    const simulated = await provod.api<{ path: { kind: string; outcome: string }[] }>(
      'POST',
      `/api/v1/routing-schemes/${scheme.id}/simulate`,
      { caller: '+79161234567', dialled: closed },
    );
    expect(simulated.path.map((step) => [step.kind, step.outcome])).toEqual(real);
  }, 60_000);

  it('rings a group in turn: 102 is busy, 103 answers', async () => {
    const scheme = await provod.api<{ id: string }>('POST', '/api/v1/routing-schemes', {
      name: 'Sales group',
      comment: 'one after the other',
      graph: {
        entry: 'sales',
        nodes: [
          {
            id: 'sales',
            kind: 'ring_group',
            strategy: 'sequential',
            members: [
              { number: '102', timeoutSeconds: 10 },
              { number: '103', timeoutSeconds: 10 },
            ],
          },
        ],
      },
    });
    const group = '+74953330000';
    await provod.api('POST', '/api/v1/phone-numbers', { e164: group, routingSchemeId: scheme.id });
    const busyPort = await freePort();
    const answerPort = await freePort();
    await sipp().register('102', busyPort);
    await sipp().register('103', answerPort);
    const busy = startSipp([
      '-sf',
      sipp().scenario('busy-102', uasBusy()),
      ...sipp().args(busyPort, 'busy-102'),
    ]);
    const answering = startSipp([
      '-sf',
      sipp().scenario('answer-103', uasAnswers()),
      '-mp',
      String(await freePort()),
      ...sipp().args(answerPort, 'answer-103'),
    ]);
    const caller = await runSipp([
      `127.0.0.1:${provod.sipPort}`,
      '-sf',
      sipp().scenario(
        'group-caller',
        carrierCallPressingKeys({
          from: '+79161234567',
          number: group,
          provod: `127.0.0.1:${provod.sipPort}`,
          keys: [],
          listenMs: 1000,
          afterKeysMs: 0,
        }),
      ),
      '-mp',
      String(await freePort()),
      ...sipp().args(await freePort(), 'group-caller'),
    ]);
    const [busyRun, answerRun] = await Promise.all([busy.done, answering.done]);
    expect(caller.code, caller.output).toBe(0);
    expect(busyRun.code, busyRun.output).toBe(0);
    expect(answerRun.code, answerRun.output).toBe(0);
    const call = await waitForCall(group);
    expect(call).toMatchObject({ status: 'answered', extensionNumber: '103' });
    expect(call.schemePath.map((step) => [step.kind, step.outcome])).toEqual([
      ['ring_group', 'answered'],
    ]);
  }, 60_000);

  it('rejects a black-listed caller with 603, nobody rung', async () => {
    const scheme = await provod.api<{ id: string }>('POST', '/api/v1/routing-schemes', {
      name: 'Screened',
      comment: 'no spam',
      graph: {
        entry: 'screen',
        nodes: [
          {
            id: 'screen',
            kind: 'list_filter',
            blacklist: { numbers: [], prefixes: ['+7916'] },
            otherwise: 'desk',
          },
          { id: 'desk', kind: 'extension', number: '102' },
        ],
      },
    });
    const screened = '+74954440000';
    await provod.api('POST', '/api/v1/phone-numbers', {
      e164: screened,
      routingSchemeId: scheme.id,
    });
    const caller = await runSipp([
      `127.0.0.1:${provod.sipPort}`,
      '-sf',
      sipp().scenario(
        'spammer',
        carrierCallRefused(
          { from: '+79161234567', number: screened, provod: `127.0.0.1:${provod.sipPort}` },
          603,
        ),
      ),
      ...sipp().args(await freePort(), 'spammer'),
    ]);
    expect(caller.code, caller.output).toBe(0);
    const call = await waitForCall(screened);
    expect(call).toMatchObject({ status: 'missed', extensionNumber: null });
    expect(call.schemePath.map((step) => [step.kind, step.outcome])).toEqual([
      ['list_filter', 'blacklisted'],
    ]);
  }, 60_000);

  it('refuses the number to a sender that is not one of the tenant’s trunks', async () => {
    const stranger = await runSipp([
      `127.0.0.1:${provod.sipPort}`,
      '-sf',
      sipp().scenario(
        'stranger',
        carrierCallPressingKeys({
          from: '+79160000000',
          number,
          provod: `127.0.0.1:${provod.sipPort}`,
          keys: [],
          listenMs: 0,
          afterKeysMs: 0,
        }),
      ),
      '-mp',
      String(await freePort()),
      ...sipp().args(await freePort(), 'stranger', '127.0.0.2'),
    ]);
    // sipp fails the scenario on the unexpected 403; its output names it.
    expect(stranger.code).not.toBe(0);
    expect(stranger.output).toMatch(/403/);
    expect(await provod.calls()).toEqual([]);
  }, 60_000);
});
