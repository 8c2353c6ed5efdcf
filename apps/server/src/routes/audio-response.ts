import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AudioContent, ByteRange } from '../services/stored-audio.ts';

/**
 * Streams a stored audio file, `inline` so a browser's <audio> element plays it. Single
 * byte ranges are honoured (206) because players seek with them and Safari will not play
 * media from a server that ignores them.
 */
export function sendAudio(
  request: FastifyRequest,
  reply: FastifyReply,
  content: AudioContent,
): FastifyReply {
  const range = requestedRange(request.headers.range, content.sizeBytes);
  reply
    .header('content-type', content.contentType)
    .header('content-disposition', `inline; filename="${content.fileName}"`)
    .header('cache-control', 'private, no-store')
    .header('accept-ranges', 'bytes');
  if (!range) return reply.header('content-length', content.sizeBytes).send(content.read());
  return reply
    .status(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${content.sizeBytes}`)
    .header('content-length', range.end - range.start + 1)
    .send(content.read(range));
}

/**
 * RFC 9110 §14.1.2: `bytes=first-last`, `bytes=first-` or `bytes=-suffixLength`. Several
 * ranges, other units and unsatisfiable ranges are ignored and the whole file is sent,
 * which §14.2 allows ("a server MAY ignore the Range header field").
 */
export function requestedRange(header: string | undefined, size: number): ByteRange | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || size === 0) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '') {
    const suffix = Number(last);
    return last === '' || suffix === 0
      ? undefined
      : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return start < size && start <= end ? { start, end } : undefined;
}
