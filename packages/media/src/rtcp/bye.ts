import { MediaPacketError, requireLength, requireUint } from '../rtp/packet-error.ts';
import { RTCP_BYE, type RtcpBye, withRtcpHeader } from './rtcp-packet.ts';

/**
 * Goodbye, RFC 3550 §6.6 (BYE, PT=203): the header's count is the number of SSRCs
 * leaving, optionally followed by a reason, padded to a word:
 *
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                           SSRC/CSRC  (×SC)                    |
 *  |     length    |               reason for leaving (UTF-8) ...  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export function parseBye(count: number, body: Uint8Array): RtcpBye {
  requireLength(body, count * 4, `BYE with ${count} SSRCs`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const ssrcs: number[] = [];
  for (let index = 0; index < count; index++) ssrcs.push(view.getUint32(index * 4));
  let reason: string | null = null;
  const rest = body.subarray(count * 4);
  if (rest.length > 0) {
    const length = rest[0] ?? 0;
    if (1 + length > rest.length) {
      throw new MediaPacketError('bad_item', `BYE reason of ${length} octets runs past the end`);
    }
    reason = Buffer.from(rest.subarray(1, 1 + length)).toString('utf8');
  }
  return { kind: 'bye', ssrcs, reason };
}

export function serializeBye(packet: RtcpBye): Buffer {
  const ssrcs = Buffer.alloc(packet.ssrcs.length * 4);
  packet.ssrcs.forEach((ssrc, index) => {
    requireUint(ssrc, 0xffff_ffff, 'BYE SSRC');
    ssrcs.writeUInt32BE(ssrc, index * 4);
  });
  const parts = [ssrcs];
  if (packet.reason !== null) {
    const text = Buffer.from(packet.reason, 'utf8');
    if (text.length > 0xff) throw new MediaPacketError('bad_item', 'BYE reason over 255 octets');
    const used = 1 + text.length;
    parts.push(Buffer.from([text.length]), text, Buffer.alloc((4 - (used % 4)) % 4));
  }
  return withRtcpHeader(RTCP_BYE, packet.ssrcs.length, Buffer.concat(parts));
}
