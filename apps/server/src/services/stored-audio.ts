import { open, unlink } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { ProvodError } from '@provod/contracts';

/** Bytes `start` to `end` inclusive, as HTTP ranges count them (RFC 9110 §14.1.2). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * An audio file ready to stream: opened already, so a missing file is a 404 rather than
 * a broken stream. Call `read` exactly once; the stream closes the file when it ends.
 */
export interface AudioContent {
  contentType: string;
  sizeBytes: number;
  fileName: string;
  read(range?: ByteRange): Readable;
}

/** Media types: audio/wav as browsers send it (RFC 2361 names audio/vnd.wave), RFC 3003, RFC 5334. */
const contentTypes: Record<string, string> = {
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
};

/**
 * The absolute path of a stored file. Stored paths are relative to the data directory
 * and validated on write; this refuses, again, any that would resolve outside it, so a
 * bad row can never serve or delete another file of the host.
 */
export function storedFilePath(dataDir: string, storagePath: string): string {
  const root = resolve(dataDir);
  const file = resolve(root, storagePath);
  const inside = relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new Error(`stored path ${JSON.stringify(storagePath)} escapes the data directory`);
  }
  return file;
}

export async function openStoredAudio(
  dataDir: string,
  storagePath: string,
  what: string,
): Promise<AudioContent> {
  const path = storedFilePath(dataDir, storagePath);
  const handle = await open(path, 'r').catch((error: unknown) => {
    if (isMissingFile(error)) {
      throw new ProvodError('not_found', `the audio file of ${what} is missing from storage`);
    }
    throw error;
  });
  try {
    const stats = await handle.stat();
    const fileName = path.slice(path.lastIndexOf(sep) + 1);
    return {
      read: (range) => handle.createReadStream(range && { start: range.start, end: range.end }),
      contentType: contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream',
      sizeBytes: stats.size,
      fileName,
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Deletes a stored file; one already gone is what the caller wanted anyway. */
export async function removeStoredFile(dataDir: string, storagePath: string): Promise<void> {
  await unlink(storedFilePath(dataDir, storagePath)).catch((error: unknown) => {
    if (!isMissingFile(error)) throw error;
  });
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
