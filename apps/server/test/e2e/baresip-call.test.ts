import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, freePortPair } from '../free-port.ts';
import { BaresipControl } from './baresip-control.ts';
import { startBaresip, type Baresip } from './baresip.ts';
import { startProvodUnderTest, type ProvodUnderTest } from './provod-under-test.ts';

const domain = 'demo.provod.local';

/** 8 kHz mono 16-bit PCM WAV of a sine tone, the format baresip's aufile source reads. */
function sineWav(path: string, hertz: number, seconds: number): void {
  const samples = 8000 * seconds;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hertz * i) / 8000)), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([header, data]));
}

/**
 * Two real phones (baresip 1.0) call each other through a real `provod start`: 101 dials
 * 102, 102 answers on its own, 101 hangs up. Both phones' own events say what happened.
 */
describe('a call between two baresip phones', () => {
  let provod: ProvodUnderTest;
  const phones: Baresip[] = [];
  const controls: BaresipControl[] = [];

  beforeEach(async () => {
    provod = await startProvodUnderTest('baresip-call');
  });
  afterEach(async () => {
    for (const control of controls.splice(0)) control.close();
    try {
      await Promise.all(phones.splice(0).map((phone) => phone.stop('SIGKILL', 2_000)));
    } finally {
      await provod.stop();
    }
  });

  async function phone(user: string, autoAnswer: boolean, hertz: number) {
    const audioFile = join(provod.dir, `tone-${user}.wav`);
    sineWav(audioFile, hertz, 5);
    const controlPort = await freePort();
    const started = startBaresip({
      dir: join(provod.dir, `baresip-${user}`),
      sipPort: await freePortPair(),
      account: {
        user,
        domain,
        password: provod.sipPasswordOf(user),
        proxy: { host: '127.0.0.1', port: provod.sipPort },
      },
      calls: { controlPort, audioFile, autoAnswer },
    });
    phones.push(started);
    await started.waitFor(new RegExp(`${user}@${domain.replaceAll('.', '\\.')}: .*200 OK`), 8_000);
    const control = await BaresipControl.connect(controlPort);
    controls.push(control);
    return { phone: started, control };
  }

  it('101 calls 102, 102 answers, 101 hangs up: both phones see the call start and end', async () => {
    const caller = await phone('101', false, 440);
    const callee = await phone('102', true, 1000);

    caller.control.command('dial', `sip:102@${domain}`);
    const established = await caller.control.waitFor('CALL_ESTABLISHED', 10_000);
    const answered = await callee.control.waitFor('CALL_ESTABLISHED', 10_000);
    expect(established.peeruri).toMatch(/^sip:102@demo\.provod\.local(;|$)/);
    // The callee sees the caller's identity as Provod presents it: 101 in the tenant domain.
    expect(answered.peeruri).toMatch(/^sip:101@demo\.provod\.local(;|$)/);
    expect(provod.server.sip.activeCalls).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    caller.control.command('hangup');
    await caller.control.waitFor('CALL_CLOSED', 10_000);
    const closed = await callee.control.waitFor('CALL_CLOSED', 10_000);
    expect(closed.param ?? '').toMatch(/Connection reset by peer|Terminated|BYE/i);
    expect(provod.server.sip.activeCalls).toBe(0);
  });
});
