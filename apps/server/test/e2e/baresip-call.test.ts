import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallSummary } from '@provod/pbx';
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

/** The 16-bit PCM samples of a WAV file's data chunk (RIFF: 12-byte header, then chunks). */
function wavSamples(path: string): Int16Array {
  const file = readFileSync(path);
  for (let offset = 12; offset + 8 <= file.length;) {
    const size = file.readUInt32LE(offset + 4);
    if (file.toString('ascii', offset, offset + 4) === 'data') {
      const data = file.subarray(offset + 8, Math.min(file.length, offset + 8 + size));
      return Int16Array.from({ length: data.length >> 1 }, (_, i) => data.readInt16LE(i * 2));
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}

/**
 * The share of `block`'s energy at `hertz` (Goertzel, as PEERS.md suggests for checking
 * a received tone): about 1 for a clean sine at that frequency, near 0 without it.
 */
function toneShare(block: Int16Array, hertz: number, sampleRate = 8000): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * hertz) / sampleRate);
  let [s1, s2, total] = [0, 0, 0];
  for (const sample of block) {
    const s0 = sample + coefficient * s1 - s2;
    [s2, s1] = [s1, s0];
    total += sample * sample;
  }
  const power = (2 * (s1 * s1 + s2 * s2 - coefficient * s1 * s2)) / block.length;
  return total === 0 ? 0 : power / total;
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
    const recordDir = join(provod.dir, `heard-${user}`);
    mkdirSync(recordDir, { recursive: true });
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
      calls: { controlPort, audioFile, autoAnswer, recordDir },
    });
    phones.push(started);
    await started.waitFor(new RegExp(`${user}@${domain.replaceAll('.', '\\.')}: .*200 OK`), 8_000);
    const control = await BaresipControl.connect(controlPort);
    controls.push(control);
    return { phone: started, control, recordDir };
  }

  /** The 20 ms frames of what a phone received in its call (baresip's sndfile dump). */
  function heardFrames(recordDir: string): Int16Array[] {
    const dump = readdirSync(recordDir).find((name) => name.endsWith('-dec.wav'));
    if (dump === undefined) throw new Error(`no received-audio dump in ${recordDir}`);
    const samples = wavSamples(join(recordDir, dump));
    const frames: Int16Array[] = [];
    for (let at = 0; at + 160 <= samples.length; at += 160)
      frames.push(samples.subarray(at, at + 160));
    return frames;
  }

  it('101 calls 102, 102 answers, 101 hangs up: both phones see the call start and end', async () => {
    const caller = await phone('101', false, 440);
    const callee = await phone('102', true, 1000);
    const ended: CallSummary[] = [];
    const unsubscribe = provod.server.sip.onCallEnded((summary) => ended.push(summary));

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
    unsubscribe();
    // The audio went through Provod's relay, both ways.
    expect(ended[0]?.media?.caller.relayed ?? 0).toBeGreaterThan(25);
    expect(ended[0]?.media?.callee.relayed ?? 0).toBeGreaterThan(25);

    // Real audio through Provod's relay: each phone heard the other's tone, and not its own.
    await Promise.all(phones.map((started) => started.stop('SIGTERM', 3_000)));
    for (const [listener, tone, own] of [
      [callee, 440, 1000],
      [caller, 1000, 440],
    ] as const) {
      const loud = heardFrames(listener.recordDir).filter((frame) =>
        frame.some((sample) => Math.abs(sample) > 1000),
      );
      expect(loud.length).toBeGreaterThan(25); // more than half a second of a 1 s call
      const withTone = loud.filter((frame) => toneShare(frame, tone) > 0.8);
      expect(withTone.length / loud.length).toBeGreaterThan(0.9);
      expect(loud.filter((frame) => toneShare(frame, own) > 0.5)).toHaveLength(0);
    }
  });
});
