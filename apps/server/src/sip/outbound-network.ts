import { randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { SipNetwork } from '@provod/pbx';
import {
  BRANCH_MAGIC_COOKIE,
  DEFAULT_TIMER_SETTINGS,
  type SipDestination,
  type SipMessage,
  type SipTransport,
  type SipTransportProtocol,
  type TransactionManager,
  type TransactionTimers,
} from '@provod/sip';
import type { Logger } from 'pino';

export interface OutboundNetworkOptions {
  manager: TransactionManager;
  transports: ReadonlyMap<SipTransportProtocol, SipTransport>;
  timers: TransactionTimers;
  /** The host written in Via and Contact: where peers reach this node. */
  advertisedHost: string;
  /** The port bound per transport, for Via and Contact. */
  ports: ReadonlyMap<SipTransportProtocol, number>;
  logger: Logger;
}

/**
 * Call control's way out (the pbx package's SipNetwork) over this node's transports and
 * transaction manager: requests go through client transactions, ACKs for 2xx and 2xx
 * retransmissions straight to the transport.
 */
export function createOutboundNetwork(options: OutboundNetworkOptions): SipNetwork {
  const { manager, transports, logger } = options;
  const host = isIPv6(options.advertisedHost)
    ? `[${options.advertisedHost}]`
    : options.advertisedHost;

  function transmit(message: SipMessage, destination: SipDestination): void {
    const transport = transports.get(destination.transport);
    if (transport === undefined) {
      throw new Error(`no ${destination.transport} transport is running on this node`);
    }
    transport.send(message, destination).catch((error: unknown) => {
      logger.warn({ err: error, destination }, 'SIP message not sent');
    });
  }

  function hostPort(transport: SipTransportProtocol): string {
    const port = options.ports.get(transport);
    return port === undefined ? host : `${host}:${port}`;
  }

  return {
    sendRequest(request, destination, user) {
      manager.sendRequest(request, {
        reliable: destination.transport !== 'udp',
        send: (message) => transmit(message, destination),
        user,
      });
    },
    sendStateless(message, destination) {
      try {
        transmit(message, destination);
      } catch (error) {
        logger.warn({ err: error, destination }, 'SIP message not sent');
      }
    },
    via(transport) {
      const branch = `${BRANCH_MAGIC_COOKIE}${randomBytes(9).toString('base64url')}`;
      // RFC 3581: ask the peer to answer to the port the request really came from.
      return `SIP/2.0/${transport.toUpperCase()} ${hostPort(transport)};branch=${branch};rport`;
    },
    contactUri(transport) {
      const suffix = transport === 'udp' ? '' : `;transport=${transport}`;
      return `sip:provod@${hostPort(transport)}${suffix}`;
    },
    timers: options.timers,
    t1: DEFAULT_TIMER_SETTINGS.t1,
    t2: DEFAULT_TIMER_SETTINGS.t2,
  };
}
