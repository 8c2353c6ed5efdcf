import { randomBytes } from 'node:crypto';
import { type RemoteInfo, type Socket } from 'node:dgram';
import { parseRtcpCompound } from '../rtcp/compound.ts';
import { rtcpIntervalMs } from '../rtcp/interval.ts';
import { type RtcpPacket } from '../rtcp/rtcp-packet.ts';
import { buildOutgoingReport, type SenderCounters } from '../rtcp/report-builder.ts';
import { isMediaPacketError } from '../rtp/packet-error.ts';
import { RtpReceiveStatistics } from '../rtp/receive-statistics.ts';
import { parseRtpPacket, serializeRtpPacket, type RtpPacket } from '../rtp/rtp-packet.ts';
import { type MediaAddress, RtpLatch, sameAddress } from './latch.ts';
import { MediaTimeoutWatch } from './media-timeout.ts';
import { estimateMos } from './mos.ts';
import { type RtpPortPool } from './port-pool.ts';
import { RtcpReceiverState } from './rtcp-receiver.ts';
import { RtpSessionError } from './session-error.ts';
import { bindRtpSocketPair, closeSocket, type RtpSocketPair } from './socket-pair.ts';
import { type RtpStreamStats } from './stream-stats.ts';

/**
 * One RTP session (RFC 3550): a call leg's audio stream over a pair of UDP sockets from
 * the port pool, with latching (latch.ts), periodic RTCP (§6.2, interval.ts), receive
 * statistics (Appendix A) and a media timeout (media-timeout.ts).
 */
export interface PayloadFormat {
  readonly clockRate: number;
  /** 'event' for RFC 4733 telephone-event, whose timestamps do not advance per packet. */
  readonly timing: 'audio' | 'event';
}

export interface RtpSessionHandlers {
  /** A packet from the latched source that passed sequence validation (A.1). */
  readonly onPacket: (packet: RtpPacket, source: MediaAddress) => void;
  readonly onMediaTimeout: (silentForMs: number) => void;
  readonly onError: (error: RtpSessionError) => void;
  readonly onRtcp?: (packets: readonly RtcpPacket[], source: MediaAddress) => void;
  readonly onLatch?: (remote: MediaAddress, kind: 'latched' | 'relatched') => void;
}

export interface RtpSessionOptions {
  readonly pool: RtpPortPool;
  /** The local address to bind, e.g. '0.0.0.0' or the media interface. */
  readonly bindAddress: string;
  /** The SDP's connection address and port: a first guess (see latch.ts). */
  readonly remote: MediaAddress | null;
  /** RFC 3605 a=rtcp, else the RTP port + 1 (RFC 3550 §11). */
  readonly remoteRtcp?: MediaAddress | null;
  /** The negotiated payload types; packets of others are dropped. */
  readonly payloadTypes: ReadonlyMap<number, PayloadFormat>;
  /** RFC 5576 a=ssrc from the SDP, when the far end announced one. */
  readonly expectedSsrc?: number;
  readonly cname: string;
  /** No RTP for this long → onMediaTimeout; null turns the watch off. */
  readonly mediaTimeoutMs: number | null;
  readonly relatchAfterPackets?: number;
  /** Bits per second for the RTCP interval (§6.2); G.711 with headers is ~80 kbit/s. */
  readonly sessionBandwidthBps?: number;
  /** Monotonic milliseconds (arrival times, delays) and wall-clock ms (NTP). */
  readonly clock?: { readonly now: () => number; readonly unixNow: () => number };
  /** Uniform [0, 1) for RTCP interval randomisation (§6.3.1). */
  readonly random?: () => number;
  readonly handlers: RtpSessionHandlers;
}

export interface OutgoingRtp {
  readonly payloadType: number;
  readonly payload: Uint8Array;
  readonly timestamp: number;
  readonly marker?: boolean;
}

type SessionState =
  { readonly kind: 'open'; readonly sockets: RtpSocketPair } | { readonly kind: 'closed' };

const systemClock = { now: () => performance.timeOrigin + performance.now(), unixNow: Date.now };
const UDP_IP_OVERHEAD = 28;

export class RtpSession {
  readonly ssrc: number;
  readonly localPort: number;
  private state: SessionState;
  private readonly latch: RtpLatch;
  private rtcpTarget: MediaAddress | null;
  private readonly statistics = new RtpReceiveStatistics();
  private readonly rtcpState: RtcpReceiverState;
  private readonly timeout: MediaTimeoutWatch;
  private readonly clock: { readonly now: () => number; readonly unixNow: () => number };
  private sequence: number;
  private sender: SenderCounters | null = null;
  private packetsAtReport: [beforeLast: number, last: number] = [0, 0];
  private averageRtcpOctets = 100;
  private rtcpTimer: NodeJS.Timeout | null = null;
  private malformed = 0;
  private rejected = 0;

  static async open(options: RtpSessionOptions): Promise<RtpSession> {
    const sockets = await bindRtpSocketPair(options.pool, options.bindAddress);
    return new RtpSession(options, sockets);
  }

  private constructor(
    private readonly options: RtpSessionOptions,
    sockets: RtpSocketPair,
  ) {
    this.state = { kind: 'open', sockets };
    this.localPort = sockets.port;
    this.clock = options.clock ?? systemClock;
    // RFC 3550 §5.1, §8.1: SSRC and the first sequence number are random.
    const random = randomBytes(6);
    this.ssrc = random.readUInt32BE(0);
    this.sequence = random.readUInt16BE(4);
    this.latch = new RtpLatch(options.remote, options.relatchAfterPackets);
    this.rtcpTarget = rtcpAddressFor(options.remote, options.remoteRtcp);
    this.rtcpState = new RtcpReceiverState(this.ssrc);
    this.timeout = new MediaTimeoutWatch(this.clock.now, options.handlers.onMediaTimeout);
    for (const socket of [sockets.rtp, sockets.rtcp]) {
      socket.on('error', (error) =>
        this.report(new RtpSessionError('socket_error', 'UDP socket error', { cause: error })),
      );
    }
    sockets.rtp.on('message', (datagram, remote) => this.receiveRtp(datagram, remote));
    sockets.rtcp.on('message', (datagram, remote) => this.receiveRtcp(datagram, remote));
    this.timeout.setTimeout(options.mediaTimeoutMs);
    this.scheduleRtcp(true);
  }

  /** Where media goes now: the latched source, else the SDP's address. */
  get remote(): MediaAddress | null {
    return this.latch.sendTarget;
  }

  /** A re-INVITE changed the far end's address: latch again. */
  setRemote(remote: MediaAddress | null, remoteRtcp?: MediaAddress | null): void {
    this.latch.expect(remote);
    this.rtcpTarget = rtcpAddressFor(remote, remoteRtcp);
  }

  /** Hold turns the media timeout off (null) and resume back on. */
  setMediaTimeout(timeoutMs: number | null): void {
    if (this.state.kind === 'open') this.timeout.setTimeout(timeoutMs);
  }

  async send(rtp: OutgoingRtp): Promise<void> {
    const target = this.latch.sendTarget;
    const state = this.state;
    if (state.kind !== 'open') throw new RtpSessionError('not_open', 'RTP session is closed');
    if (target === null) throw new RtpSessionError('no_remote', 'no remote media address yet');
    const bytes = serializeRtpPacket({
      marker: rtp.marker ?? false,
      payloadType: rtp.payloadType,
      sequenceNumber: this.sequence,
      timestamp: rtp.timestamp,
      ssrc: this.ssrc,
      csrcs: [],
      extension: null,
      payload: rtp.payload,
      paddingLength: 0,
    });
    this.sequence = (this.sequence + 1) % 0x1_0000;
    await sendDatagram(state.sockets.rtp, bytes, target);
    this.sender = {
      packets: (this.sender?.packets ?? 0) + 1,
      octets: (this.sender?.octets ?? 0) + rtp.payload.length,
      lastRtpTimestamp: rtp.timestamp,
      lastSentAtMs: this.clock.now(),
      clockRate: this.options.payloadTypes.get(rtp.payloadType)?.clockRate ?? 8000,
    };
  }

  /** Sends a compound RR/SR + SDES now (the timer calls it; tests and BYE do too). */
  async sendRtcpReport(bye?: { readonly reason: string | null }): Promise<void> {
    const state = this.state;
    if (state.kind !== 'open') throw new RtpSessionError('not_open', 'RTP session is closed');
    const target = this.rtcpTarget;
    if (target === null) return;
    const sent = this.sender?.packets ?? 0;
    const bytes = buildOutgoingReport({
      ssrc: this.ssrc,
      cname: this.options.cname,
      // §6.4: an SR when we sent data since the report before last.
      sender: sent > this.packetsAtReport[0] ? this.sender : null,
      reception: this.statistics.takeReceptionReport(this.clock.now()),
      nowUnixMs: this.clock.unixNow(),
      nowMs: this.clock.now(),
      ...(bye === undefined ? {} : { bye }),
    });
    this.packetsAtReport = [this.packetsAtReport[1], sent];
    this.noteRtcpSize(bytes.length);
    await sendDatagram(state.sockets.rtcp, bytes, target);
  }

  stats(): RtpStreamStats {
    const received = this.statistics.totals();
    const remote = this.latch.sendTarget;
    return {
      localSsrc: this.ssrc,
      remoteAddress: remote === null ? null : `${remote.address}:${remote.port}`,
      latched: this.latch.state.kind === 'latched',
      sent: { packets: this.sender?.packets ?? 0, octets: this.sender?.octets ?? 0 },
      received,
      remoteReport: this.rtcpState.remoteReport,
      rttMs: this.rtcpState.rttMs,
      mos:
        received.packets === 0
          ? null
          : estimateMos({
              lossFraction:
                received.expected > 0 ? Math.max(0, received.lost) / received.expected : 0,
              jitterMs: received.jitterMs,
              rttMs: this.rtcpState.rttMs,
            }),
      malformedPackets: this.malformed,
      rejectedPackets: this.rejected,
    };
  }

  /** Sends a final report with BYE (§6.6), closes the sockets, returns the ports. */
  async close(reason: string | null = null): Promise<void> {
    const state = this.state;
    if (state.kind !== 'open') return;
    await this.sendRtcpReport({ reason }).catch((error: unknown) =>
      this.report(new RtpSessionError('send_failed', 'RTCP BYE not sent', { cause: error })),
    );
    this.state = { kind: 'closed' };
    this.timeout.stop();
    if (this.rtcpTimer !== null) clearTimeout(this.rtcpTimer);
    await Promise.all([closeSocket(state.sockets.rtp), closeSocket(state.sockets.rtcp)]);
    this.options.pool.release(state.sockets.port);
  }

  /** Never throws: a socket callback that threw would take the process down. */
  private receiveRtp(datagram: Buffer, remote: RemoteInfo): void {
    const source = { address: remote.address, port: remote.port };
    let packet: RtpPacket;
    try {
      packet = parseRtpPacket(datagram);
    } catch (error) {
      this.malformed++;
      this.report(malformedError(error, 'RTP', source));
      return;
    }
    const format = this.options.payloadTypes.get(packet.payloadType);
    const expectedSsrc = this.options.expectedSsrc;
    if (format === undefined || (expectedSsrc !== undefined && packet.ssrc !== expectedSsrc)) {
      this.rejected++;
      return;
    }
    const decision = this.latch.observe(source, packet.ssrc, packet.sequenceNumber);
    if (decision === 'drop') {
      this.rejected++;
      return;
    }
    if (decision !== 'accept') this.options.handlers.onLatch?.(source, decision);
    this.timeout.packetArrived();
    const verdict = this.statistics.receive(
      {
        ssrc: packet.ssrc,
        sequenceNumber: packet.sequenceNumber,
        timestamp: packet.timestamp,
        payloadOctets: packet.payload.length,
        clockRate: format.timing === 'audio' ? format.clockRate : null,
      },
      this.clock.now(),
    );
    if (verdict === 'valid') this.options.handlers.onPacket(packet, source);
  }

  private receiveRtcp(datagram: Buffer, remote: RemoteInfo): void {
    const source = { address: remote.address, port: remote.port };
    let packets: RtcpPacket[];
    try {
      packets = parseRtcpCompound(datagram);
    } catch (error) {
      this.malformed++;
      this.report(malformedError(error, 'RTCP', source));
      return;
    }
    const latch = this.latch.state;
    const [first] = packets;
    const fromLatchedSource =
      latch.kind === 'latched' &&
      first !== undefined &&
      (first.kind === 'sr' || first.kind === 'rr') &&
      first.ssrc === latch.ssrc;
    // Symmetric RTCP: follow the source whose RTP we latched to, and only it.
    if (!fromLatchedSource) {
      if (this.rtcpTarget === null || !sameAddress(source, this.rtcpTarget)) {
        this.rejected++;
        return;
      }
    } else {
      this.rtcpTarget = source;
    }
    this.noteRtcpSize(datagram.length);
    const time = { nowMs: this.clock.now(), nowUnixMs: this.clock.unixNow() };
    this.rtcpState.apply(packets, this.statistics, time, this.sender?.clockRate ?? 8000);
    this.options.handlers.onRtcp?.(packets, source);
  }

  private scheduleRtcp(initial: boolean): void {
    const interval = rtcpIntervalMs({
      members: 2,
      averagePacketOctets: this.averageRtcpOctets,
      sessionBandwidthBps: this.options.sessionBandwidthBps ?? 80_000,
      initial,
      random: (this.options.random ?? Math.random)(),
    });
    this.rtcpTimer = setTimeout(() => {
      if (this.state.kind !== 'open') return;
      this.sendRtcpReport().catch((error: unknown) =>
        this.report(new RtpSessionError('send_failed', 'RTCP report not sent', { cause: error })),
      );
      this.scheduleRtcp(false);
    }, interval);
  }

  /** §6.3.3: avg_rtcp_size = 1/16 × packet_size + 15/16 × avg_rtcp_size, with UDP/IP. */
  private noteRtcpSize(octets: number): void {
    this.averageRtcpOctets += (octets + UDP_IP_OVERHEAD - this.averageRtcpOctets) / 16;
  }

  private report(error: RtpSessionError): void {
    this.options.handlers.onError(error);
  }
}

function rtcpAddressFor(
  remote: MediaAddress | null,
  remoteRtcp: MediaAddress | null | undefined,
): MediaAddress | null {
  if (remoteRtcp !== undefined && remoteRtcp !== null) return remoteRtcp;
  return remote === null ? null : { address: remote.address, port: remote.port + 1 };
}

function malformedError(error: unknown, what: string, source: MediaAddress): RtpSessionError {
  const detail = isMediaPacketError(error) ? error.code : 'unexpected parser failure';
  return new RtpSessionError(
    'malformed_packet',
    `${what} from ${source.address}:${source.port}: ${detail}`,
    { cause: error },
  );
}

function sendDatagram(socket: Socket, bytes: Uint8Array, target: MediaAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.send(bytes, target.port, target.address, (error) => {
      if (error === null) resolve();
      else reject(new RtpSessionError('send_failed', 'UDP send failed', { cause: error }));
    });
  });
}
