import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '@provod/media';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, testDialects, type TestApp } from '../../test/test-app.ts';
import type { TenantContext } from '../services/service-context.ts';
import { builtInPrompts, type Synthesiser } from './builtin-prompts.ts';
import { createPromptStore, type Mp3Decoder } from './prompt-store.ts';

const logger = pino({ level: 'silent' });

/** `ms` of a tone at `rate` Hz sample rate: what an upload or a synthesiser produces. */
function wav(ms: number, rate = 8000): Buffer {
  const samples = Int16Array.from({ length: (rate * ms) / 1000 }, (_, i) =>
    Math.round(5000 * Math.sin((2 * Math.PI * 440 * i) / rate)),
  );
  return encodeWav({ encoding: 'pcm16', sampleRate: rate, channels: 1, samples });
}

/** A synthesiser that writes a WAV of `ms` and counts its calls, as espeak-ng would. */
function fakeSynthesiser(ms: number): Synthesiser & { calls: number } {
  const synthesise = Object.assign(
    async (_voice: 'ru' | 'en', _text: string, path: string) => {
      synthesise.calls++;
      await writeFile(path, wav(ms, 22050));
    },
    { calls: 0 },
  );
  return synthesise;
}

describe('built-in prompts', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'provod-prompts-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('speaks once per language and reuses the file afterwards', async () => {
    const synthesise = fakeSynthesiser(1500);
    const first = builtInPrompts({ dataDir: dataDir, logger, synthesise });
    const menu = await first.prompt('menu', 'en');
    expect(menu.durationMs).toBeCloseTo(1500, -1);
    await first.prompt('menu', 'en');
    const again = builtInPrompts({ dataDir: dataDir, logger, synthesise });
    await again.prompt('menu', 'en');
    expect(synthesise.calls).toBe(1);
    await again.prompt('menu', 'ru');
    expect(synthesise.calls).toBe(2);
  });

  it('makes the beep and the music itself, and tones when synthesis fails', async () => {
    const failing: Synthesiser = async () => {
      throw new Error('espeak-ng: not found');
    };
    const prompts = builtInPrompts({ dataDir, logger, synthesise: failing });
    expect((await prompts.prompt('beep', 'ru')).durationMs).toBe(400);
    expect((await prompts.prompt('music_on_hold', 'ru')).durationMs).toBe(8000);
    const fallback = await prompts.prompt('unavailable', 'ru');
    expect(fallback.durationMs).toBe(1000);
  });

  it('speaks Russian with espeak-ng, as installed by scripts/install-system-deps.sh', async () => {
    const prompts = builtInPrompts({ dataDir, logger });
    const greeting = await prompts.prompt('voicemail_greeting', 'ru');
    // "Оставьте сообщение после сигнала." at 150 words a minute: about two seconds.
    expect(greeting.durationMs).toBeGreaterThan(1000);
    expect(greeting.durationMs).toBeLessThan(6000);
    const file = await readFile(join(dataDir, 'sounds/builtin/ru/voicemail_greeting.wav'));
    expect(file.subarray(0, 4).toString()).toBe('RIFF');
  });
});

describe.each(testDialects)('the prompt store (%s)', (dialect) => {
  let test: TestApp;
  let acme: TenantContext;
  let globex: TenantContext;

  beforeEach(async () => {
    test = await createTestApp(dialect);
    acme = await test.createTenant('acme');
    globex = await test.createTenant('globex');
  });
  afterEach(() => test.close());

  const store = (decodeMp3?: Mp3Decoder) =>
    createPromptStore({
      deps: test.services.deps,
      logger,
      synthesise: fakeSynthesiser(700),
      ...(decodeMp3 === undefined ? {} : { decodeMp3 }),
    });

  it('plays an uploaded WAV, resampled to 8 kHz', async () => {
    const sound = await test.services.sounds.upload(
      acme,
      { name: 'menu', purpose: 'prompt' },
      'audio/wav',
      wav(1200, 16000),
    );
    const prompt = await store().prompt(acme.tenantId, sound.id, 'menu');
    expect(prompt.durationMs).toBeCloseTo(1200, -1);
    expect(prompt.frames).toHaveLength(60);
  });

  it('falls back to the built-in prompt for another tenant’s, a missing or a broken sound', async () => {
    const sound = await test.services.sounds.upload(
      acme,
      { name: 'menu', purpose: 'prompt' },
      'audio/wav',
      wav(1200),
    );
    const prompts = store();
    expect((await prompts.prompt(globex.tenantId, sound.id, 'menu')).durationMs).toBe(700);
    expect(
      (await prompts.prompt(acme.tenantId, '01900000-0000-7000-8000-00000000dead', 'menu'))
        .durationMs,
    ).toBe(700);
    const record = await test.services.sounds.get(acme, sound.id);
    await writeFile(join(test.dataDir, record.storagePath), Buffer.from('RIFF broken'));
    expect((await store().prompt(acme.tenantId, sound.id, 'menu')).durationMs).toBe(700);
  });

  it('decodes an MP3 once and keeps the WAV beside it', async () => {
    const sound = await test.services.sounds.upload(
      acme,
      { name: 'hold', purpose: 'music_on_hold' },
      'audio/mpeg',
      Buffer.from([0xff, 0xfb, 0x90, 0x64, ...new Array<number>(413).fill(0)]),
    );
    const source = join(test.dataDir, 'decoded-by-test.wav');
    await writeFile(source, wav(900));
    let decodes = 0;
    const decoder: Mp3Decoder = async (_mp3, wavPath) => {
      decodes++;
      await copyFile(source, wavPath);
    };
    expect((await store(decoder).prompt(acme.tenantId, sound.id, 'music_on_hold')).durationMs).toBe(
      900,
    );
    expect((await store(decoder).prompt(acme.tenantId, sound.id, 'music_on_hold')).durationMs).toBe(
      900,
    );
    expect(decodes).toBe(1);
    const failing: Mp3Decoder = async () => {
      throw new Error('sox: no handler for file extension `mp3`');
    };
    const other = await test.services.sounds.upload(
      acme,
      { name: 'hold 2', purpose: 'music_on_hold' },
      'audio/mpeg',
      Buffer.from([0xff, 0xfb, 0x90, 0x64, ...new Array<number>(413).fill(0)]),
    );
    const fallback = await store(failing).prompt(acme.tenantId, other.id, 'music_on_hold');
    expect(fallback.durationMs).toBe(8000);
  });
});
