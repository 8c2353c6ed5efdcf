import { spawn } from 'node:child_process';
import { rename, rm } from 'node:fs/promises';
import { soundFileRepository, tenantRepository, TenantScope } from '@provod/db';
import type { Prompt } from '@provod/media';
import type { PromptStore } from '@provod/pbx';
import type { Logger } from 'pino';
import { storedFilePath } from '../services/stored-audio.ts';
import type { ServiceDeps } from '../services/service-context.ts';
import { builtInPrompts, readPrompt, type Synthesiser } from './builtin-prompts.ts';

/** Decodes an MP3 to 8 kHz mono 16-bit WAV with sox (libsox-fmt-mp3), without a shell. */
export type Mp3Decoder = (mp3Path: string, wavPath: string) => Promise<void>;

export const soxMp3Decoder: Mp3Decoder = (mp3Path, wavPath) =>
  new Promise((resolve, reject) => {
    const child = spawn('sox', [mp3Path, '-r', '8000', '-c', '1', '-b', '16', wavPath], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`sox exited ${code}: ${stderr.trim()}`)),
    );
  });

/** How much decoded audio stays in memory: 30 minutes of 20 ms frames (about 29 MB). */
const maxCachedFrames = 90_000;

/**
 * The prompts routed calls play: a tenant's uploaded sound (WAV read as it is; MP3
 * decoded once to `<id>.prompt.wav` beside it), or a built-in one. Decoded prompts stay
 * in a small least-recently-used cache, so a busy menu does not read its file per call.
 * A sound that is missing, broken or another tenant's falls back to the built-in prompt,
 * with a warning: a caller hears something, never silence because a file broke.
 */
export function createPromptStore(options: {
  deps: ServiceDeps;
  logger: Logger;
  synthesise?: Synthesiser;
  decodeMp3?: Mp3Decoder;
}): PromptStore {
  const { deps, logger } = options;
  const decodeMp3 = options.decodeMp3 ?? soxMp3Decoder;
  const builtIns = builtInPrompts({
    dataDir: deps.dataDir,
    logger,
    ...(options.synthesise === undefined ? {} : { synthesise: options.synthesise }),
  });
  const cache = new Map<string, Prompt>();
  let cachedFrames = 0;

  function remember(key: string, prompt: Prompt): Prompt {
    cache.set(key, prompt);
    cachedFrames += prompt.frames.length;
    for (const [oldest, evicted] of cache) {
      if (cachedFrames <= maxCachedFrames || oldest === key) break;
      cache.delete(oldest);
      cachedFrames -= evicted.frames.length;
    }
    return prompt;
  }

  async function uploaded(tenantId: string, soundId: string): Promise<Prompt | undefined> {
    const key = `${tenantId}/${soundId}`;
    const cached = cache.get(key);
    if (cached !== undefined) {
      // Map order is insertion order: re-inserting marks it most recently used.
      cache.delete(key);
      cache.set(key, cached);
      return cached;
    }
    const scope = new TenantScope(deps.database.db, tenantId);
    const sound = await soundFileRepository(scope, deps.clock).get(soundId);
    if (sound === undefined) return undefined;
    const path = storedFilePath(deps.dataDir, sound.storagePath);
    if (sound.contentType !== 'audio/mpeg') {
      const prompt = await readPrompt(path);
      return prompt && remember(key, prompt);
    }
    const decoded = path.replace(/\.mp3$/, '') + '.prompt.wav';
    const ready = await readPrompt(decoded);
    if (ready !== undefined) return remember(key, ready);
    const partial = `${decoded}.${process.pid}.partial.wav`;
    try {
      await decodeMp3(path, partial);
      await rename(partial, decoded);
    } catch (error) {
      await rm(partial, { force: true });
      logger.warn({ err: error, tenantId, soundId }, 'MP3 sound could not be decoded');
      return undefined;
    }
    const prompt = await readPrompt(decoded);
    return prompt && remember(key, prompt);
  }

  return {
    async prompt(tenantId, soundId, fallback) {
      if (soundId !== null) {
        const prompt = await uploaded(tenantId, soundId);
        if (prompt !== undefined) return prompt;
        logger.warn(
          { tenantId, soundId },
          `sound missing or unreadable: playing built-in ${fallback}`,
        );
      }
      const tenant = await tenantRepository(deps.database.db, deps.clock).get(tenantId);
      return builtIns.prompt(fallback, tenant?.language ?? 'ru');
    },
  };
}
