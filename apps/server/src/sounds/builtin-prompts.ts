import { spawn } from 'node:child_process';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BuiltInPrompt } from '@provod/pbx';
import {
  isWavError,
  PROMPT_FRAME_SAMPLES,
  PROMPT_SAMPLE_RATE,
  promptFromWav,
  type Prompt,
} from '@provod/media';
import type { Logger } from 'pino';

/** What the spoken built-in prompts say, per language the cabinet offers. */
const spoken: Record<'ru' | 'en', Record<'menu' | 'voicemail_greeting' | 'unavailable', string>> = {
  ru: {
    menu: 'Здравствуйте. Наберите добавочный номер или оставайтесь на линии.',
    voicemail_greeting: 'Оставьте сообщение после сигнала.',
    unavailable: 'Абонент недоступен.',
  },
  en: {
    menu: 'Hello. Please dial an extension number, or stay on the line.',
    voicemail_greeting: 'Please leave a message after the tone.',
    unavailable: 'The number you have dialled is not available.',
  },
};

/** Runs espeak-ng to write `text` as a WAV; the arguments go to the program, never a shell. */
export type Synthesiser = (voice: 'ru' | 'en', text: string, wavPath: string) => Promise<void>;

export const espeakSynthesiser: Synthesiser = (voice, text, wavPath) =>
  new Promise((resolve, reject) => {
    const child = spawn('espeak-ng', ['-v', voice, '-s', '150', '-w', wavPath, text], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`espeak-ng exited ${code}: ${stderr.trim()}`)),
    );
  });

/**
 * Provod's own prompts, for nodes that name no sound. The spoken ones are synthesised by
 * espeak-ng (free, in Debian) once per language and kept under
 * `<dataDir>/sounds/builtin/<lang>/`; the beep and the music are made here. Without
 * espeak-ng (or when it fails) a spoken prompt becomes a short two-tone signal, logged
 * once: the call still works.
 */
export function builtInPrompts(options: {
  dataDir: string;
  logger: Logger;
  synthesise?: Synthesiser;
}) {
  const synthesise = options.synthesise ?? espeakSynthesiser;
  const ready = new Map<string, Promise<Prompt>>();
  let warned = false;

  async function speak(language: 'ru' | 'en', name: keyof (typeof spoken)['ru']): Promise<Prompt> {
    const path = join(options.dataDir, 'sounds', 'builtin', language, `${name}.wav`);
    const made = await readPrompt(path);
    if (made !== undefined) return made;
    const partial = `${path}.${process.pid}.partial`;
    try {
      await mkdir(dirname(path), { recursive: true });
      await synthesise(language, spoken[language][name], partial);
      const prompt = promptFromWav(await readFile(partial));
      await rename(partial, path);
      return prompt;
    } catch (error) {
      await rm(partial, { force: true });
      if (!warned) {
        warned = true;
        options.logger.warn(
          { err: error },
          'built-in prompts: speech synthesis failed, using tones',
        );
      }
      return tonePrompt([
        [480, 620, 400],
        [0, 0, 200],
        [480, 620, 400],
      ]);
    }
  }

  return {
    prompt(name: BuiltInPrompt, language: string): Promise<Prompt> {
      const lang = language === 'en' ? 'en' : 'ru';
      const key = `${lang}/${name}`;
      let prompt = ready.get(key);
      if (prompt === undefined) {
        prompt =
          name === 'beep'
            ? Promise.resolve(tonePrompt([[1000, 0, 400]]))
            : name === 'music_on_hold'
              ? Promise.resolve(musicOnHold())
              : speak(lang, name);
        ready.set(key, prompt);
      }
      return prompt;
    },
  };
}

/** A prompt file made before, or undefined when there is none (or a broken one) to use. */
export async function readPrompt(path: string): Promise<Prompt | undefined> {
  try {
    return promptFromWav(await readFile(path));
  } catch (error) {
    if (isWavError(error) || isMissingFile(error)) return undefined;
    throw error;
  }
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** Tones as [frequency, second frequency (0: none), milliseconds]; 0 Hz is silence. */
export function tonePrompt(parts: readonly (readonly [number, number, number])[]): Prompt {
  const samples: number[] = [];
  for (const [first, second, ms] of parts) {
    const count = (ms * PROMPT_SAMPLE_RATE) / 1000;
    for (let i = 0; i < count; i++) {
      const t = i / PROMPT_SAMPLE_RATE;
      const a = first === 0 ? 0 : Math.sin(2 * Math.PI * first * t);
      const b = second === 0 ? 0 : Math.sin(2 * Math.PI * second * t);
      samples.push(Math.round((second === 0 ? a : (a + b) / 2) * 8000));
    }
  }
  const frames: Int16Array[] = [];
  for (let start = 0; start < samples.length; start += PROMPT_FRAME_SAMPLES) {
    const frame = new Int16Array(PROMPT_FRAME_SAMPLES);
    frame.set(samples.slice(start, start + PROMPT_FRAME_SAMPLES));
    frames.push(frame);
  }
  return {
    frames,
    durationMs: (samples.length * 1000) / PROMPT_SAMPLE_RATE,
    source: { encoding: 'pcm16', sampleRate: PROMPT_SAMPLE_RATE, channels: 1 },
  };
}

/** A gentle eight-second loop of soft chords: music on hold when a queue names none. */
function musicOnHold(): Prompt {
  const chords: [number, number][] = [
    [262, 330],
    [220, 262],
    [175, 220],
    [196, 247],
  ];
  return tonePrompt(chords.flatMap(([a, b]) => [[a, b, 1800] as const, [0, 0, 200] as const]));
}
