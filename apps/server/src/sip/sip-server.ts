import { randomBytes } from 'node:crypto';
import {
  createRegistrar,
  type FlowSource,
  type RegistrarDeps,
  type RegistrarDirectory,
} from '@provod/pbx';
import {
  createResponse,
  createSystemTimers,
  isTransactionError,
  NonceCountTracker,
  NonceIssuer,
  responseDestination,
  TcpTransport,
  TransactionManager,
  UdpTransport,
  type DigestAlgorithm,
  type InboundSipMessage,
  type InboundTransport,
  type ServerTransaction,
  type SipEndpoint,
  type SipMessage,
  type SipRequest,
  type SipTransport,
  type SipTransportError,
} from '@provod/sip';
import type { Logger } from 'pino';

export interface SipServerOptions {
  host: string;
  port: number;
  digestAlgorithms: readonly DigestAlgorithm[];
  directory: RegistrarDirectory;
  registrations: RegistrationState;
  clock: () => Date;
  logger: Logger;
}

/** The process-wide SIP state the API reads too (see services/registrations.ts). */
interface RegistrationState {
  location: RegistrarDeps['location'];
  guard: RegistrarDeps['guard'];
}

export interface RunningSipServer {
  endpoints: readonly SipEndpoint[];
  close(): Promise<void>;
}

const allowedMethods = 'REGISTER, OPTIONS';

/**
 * The SIP side of `provod start`: UDP and TCP transports on the configured address, the
 * transaction layer above them, and the core that answers what this build understands —
 * REGISTER (the registrar) and OPTIONS. Calls come with the PBX issue; until then other
 * methods get 501 so a phone knows at once.
 */
export async function startSipServer(options: SipServerOptions): Promise<RunningSipServer> {
  const { logger } = options;
  const registrar = createRegistrar({
    directory: options.directory,
    location: options.registrations.location,
    guard: options.registrations.guard,
    // Per process: after a restart phones get one extra 401 and answer it on their own.
    nonces: new NonceIssuer({ secret: randomBytes(32) }),
    nonceCounts: new NonceCountTracker(),
    clock: options.clock,
    digestAlgorithms: options.digestAlgorithms,
  });
  const sources = new WeakMap<SipRequest, InboundSipMessage>();

  const timers = createSystemTimers();
  const manager = new TransactionManager({
    timers,
    core: {
      onRequest: (request, transaction) => {
        void answer(request, transaction).catch((error: unknown) => {
          logger.error({ err: error, method: request.method }, 'SIP request failed');
          transaction.respond(createResponse(request, 500));
        });
      },
      onStrayResponse: (response) => {
        logger.debug({ status: response.status }, 'stray SIP response dropped');
      },
      onStrayAck: () => undefined,
    },
  });

  async function answer(request: SipRequest, transaction: ServerTransaction): Promise<void> {
    const inbound = sources.get(request);
    switch (request.method) {
      case 'REGISTER': {
        if (!inbound) throw new Error('REGISTER without its transport source');
        transaction.respond(await registrar.handle(request, flowSource(inbound)));
        return;
      }
      case 'OPTIONS':
        // RFC 3261 §11.2: what we support, so a phone's keep-alive OPTIONS gets a 200.
        transaction.respond(
          createResponse(request, 200, {
            headers: [
              ['Allow', allowedMethods],
              ['Accept', 'application/sdp'],
            ],
          }),
        );
        return;
      case 'CANCEL':
        // RFC 3261 §9.2: no INVITE is served yet, so there is never one to cancel.
        transaction.respond(createResponse(request, 481));
        return;
      default:
        transaction.respond(createResponse(request, 501, { headers: [['Allow', allowedMethods]] }));
    }
  }

  const handlers = {
    onMessage: (inbound: InboundSipMessage) => {
      if (inbound.message.kind === 'request') sources.set(inbound.message, inbound);
      try {
        manager.receive(inbound.message, replyPath(inbound));
      } catch (error) {
        if (!isTransactionError(error)) throw error;
        logger.warn({ err: error, source: inbound.source }, 'unmatchable SIP message dropped');
      }
    },
    onError: (error: SipTransportError) => {
      logger.debug({ err: error }, 'SIP transport reported bad input');
    },
  };

  const transports: Record<'udp' | 'tcp', SipTransport> = {
    udp: new UdpTransport({
      ...handlers,
      addresses: [{ address: options.host, port: options.port }],
    }),
    tcp: new TcpTransport({ ...handlers, bind: { address: options.host, port: options.port } }),
  };

  function replyPath(inbound: InboundSipMessage): InboundTransport {
    const transport = transports[inbound.source.transport];
    return {
      reliable: inbound.source.transport !== 'udp',
      send: (message: SipMessage) => {
        if (message.kind !== 'response') return;
        transport
          .send(message, responseDestination(message, inbound.connectionId))
          .catch((error: unknown) => logger.warn({ err: error }, 'SIP response not sent'));
      },
    };
  }

  const endpoints = [...(await transports.udp.listen()), ...(await transports.tcp.listen())];
  return {
    endpoints,
    close: async () => {
      await Promise.all([transports.udp.close(), transports.tcp.close()]);
      // Retransmission timers of open transactions would outlive the sockets otherwise.
      timers.cancelAll();
    },
  };
}

function flowSource(inbound: InboundSipMessage): FlowSource {
  return {
    transport: inbound.source.transport,
    address: inbound.source.address,
    port: inbound.source.port,
    connectionId: inbound.connectionId,
  };
}
