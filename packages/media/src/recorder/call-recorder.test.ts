import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseWav } from '../audio/wav-reader.ts';
import { GoertzelFilter } from '../dtmf/goertzel.ts';
import { CallRecorder } from './call-recorder.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provod-recorder-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function tone(hz: number, samples: number, offset = 0): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) =>
    Math.round(8000 * Math.sin((2 * Math.PI * hz * (offset + i)) / 8000)),
  );
}

/** Relative power of `hz` in `samples` (Goertzel over the whole block). */
function power(samples: Int16Array, hz: number): number {
  return new GoertzelFilter(hz, 8000).energy(samples, 0, samples.length);
}

function channel(interleaved: Int16Array, index: 0 | 1): Int16Array {
  return interleaved.filter((_, i) => i % 2 === index);
}

describe('a stereo call recorder', () => {
  it('keeps the caller left and the callee right, in step, silence where nothing came', async () => {
    let clock = 0;
    const recorder = await CallRecorder.create(join(dir, 'call.wav'), () => clock);
    // One second: the caller talks all along at 440 Hz in 20 ms packets, the callee (1 kHz)
    // only for the first half, then sends nothing (on hold).
    for (let frame = 0; frame < 50; frame++) {
      recorder.write('caller', tone(440, 160, frame * 160));
      if (frame < 25) recorder.write('callee', tone(1000, 160, frame * 160));
      clock += 20;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const recording = await recorder.stop();
    expect(recording).toMatchObject({ durationMs: 1000, failure: undefined });
    const file = await readFile(recording.path);
    expect(recording.bytes).toBe(file.length);
    const audio = parseWav(file);
    expect(audio).toMatchObject({ channels: 2, sampleRate: 8000 });
    const left = channel(audio.samples, 0);
    const right = channel(audio.samples, 1);
    expect(left.length).toBe(8000);
    expect(right.length).toBe(8000);
    expect(power(left, 440)).toBeGreaterThan(100 * power(left, 1000));
    expect(power(right.subarray(0, 4000), 1000)).toBeGreaterThan(
      100 * power(right.subarray(0, 4000), 440),
    );
    expect(right.subarray(4000).every((sample) => sample === 0)).toBe(true);
  });

  it('bounds a side that sends faster than real time', async () => {
    let clock = 0;
    const recorder = await CallRecorder.create(join(dir, 'burst.wav'), () => clock);
    for (let i = 0; i < 200; i++) recorder.write('caller', tone(440, 160));
    clock += 100;
    const recording = await recorder.stop();
    expect(recording.durationMs).toBe(100);
    expect(parseWav(await readFile(recording.path)).samples.length).toBe(1600);
  });

  it('refuses to overwrite a file, and still ends cleanly when nothing was heard', async () => {
    const path = join(dir, 'once.wav');
    const recorder = await CallRecorder.create(path, () => 0);
    await expect(CallRecorder.create(path)).rejects.toThrow();
    const recording = await recorder.stop();
    expect(recording).toMatchObject({ durationMs: 0, bytes: 44 });
    expect(parseWav(await readFile(path)).samples.length).toBe(0);
  });
});
