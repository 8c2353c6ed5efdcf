import { MediaPacketError, requireLength, requireUint } from '../rtp/packet-error.ts';
import {
  RTCP_SDES,
  type RtcpSourceDescription,
  type SdesChunk,
  type SdesItem,
  withRtcpHeader,
} from './rtcp-packet.ts';

/**
 * Source description, RFC 3550 §6.5 (SDES, PT=202). The header's count is the number of
 * chunks; each chunk is an SSRC, then items, ended by one or more zero octets up to the
 * next 32-bit boundary:
 *
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                          SSRC/CSRC_1                          |
 *  |    type (1=CNAME) |     length    | UTF-8 text (length octets) ...
 *  |   ... next item ... | 0 (end) | 0-padding to the word boundary |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
const END = 0;
const decoder = new TextDecoder('utf-8', { fatal: true });

export function parseSourceDescription(count: number, body: Uint8Array): RtcpSourceDescription {
  const chunks: SdesChunk[] = [];
  let offset = 0;
  for (let chunk = 0; chunk < count; chunk++) {
    requireLength(body, offset + 4, `SDES chunk ${chunk + 1} SSRC`);
    const ssrc = new DataView(body.buffer, body.byteOffset + offset, 4).getUint32(0);
    offset += 4;
    const items: SdesItem[] = [];
    for (;;) {
      requireLength(body, offset + 1, `SDES chunk ${chunk + 1} items`);
      const type = body[offset] ?? END;
      if (type === END) {
        // The end marker plus padding reach the next word boundary.
        offset = (Math.floor(offset / 4) + 1) * 4;
        break;
      }
      requireLength(body, offset + 2, 'SDES item length');
      const length = body[offset + 1] ?? 0;
      requireLength(body, offset + 2 + length, 'SDES item text');
      items.push({ type, text: decodeText(body.subarray(offset + 2, offset + 2 + length)) });
      offset += 2 + length;
    }
    chunks.push({ ssrc, items });
  }
  if (offset > body.length) {
    throw new MediaPacketError('truncated', 'SDES padding runs past the packet');
  }
  return { kind: 'sdes', chunks };
}

export function serializeSourceDescription(packet: RtcpSourceDescription): Buffer {
  const parts: Buffer[] = [];
  for (const chunk of packet.chunks) {
    requireUint(chunk.ssrc, 0xffff_ffff, 'SDES SSRC');
    const ssrc = Buffer.alloc(4);
    ssrc.writeUInt32BE(chunk.ssrc);
    const items = chunk.items.map((item) => {
      requireUint(item.type, 0xff, 'SDES item type');
      if (item.type === END) throw new MediaPacketError('bad_item', 'SDES item type 0');
      const text = Buffer.from(item.text, 'utf8');
      if (text.length > 0xff) {
        throw new MediaPacketError('bad_item', `SDES item of ${text.length} octets (max 255)`);
      }
      return Buffer.concat([Buffer.from([item.type, text.length]), text]);
    });
    const used = 4 + items.reduce((sum, item) => sum + item.length, 0);
    // At least one zero octet ends the list, then zeros to the word boundary.
    const end = Buffer.alloc(4 - (used % 4));
    parts.push(ssrc, ...items, end);
  }
  return withRtcpHeader(RTCP_SDES, packet.chunks.length, Buffer.concat(parts));
}

function decodeText(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (error) {
    // TextDecoder with fatal: true throws only a TypeError for invalid UTF-8.
    if (error instanceof TypeError) {
      throw new MediaPacketError('bad_item', 'SDES text is not valid UTF-8');
    }
    throw error;
  }
}
