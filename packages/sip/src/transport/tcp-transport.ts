import { connect, createServer } from 'node:net';
import {
  StreamTransport,
  type StreamSocketFactory,
  type StreamTransportOptions,
} from './stream-transport.ts';

/**
 * SIP over TCP (RFC 3261 §18): the stream transport over plain `node:net` sockets.
 * Connection reuse, idle timeout and the connection cap are StreamTransport's.
 */
export type TcpTransportOptions = StreamTransportOptions;

const tcpSockets: StreamSocketFactory = {
  protocol: 'tcp',
  readyEvent: 'connect',
  createServer: (onSocket) => createServer(onSocket),
  connect: (destination) => connect({ host: destination.address, port: destination.port }),
};

export class TcpTransport extends StreamTransport {
  declare readonly protocol: 'tcp';

  constructor(options: TcpTransportOptions) {
    super(options, tcpSockets);
  }
}
