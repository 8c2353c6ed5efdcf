import { type SipMessage, type SipRequest, type SipResponse } from '../message/index.ts';
import { InviteClientTransaction } from './invite-client.ts';
import { InviteServerTransaction } from './invite-server.ts';
import { NonInviteClientTransaction } from './non-invite-client.ts';
import { NonInviteServerTransaction } from './non-invite-server.ts';
import { type TimerSettings, type TransactionTimers } from './timers.ts';
import { TransactionError } from './transaction-error.ts';
import { clientTransactionKey, serverTransactionKey } from './transaction-key.ts';
import { type TransactionUser } from './transaction-runner.ts';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

export type ServerTransactionFailure =
  { readonly kind: 'timeout' } | { readonly kind: 'transport_error'; readonly error: unknown };

/** The transaction user above the manager: a UA core or a proxy core (RFC 3261 §8, §16). */
export interface TransactionCore {
  /**
   * A new request with its fresh server transaction, waiting for `respond()`. A CANCEL
   * arrives here as a request of its own; the core finds the INVITE it cancels with
   * `findCancelledInvite` (§9.2).
   */
  onRequest(request: SipRequest, transaction: ServerTransaction): void;
  /**
   * A response no client transaction claims (§17.1.3): for a UA, retransmissions of a 2xx
   * to INVITE after the transaction ended (§13.2.2.4); for a proxy, forwarded statelessly
   * (§16.7).
   */
  onStrayResponse(response: SipResponse): void;
  /** An ACK no INVITE server transaction claims: the ACK for a 2xx, end to end (§13.3.1.4). */
  onStrayAck(ack: SipRequest): void;
  /** Timer H fired or the transport failed (§17.2.1, §17.2.4). */
  onServerTransactionFailure?(
    transaction: ServerTransaction,
    failure: ServerTransactionFailure,
  ): void;
}

/** The transport a message came in on, and so the way its responses go back (§18.2.2). */
export interface InboundTransport {
  readonly reliable: boolean;
  readonly send: (message: SipMessage) => void;
}

export interface OutboundRequestOptions extends InboundTransport {
  readonly user: TransactionUser;
}

export interface TransactionManagerOptions {
  readonly core: TransactionCore;
  readonly timers: TransactionTimers;
  readonly settings?: TimerSettings;
}

/**
 * Finds the transaction each message belongs to (RFC 3261 §17.1.3, §17.2.3), creates
 * server transactions for new requests, and forgets transactions once they terminate.
 * Retransmitted requests and responses are absorbed by the transaction they match;
 * whatever matches nothing goes to the core.
 */
export class TransactionManager {
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, ServerTransaction>();

  constructor(private readonly options: TransactionManagerOptions) {}

  /** How many transactions are alive, client and server. */
  get size(): number {
    return this.clients.size + this.servers.size;
  }

  /**
   * Starts a client transaction and sends the request. The request's top Via must carry
   * a fresh magic-cookie branch (§8.1.1.7). ACK is refused: the ACK for a non-2xx is sent
   * by the INVITE transaction, and the ACK for a 2xx goes straight to the transport.
   */
  sendRequest(request: SipRequest, options: OutboundRequestOptions): ClientTransaction {
    if (request.method === 'ACK') {
      throw new TransactionError('ack_not_a_transaction', 'ACK is not sent through a transaction');
    }
    const key = clientTransactionKey(request);
    if (key === undefined) {
      throw new TransactionError('unmatchable_message', 'request top Via has no branch');
    }
    if (this.clients.has(key)) {
      throw new TransactionError('duplicate_transaction', `a client transaction ${key} exists`);
    }
    const user: TransactionUser = {
      ...options.user,
      onTerminated: () => {
        if (this.clients.get(key) === transaction) this.clients.delete(key);
        options.user.onTerminated?.();
      },
    };
    const { timers, settings } = this.options;
    const transactionOptions = { ...options, user, timers, settings };
    const transaction: ClientTransaction =
      request.method === 'INVITE'
        ? new InviteClientTransaction(request, transactionOptions)
        : new NonInviteClientTransaction(request, transactionOptions);
    this.clients.set(key, transaction);
    transaction.start();
    return transaction;
  }

  /** Takes a message from the transport; throws TransactionError when it has no Via or CSeq. */
  receive(message: SipMessage, transport: InboundTransport): void {
    if (message.kind === 'response') this.receiveResponse(message);
    else this.receiveRequest(message, transport);
  }

  /** §9.2: the INVITE server transaction a CANCEL refers to, if it is still alive. */
  findCancelledInvite(cancel: SipRequest): InviteServerTransaction | undefined {
    const found = this.servers.get(serverTransactionKey(cancel, 'INVITE'));
    return found?.kind === 'invite_server' ? found : undefined;
  }

  private receiveResponse(response: SipResponse): void {
    const key = clientTransactionKey(response);
    const transaction = key === undefined ? undefined : this.clients.get(key);
    if (transaction === undefined) this.options.core.onStrayResponse(response);
    else transaction.receiveResponse(response);
  }

  private receiveRequest(request: SipRequest, transport: InboundTransport): void {
    const key = serverTransactionKey(request);
    const existing = this.servers.get(key);
    if (request.method === 'ACK') {
      if (existing?.kind === 'invite_server') existing.receiveRequest(request);
      else this.options.core.onStrayAck(request);
      return;
    }
    if (existing !== undefined) {
      if (existing.kind === 'invite_server') existing.receiveRequest(request);
      else existing.receiveRequest();
      return;
    }
    const transaction = this.createServerTransaction(key, request, transport);
    this.servers.set(key, transaction);
    this.options.core.onRequest(request, transaction);
  }

  private createServerTransaction(
    key: string,
    request: SipRequest,
    transport: InboundTransport,
  ): ServerTransaction {
    const { core, settings } = this.options;
    const options = {
      ...transport,
      timers: this.options.timers,
      settings,
      user: {
        onTimeout: () => core.onServerTransactionFailure?.(transaction, { kind: 'timeout' }),
        onTransportError: (error: unknown) =>
          core.onServerTransactionFailure?.(transaction, { kind: 'transport_error', error }),
        onTerminated: () => {
          if (this.servers.get(key) === transaction) this.servers.delete(key);
        },
      },
    };
    const transaction: ServerTransaction =
      request.method === 'INVITE'
        ? new InviteServerTransaction(request, options)
        : new NonInviteServerTransaction(request, options);
    return transaction;
  }
}
