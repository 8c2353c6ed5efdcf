import { describe, expect, it } from 'vitest';
import { parseWav } from '../audio/wav-reader.ts';
import { VoicemailRecorder } from './voicemail-recorder.ts';

/** 20 ms of a 300 Hz tone at `amplitude` (0 is digital silence). */
function frame(amplitude: number, index = 0): Int16Array {
  return Int16Array.from({ length: 160 }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * 300 * (index * 160 + i)) / 8000)),
  );
}

function feed(recorder: VoicemailRecorder, frames: number, amplitude: number): void {
  for (let i = 0; i < frames; i++) recorder.write(frame(amplitude, i));
}

describe('a voicemail recorder', () => {
  it('ends after a pause once the caller spoke, the pause trimmed off', async () => {
    const recorder = new VoicemailRecorder({ maxMs: 60_000, silenceMs: 1000 });
    feed(recorder, 25, 0); // half a second before the caller speaks
    feed(recorder, 100, 8000); // two seconds of speech
    feed(recorder, 60, 30); // a quiet line: about −61 dBFS
    const message = await recorder.done;
    expect(message).toMatchObject({ reason: 'silence', heardSpeech: true, durationMs: 2500 });
    const audio = parseWav(message.wav);
    expect(audio).toMatchObject({ sampleRate: 8000, channels: 1 });
    expect(audio.samples.length).toBe(20_000);
  });

  it('stops at the length limit, and ignores what comes after', async () => {
    const recorder = new VoicemailRecorder({ maxMs: 1000, silenceMs: 5000 });
    feed(recorder, 80, 8000);
    const message = await recorder.done;
    expect(message).toMatchObject({ reason: 'max_length', durationMs: 1000 });
  });

  it('keeps what was said when stopped (the caller hung up or pressed #)', async () => {
    const recorder = new VoicemailRecorder({ maxMs: 60_000, silenceMs: 5000 });
    feed(recorder, 50, 8000);
    feed(recorder, 10, 0);
    const message = await recorder.stop();
    expect(message).toMatchObject({ reason: 'stopped', heardSpeech: true, durationMs: 1000 });
    expect(await recorder.stop('silence')).toBe(message);
  });

  it('reports no speech for a silent line, with an empty file', async () => {
    const recorder = new VoicemailRecorder({ maxMs: 2000, silenceMs: 500 });
    feed(recorder, 150, 20);
    const message = await recorder.done;
    expect(message).toMatchObject({ reason: 'max_length', heardSpeech: false, durationMs: 0 });
    expect(parseWav(message.wav).samples.length).toBe(0);
  });
});
