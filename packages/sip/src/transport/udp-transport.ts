import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import {
  DEFAULT_MAX_MESSAGE_SIZE,
  isSipParseError,
  parseMessage,
  serializeMessage,
  type SipMessage,
} from '../message/index.ts';
import { acceptMessage, normalizeAddress, rejectMessage } from './inbound.ts';
import { SipTransportError } from './transport-error.ts';
import {
  type SipBindAddress,
  type SipDestination,
  type SipEndpoint,
  type SipTransport,
  type SipTransportHandlers,
} from './transport.ts';

/**
 * SIP over UDP (RFC 3261 §18): one datagram, one message. One socket per configured
 * address; a response goes out of the first socket of the destination's IP family.
 * Choosing UDP or TCP for a large request (§18.1.1, 1300 bytes) is the caller's
 * decision; this transport sends what it is given, up to the UDP payload limit.
 */
export interface UdpTransportOptions extends SipTransportHandlers {
  readonly addresses: readonly SipBindAddress[];
  /** Larger datagrams are refused: 513 to a request (RFC 3261 §21.5.14). */
  readonly maxMessageSize?: number;
  /**
   * Socket buffer sizes asked of the kernel (it caps them at net.core.rmem_max/wmem_max).
   * Linux's default 208 KiB overflows in a burst of registrations or calls while the
   * event loop is busy, and every dropped datagram costs a retransmission later.
   */
  readonly socketBufferBytes?: number;
}

const DEFAULT_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

type UdpState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'listening'; readonly sockets: readonly Socket[] }
  | { readonly kind: 'closed' };

// A bare CRLF datagram is a keep-alive some clients send; §7.5 says to ignore it.
const KEEP_ALIVE_RE = /^(?:\r\n)+$/;
const MAX_UDP_PAYLOAD = 65_507;

export class UdpTransport implements SipTransport {
  readonly protocol = 'udp';
  private state: UdpState = { kind: 'idle' };
  private readonly maxMessageSize: number;

  constructor(private readonly options: UdpTransportOptions) {
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  }

  async listen(): Promise<readonly SipEndpoint[]> {
    if (this.state.kind !== 'idle') {
      throw new SipTransportError('not_listening', `UDP transport is ${this.state.kind}`);
    }
    const sockets: Socket[] = [];
    try {
      for (const bind of this.options.addresses) sockets.push(await this.bind(bind));
    } catch (error) {
      await Promise.all(sockets.map(closeSocket));
      throw new SipTransportError('socket_error', 'UDP bind failed', { cause: error });
    }
    this.state = { kind: 'listening', sockets };
    return sockets.map((socket) => {
      const local = socket.address();
      return { transport: 'udp', address: local.address, port: local.port };
    });
  }

  async close(): Promise<void> {
    const state = this.state;
    this.state = { kind: 'closed' };
    if (state.kind === 'listening') await Promise.all(state.sockets.map(closeSocket));
  }

  async send(message: SipMessage, destination: SipDestination): Promise<void> {
    await this.sendBytes(serializeMessage(message), destination);
  }

  private sendBytes(bytes: Buffer, destination: SipEndpoint): Promise<void> {
    if (this.state.kind !== 'listening') {
      return Promise.reject(
        new SipTransportError('not_listening', 'UDP transport is not listening'),
      );
    }
    const family = isIP(destination.address);
    const socket = this.state.sockets.find(
      (candidate) => isIP(candidate.address().address) === family,
    );
    if (family === 0 || socket === undefined) {
      return Promise.reject(
        new SipTransportError('bad_destination', `no UDP socket reaches ${destination.address}`, {
          peer: destination,
        }),
      );
    }
    if (bytes.length > MAX_UDP_PAYLOAD) {
      return Promise.reject(
        new SipTransportError('send_failed', `${bytes.length} bytes exceed a UDP datagram`, {
          peer: destination,
        }),
      );
    }
    return new Promise((resolve, reject) => {
      socket.send(bytes, destination.port, destination.address, (error) => {
        if (error === null) resolve();
        else
          reject(
            new SipTransportError('send_failed', 'UDP send failed', {
              peer: destination,
              cause: error,
            }),
          );
      });
    });
  }

  private bind(bind: SipBindAddress): Promise<Socket> {
    const bufferBytes = this.options.socketBufferBytes ?? DEFAULT_SOCKET_BUFFER_BYTES;
    const socket = createSocket({
      type: isIP(bind.address) === 6 ? 'udp6' : 'udp4',
      recvBufferSize: bufferBytes,
      sendBufferSize: bufferBytes,
    });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(bind.port, bind.address, () => {
        socket.off('error', reject);
        socket.on('error', (error) => {
          this.options.onError(
            new SipTransportError('socket_error', 'UDP socket error', { cause: error }),
          );
        });
        socket.on('message', (datagram, remote) => this.receive(datagram, remote));
        resolve(socket);
      });
    });
  }

  /** Never throws: a socket callback that threw would take the process down. */
  private receive(datagram: Buffer, remote: RemoteInfo): void {
    if (this.state.kind !== 'listening') return;
    const source: SipEndpoint = {
      transport: 'udp',
      address: normalizeAddress(remote.address),
      port: remote.port,
    };
    if (KEEP_ALIVE_RE.test(datagram.toString('latin1'))) return;
    let message: SipMessage;
    try {
      message = parseMessage(datagram, { maxMessageSize: this.maxMessageSize });
    } catch (error) {
      if (!isSipParseError(error)) {
        this.options.onError(
          new SipTransportError('malformed_message', 'unexpected parser failure', {
            peer: source,
            cause: error,
          }),
        );
        return;
      }
      const { reply, replyTo, error: report } = rejectMessage(datagram, error, source);
      this.options.onError(report);
      if (reply !== undefined) this.reply(reply, replyTo);
      return;
    }
    this.options.onMessage(acceptMessage(message, source));
  }

  private reply(bytes: Buffer, destination: SipEndpoint): void {
    this.sendBytes(bytes, destination).catch((error: unknown) => {
      this.options.onError(
        new SipTransportError('send_failed', 'could not send an error response', {
          peer: destination,
          cause: error,
        }),
      );
    });
  }
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}
