import {
  createCallControl,
  createRelayMediaAnchor,
  createRegistrar,
  passThroughMediaAnchor,
  createRequestAuthenticator,
  defaultDigestAlgorithms,
  type CallDirectory,
  type CallSummary,
  type FlowSource,
  type RegistrarDeps,
  type RegistrarDirectory,
  type MediaAnchor,
  type PromptStore,
  type RoutedCallSummary,
  type SchemeDirectory,
  type CallEventSink,
  type CallRecordings,
  type RegisteringTrunk,
  type TrunkRegistrationState,
  type TrunkRoutes,
  type VoicemailBoxes,
} from '@provod/pbx';
import { MediaLeg, RtpPortPool } from '@provod/media';
import {
  createResponse,
  createSystemTimers,
  isTransactionError,
  NonceCountTracker,
  NonceIssuer,
  RequestRateGuard,
  responseDestination,
  TcpTransport,
  TlsTransport,
  TransactionManager,
  UdpTransport,
  WsTransport,
  type DigestAlgorithm,
  type InboundSipMessage,
  type InboundTransport,
  type ServerTransaction,
  tagOf,
  type SipDestination,
  type SipEndpoint,
  type SipMessage,
  type SipRequest,
  type SipTransport,
  type SipTransportError,
  type SipTransportProtocol,
} from '@provod/sip';
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Logger } from 'pino';
import { createOutboundNetwork } from './outbound-network.ts';
import { keepTrunksRegistered } from './trunk-registrations.ts';

export interface SipServerOptions {
  host: string;
  port: number;
  /** Where peers reach this node (Via, Contact); the bound host when it is not a wildcard. */
  advertisedHost: string;
  digestAlgorithms: readonly DigestAlgorithm[];
  directory: RegistrarDirectory & CallDirectory;
  /** The key that signs digest nonces, the same on every node (see runtime/server.ts). */
  nonceSecret: Buffer;
  /** How long a callee's phones ring before the caller hears 480. */
  ringTimeoutMs: number;
  /** An answered call is hung up after this long. */
  maxCallDurationMs: number;
  /** RFC 4028 session interval on both legs of a call (0: off; see docs/sip.md). */
  sessionExpiresSeconds?: number;
  /** Call audio: relayed by Provod (docs/media.md) or phone to phone when `anchor` is false. */
  media: {
    anchor: boolean;
    rtpPorts: { min: number; max: number };
    /** No RTP for this long ends an answered call; null: never. */
    timeoutMs: number | null;
  };
  /** SIP over WebSocket (RFC 7118) on Provod's own HTTP server, for browsers. */
  webSocket?: { server: HttpServer | HttpsServer; path: string } | undefined;
  /** Requests per second one source address may send (0: no limit), and its burst. */
  requestRate: { perSecond: number; burst: number };
  /** SIP over TLS on its own port, when a certificate is configured. */
  tls?: { port: number; key: string; cert: string } | undefined;
  registrations: RegistrationState;
  /** Calls to the tenants' phone numbers, routed by their schemes (docs/routing-schemes.md). */
  routing?:
    { schemes: SchemeDirectory; prompts: PromptStore; voicemail: VoicemailBoxes } | undefined;
  /** Calls out to external numbers through the tenants' trunks. */
  trunks?: TrunkRoutes | undefined;
  /** Every call's start, answer and end (the live feed). */
  onCallEvent?: CallEventSink | undefined;
  /** Which calls are recorded, and where. */
  recordings?: CallRecordings | undefined;
  /** Trunks that register with their providers, and where their states are reported. */
  trunkRegistrations?:
    | {
        list: () => Promise<RegisteringTrunk[]>;
        states: Map<string, { tenantId: string; name: string; state: TrunkRegistrationState }>;
        intervalMs?: number;
      }
    | undefined;
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
  /** Calls ringing or talking through this node now. */
  readonly activeCalls: number;
  /** Every call's end, with its media statistics (the call log builds on it); returns unsubscribe. */
  onCallEnded(listener: (summary: CallSummary) => void): () => void;
  /** Every routed call's end, with the path it took through its scheme. */
  onRoutedCallEnded(listener: (summary: RoutedCallSummary) => void): () => void;
  close(): Promise<void>;
}

const allowedMethods = 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, INFO, UPDATE, MESSAGE, NOTIFY';

/**
 * The SIP side of `provod start`: UDP and TCP transports on the configured address, the
 * transaction layer above them, and the core that hands each request to its owner —
 * REGISTER to the registrar, INVITE, CANCEL and requests within a dialog to call control
 * (extension → extension calls; routing schemes come with the PBX), OPTIONS answered here.
 */
export async function startSipServer(options: SipServerOptions): Promise<RunningSipServer> {
  const { logger } = options;
  const algorithms = options.digestAlgorithms;
  const nonces = new NonceIssuer({ secret: options.nonceSecret });
  const nonceCounts = new NonceCountTracker();
  const registrar = createRegistrar({
    directory: options.directory,
    location: options.registrations.location,
    guard: options.registrations.guard,
    nonces,
    nonceCounts,
    clock: options.clock,
    digestAlgorithms: algorithms,
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
      onStrayResponse: (response) => calls.handleStrayResponse(response),
      onStrayAck: (ack) => calls.handleAck(ack),
    },
  });

  const rateGuard = new RequestRateGuard(options.requestRate);
  const handlers = {
    onMessage: (inbound: InboundSipMessage) => {
      const { message } = inbound;
      if (message.kind === 'request') {
        // ACKs are admitted: they end transactions, and dropping them makes more traffic.
        if (message.method !== 'ACK' && !rateGuard.admit(inbound.source.address)) {
          refuseFlood(inbound, message);
          return;
        }
        sources.set(message, inbound);
      }
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
  const transports = new Map<SipTransportProtocol, SipTransport>([
    [
      'udp',
      new UdpTransport({ ...handlers, addresses: [{ address: options.host, port: options.port }] }),
    ],
    ['tcp', new TcpTransport({ ...handlers, bind: { address: options.host, port: options.port } })],
  ]);
  if (options.tls !== undefined) {
    const { port, key, cert } = options.tls;
    transports.set(
      'tls',
      new TlsTransport({ ...handlers, bind: { address: options.host, port }, key, cert }),
    );
  }
  if (options.webSocket !== undefined) {
    const ws = new WsTransport({
      ...handlers,
      server: { kind: 'attach', server: options.webSocket.server, path: options.webSocket.path },
    });
    transports.set(ws.protocol, ws);
  }
  const endpoints: SipEndpoint[] = [];
  for (const transport of transports.values()) endpoints.push(...(await transport.listen()));

  const callEndListeners = new Set<(summary: CallSummary) => void>();
  const routedEndListeners = new Set<(summary: RoutedCallSummary) => void>();
  const network = createOutboundNetwork({
    manager,
    transports,
    timers,
    advertisedHost: options.advertisedHost,
    ports: new Map(endpoints.map((endpoint) => [endpoint.transport, endpoint.port])),
    logger,
  });
  const keeper =
    options.trunkRegistrations === undefined
      ? undefined
      : keepTrunksRegistered({
          ...options.trunkRegistrations,
          network,
          clock: options.clock,
          logger: logger.child({ component: 'trunk-registrations' }),
        });
  keeper
    ?.reconcile()
    .catch((error: unknown) => logger.error({ err: error }, 'trunk registrations not started'));
  // One RTP port pool for relayed calls and routed calls' own media legs.
  const pool = new RtpPortPool(options.media.rtpPorts);
  const routing = options.routing;
  const calls = createCallControl({
    network,
    directory: options.directory,
    location: options.registrations.location,
    media: mediaAnchor(options, pool),
    ...(options.trunks === undefined ? {} : { trunks: options.trunks }),
    ...(options.onCallEvent === undefined ? {} : { onCallEvent: options.onCallEvent }),
    ...(options.recordings === undefined ? {} : { recordings: options.recordings }),
    onRecordingError: (error) => logger.error({ err: error }, 'call recording failed'),
    routed:
      routing === undefined
        ? undefined
        : {
            network,
            location: options.registrations.location,
            schemes: routing.schemes,
            prompts: routing.prompts,
            voicemail: routing.voicemail,
            trunks: options.trunks,
            openLeg: (events) =>
              MediaLeg.open({
                pool,
                bindAddress: options.host,
                cname: `provod@${options.advertisedHost}`,
                onMediaTimeout: () => events.onMediaTimeout(),
                onError: (error) => logger.debug({ err: error }, 'RTP leg reported a problem'),
              }),
            advertisedHost: options.advertisedHost,
            clock: options.clock,
            maxCallDurationMs: options.maxCallDurationMs,
            mediaTimeoutMs: options.media.timeoutMs,
            sessionExpiresSeconds: options.sessionExpiresSeconds ?? 0,
            onEnded: (summary) => {
              logger.info({ call: summary }, 'routed call ended');
              for (const listener of routedEndListeners) listener(summary);
            },
            onError: (error, call) => logger.error({ err: error, call }, 'routing scheme failed'),
          },
    authenticator: createRequestAuthenticator({
      sipPassword: (tenantId, user) => options.directory.sipPassword(tenantId, user),
      nonces,
      nonceCounts,
      guard: options.registrations.guard,
      clock: options.clock,
      digestAlgorithms: algorithms.length > 0 ? algorithms : defaultDigestAlgorithms,
    }),
    clock: options.clock,
    ringTimeoutMs: options.ringTimeoutMs,
    maxCallDurationMs: options.maxCallDurationMs,
    sessionExpiresSeconds: options.sessionExpiresSeconds ?? 0,
    onCallEnded: (summary: CallSummary) => {
      logger.info({ call: summary }, 'call ended');
      for (const listener of callEndListeners) listener(summary);
    },
  });

  async function answer(request: SipRequest, transaction: ServerTransaction): Promise<void> {
    const inbound = sources.get(request);
    if (!inbound) throw new Error(`${request.method} without its transport source`);
    if (request.method === 'CANCEL') {
      calls.handleCancel(request, transaction, manager.findCancelledInvite(request));
      return;
    }
    if (transaction.kind === 'invite_server') {
      await calls.handleInvite(request, transaction, destinationOf(inbound));
      return;
    }
    if (hasToTag(request) && request.method !== 'REGISTER') {
      calls.handleInDialog(request, transaction);
      return;
    }
    switch (request.method) {
      case 'REGISTER':
        transaction.respond(await registrar.handle(request, flowSource(inbound)));
        return;
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
      case 'BYE':
        // §15.1.2: a BYE outside any dialog Provod knows.
        transaction.respond(createResponse(request, 481));
        return;
      default:
        transaction.respond(createResponse(request, 501, { headers: [['Allow', allowedMethods]] }));
    }
  }

  /** RFC 3261 §21.5.4: 503 with Retry-After, sent without a transaction (none was made). */
  function refuseFlood(inbound: InboundSipMessage, request: SipRequest): void {
    const transport = transports.get(inbound.source.transport);
    const response = createResponse(request, 503, {
      reason: 'Service Unavailable (too many requests)',
      headers: [['Retry-After', '5']],
    });
    transport
      ?.send(response, responseDestination(response, inbound.connectionId))
      .catch((error: unknown) => logger.debug({ err: error }, 'SIP 503 not sent'));
  }

  function replyPath(inbound: InboundSipMessage): InboundTransport {
    const transport = transports.get(inbound.source.transport);
    return {
      reliable: inbound.source.transport !== 'udp',
      send: (message: SipMessage) => {
        if (message.kind !== 'response' || transport === undefined) return;
        transport
          .send(message, responseDestination(message, inbound.connectionId))
          .catch((error: unknown) => logger.warn({ err: error }, 'SIP response not sent'));
      },
    };
  }

  return {
    endpoints,
    get activeCalls() {
      return calls.activeCalls;
    },
    onCallEnded(listener) {
      callEndListeners.add(listener);
      return () => callEndListeners.delete(listener);
    },
    onRoutedCallEnded(listener) {
      routedEndListeners.add(listener);
      return () => routedEndListeners.delete(listener);
    },
    close: async () => {
      calls.hangUpAll();
      keeper?.stop();
      await Promise.all([...transports.values()].map((transport) => transport.close()));
      // Retransmission timers of open transactions would outlive the sockets otherwise.
      timers.cancelAll();
    },
  };
}

/** RTP sockets bind where SIP does; SDP names the advertised host, as Via and Contact do. */
function mediaAnchor(options: SipServerOptions, pool: RtpPortPool): MediaAnchor {
  if (!options.media.anchor) return passThroughMediaAnchor;
  const { logger } = options;
  return createRelayMediaAnchor({
    rtpPorts: pool,
    bindAddress: options.host,
    advertisedHost: options.advertisedHost,
    mediaTimeoutMs: options.media.timeoutMs,
    onError: (error) => logger.debug({ err: error }, 'RTP relay reported a problem'),
  });
}

function hasToTag(request: SipRequest): boolean {
  return tagOf(request.headers.get('to') ?? '') !== undefined;
}

function destinationOf(inbound: InboundSipMessage): SipDestination {
  return { ...inbound.source, connectionId: inbound.connectionId };
}

function flowSource(inbound: InboundSipMessage): FlowSource {
  return {
    transport: inbound.source.transport,
    address: inbound.source.address,
    port: inbound.source.port,
    connectionId: inbound.connectionId,
  };
}
