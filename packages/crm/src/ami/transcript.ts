/**
 * AMI transcripts: the events an Asterisk sent on one connection after login, as bytes on
 * the wire (CRLF lines, an empty line after each message). A transcript file may start with
 * comment lines beginning with '#' — where it came from, which Asterisk version's field set
 * it follows; they are not part of the stream.
 */
import { AmiMessage } from './message.ts';
import { AmiParser } from './parser.ts';

export class TranscriptError extends Error {
  override readonly name = 'TranscriptError';
}

export function parseTranscript(text: string): AmiMessage[] {
  const lines = text.split('\n');
  let start = 0;
  while (start < lines.length && (lines[start] ?? '').startsWith('#')) start += 1;
  const parser = new AmiParser({ expectBanner: false });
  const messages: AmiMessage[] = [];
  const items = parser.push(`${lines.slice(start).join('\n')}\r\n\r\n`);
  for (const item of items) {
    if (item.kind === 'banner') throw new TranscriptError('transcripts start after the banner');
    if (item.kind === 'malformed') {
      throw new TranscriptError(`transcript line ${JSON.stringify(item.line)}: ${item.reason}`);
    }
    if (item.message.kind !== 'event') {
      throw new TranscriptError(`transcripts hold events only, got ${item.message.kind}`);
    }
    messages.push(item.message);
  }
  return messages;
}

/**
 * The event's `Timestamp` header in milliseconds: Asterisk adds it to every event when
 * manager.conf has `timestampevents = yes` (seconds.microseconds since the epoch).
 */
export function eventTimeMs(message: AmiMessage): number | undefined {
  const raw = message.get('Timestamp');
  if (raw === undefined || !/^\d+(\.\d+)?$/.test(raw)) return undefined;
  return Math.round(Number(raw) * 1000);
}
