import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GoertzelFilter } from '../dtmf/goertzel.ts';
import { loadPromptFile, PROMPT_FRAME_SAMPLES, promptFromWav, type Prompt } from './prompt.ts';
import { isWavError } from './wav-error.ts';
import { encodeWav } from './wav-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'provod-prompt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function joined(prompt: Prompt): Int16Array {
  const pcm = new Int16Array(prompt.frames.length * PROMPT_FRAME_SAMPLES);
  prompt.frames.forEach((frame, i) => pcm.set(frame, i * PROMPT_FRAME_SAMPLES));
  return pcm;
}

/** Share of the energy of pcm[start, start+length) that sits at `frequency`. */
function toneShare(pcm: Int16Array, frequency: number, start: number, length: number): number {
  let total = 0;
  for (let i = start; i < start + length; i++) total += (pcm[i] ?? 0) ** 2;
  return new GoertzelFilter(frequency, 8000).energy(pcm, start, length) / total;
}

describe('promptFromWav', () => {
  it('turns 44.1 kHz stereo PCM into 8 kHz mono 20 ms frames', () => {
    // 0.51 s: left 1 kHz, right silent — the mono mix keeps 1 kHz at half level.
    const frames = Math.round(44100 * 0.51);
    const samples = new Int16Array(frames * 2);
    for (let n = 0; n < frames; n++) {
      samples[2 * n] = Math.round(12_000 * Math.sin((2 * Math.PI * 1000 * n) / 44100));
    }
    const prompt = promptFromWav(
      encodeWav({ encoding: 'pcm16', channels: 2, sampleRate: 44100, samples }),
    );
    expect(prompt.source).toEqual({ encoding: 'pcm16', sampleRate: 44100, channels: 2 });
    expect(prompt.durationMs).toBeCloseTo(510, 0);
    // 4080 samples at 8 kHz → 25.5 frames → 26, the last half silence.
    expect(prompt.frames).toHaveLength(26);
    expect(prompt.frames.every((f) => f.length === PROMPT_FRAME_SAMPLES)).toBe(true);
    expect(
      prompt.frames
        .at(-1)
        ?.subarray(80)
        .every((x) => x === 0),
    ).toBe(true);
    const pcm = joined(prompt);
    expect(toneShare(pcm, 1000, 800, 2400)).toBeGreaterThan(0.99);
    const peak = pcm.subarray(800, 3200).reduce((max, x) => Math.max(max, x), 0);
    expect(peak).toBeGreaterThan(5800);
    expect(peak).toBeLessThan(6200);
  });

  it('passes 8 kHz mono µ-law through at the same level', () => {
    const samples = Int16Array.from({ length: 1600 }, (_, n) =>
      Math.round(8000 * Math.sin((2 * Math.PI * 440 * n) / 8000)),
    );
    const prompt = promptFromWav(
      encodeWav({ encoding: 'mulaw', channels: 1, sampleRate: 8000, samples }),
    );
    expect(prompt.frames).toHaveLength(10);
    expect(toneShare(joined(prompt), 440, 0, 1600)).toBeGreaterThan(0.99);
  });

  it('refuses a broken file with a WavError', () => {
    let caught: unknown;
    try {
      promptFromWav(Buffer.from('RIFF\x04\0\0\0WAVE', 'latin1'));
    } catch (error) {
      caught = error;
    }
    expect(isWavError(caught) && caught.code).toBe('missing_fmt');
  });

  it('loads a prompt file by path', async () => {
    const path = join(dir, 'short.wav');
    const samples = new Int16Array(320).fill(1000);
    writeFileSync(path, encodeWav({ encoding: 'alaw', channels: 1, sampleRate: 16000, samples }));
    const prompt = await loadPromptFile(path);
    expect(prompt.frames).toHaveLength(1);
    expect(prompt.durationMs).toBe(20);
    await expect(loadPromptFile(join(dir, 'missing.wav'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it.skipIf(!existsSync('/usr/bin/sox'))(
    'loads a 48 kHz stereo A-law file written by sox',
    async () => {
      const path = join(dir, 'sox.wav');
      execFileSync('sox', [
        ...['-n', '-r', '48000', '-c', '2', '-e', 'a-law', '-b', '8', path],
        ...['synth', '1', 'sine', '697', 'vol', '0.5'],
      ]);
      const prompt = await loadPromptFile(path);
      expect(prompt.frames).toHaveLength(50);
      expect(toneShare(joined(prompt), 697, 2000, 4000)).toBeGreaterThan(0.99);
    },
  );
});
