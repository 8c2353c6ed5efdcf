import { MediaPacketError, requireLength, requireUint } from '../rtp/packet-error.ts';
import {
  type ReportBlock,
  RTCP_RR,
  RTCP_SR,
  type RtcpReceiverReport,
  type RtcpSenderReport,
  withRtcpHeader,
} from './rtcp-packet.ts';

/**
 * Sender and receiver reports, RFC 3550 §6.4.1 (SR, PT=200) and §6.4.2 (RR, PT=201).
 * Bodies after the common header:
 *
 *  SR:  SSRC of sender | NTP timestamp (2 words) | RTP timestamp | sender's packet count
 *       | sender's octet count | report blocks ×RC | profile-specific extension
 *  RR:  SSRC of packet sender | report blocks ×RC | profile-specific extension
 *
 *  report block (24 octets):
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 SSRC_n (source identifier)                    |
 *  | fraction lost |       cumulative number of packets lost       |
 *  |           extended highest sequence number received           |
 *  |                      interarrival jitter                      |
 *  |                         last SR (LSR)                         |
 *  |                   delay since last SR (DLSR)                  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
const BLOCK = 24;
const SENDER_INFO = 20;
const UINT32 = 0xffff_ffff;

export function parseSenderReport(count: number, body: Uint8Array): RtcpSenderReport {
  requireLength(body, 4 + SENDER_INFO + count * BLOCK, `SR with ${count} report blocks`);
  const view = viewOf(body);
  return {
    kind: 'sr',
    ssrc: view.getUint32(0),
    sender: {
      ntpSeconds: view.getUint32(4),
      ntpFraction: view.getUint32(8),
      rtpTimestamp: view.getUint32(12),
      packetCount: view.getUint32(16),
      octetCount: view.getUint32(20),
    },
    reports: parseBlocks(view, 4 + SENDER_INFO, count),
    extension: body.subarray(4 + SENDER_INFO + count * BLOCK),
  };
}

export function parseReceiverReport(count: number, body: Uint8Array): RtcpReceiverReport {
  requireLength(body, 4 + count * BLOCK, `RR with ${count} report blocks`);
  const view = viewOf(body);
  return {
    kind: 'rr',
    ssrc: view.getUint32(0),
    reports: parseBlocks(view, 4, count),
    extension: body.subarray(4 + count * BLOCK),
  };
}

export function serializeSenderReport(report: RtcpSenderReport): Buffer {
  const { sender } = report;
  const head = Buffer.alloc(4 + SENDER_INFO);
  const fields = [
    report.ssrc,
    sender.ntpSeconds,
    sender.ntpFraction,
    sender.rtpTimestamp,
    sender.packetCount,
    sender.octetCount,
  ];
  fields.forEach((value, index) => {
    requireUint(value, UINT32, 'SR field');
    head.writeUInt32BE(value, index * 4);
  });
  return withRtcpHeader(RTCP_SR, report.reports.length, concatBody(head, report));
}

export function serializeReceiverReport(report: RtcpReceiverReport): Buffer {
  requireUint(report.ssrc, UINT32, 'RR SSRC');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(report.ssrc);
  return withRtcpHeader(RTCP_RR, report.reports.length, concatBody(head, report));
}

function concatBody(
  head: Buffer,
  report: { readonly reports: readonly ReportBlock[]; readonly extension: Uint8Array },
): Buffer {
  if (report.reports.length > 31) {
    throw new MediaPacketError('bad_field', `${report.reports.length} report blocks (max 31)`);
  }
  return Buffer.concat([head, ...report.reports.map(serializeBlock), report.extension]);
}

function parseBlocks(view: DataView, offset: number, count: number): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  for (let index = 0; index < count; index++) {
    const at = offset + index * BLOCK;
    const lossWord = view.getUint32(at + 4);
    // The low 24 bits are a signed count (§6.4.1: negative with duplicates).
    const lost24 = lossWord & 0xff_ffff;
    blocks.push({
      ssrc: view.getUint32(at),
      fractionLost: lossWord >>> 24,
      cumulativeLost: lost24 >= 0x80_0000 ? lost24 - 0x100_0000 : lost24,
      extendedHighestSequence: view.getUint32(at + 8),
      jitter: view.getUint32(at + 12),
      lastSenderReport: view.getUint32(at + 16),
      delaySinceLastSenderReport: view.getUint32(at + 20),
    });
  }
  return blocks;
}

function serializeBlock(block: ReportBlock): Buffer {
  requireUint(block.fractionLost, 0xff, 'fraction lost');
  if (
    !Number.isInteger(block.cumulativeLost) ||
    block.cumulativeLost < -0x80_0000 ||
    block.cumulativeLost > 0x7f_ffff
  ) {
    throw new MediaPacketError('bad_field', `cumulative lost ${block.cumulativeLost}`);
  }
  const out = Buffer.alloc(BLOCK);
  const words = [
    block.ssrc,
    ((block.fractionLost << 24) | (block.cumulativeLost & 0xff_ffff)) >>> 0,
    block.extendedHighestSequence,
    block.jitter,
    block.lastSenderReport,
    block.delaySinceLastSenderReport,
  ];
  words.forEach((value, index) => {
    requireUint(value, UINT32, 'report block field');
    out.writeUInt32BE(value, index * 4);
  });
  return out;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
