/**
 * Why the transaction layer refused a message or a call from the transaction user. A
 * request it cannot key (no Via, no CSeq) is the sender's fault and answered 400 by the
 * core (RFC 3261 §21.4.1); a response it cannot key is dropped (§18.1.2). Callers branch
 * on `code`, never on `message`.
 */
export type TransactionErrorCode =
  /** The message has no Via or no CSeq, so it cannot be matched (§17.1.3, §17.2.3). */
  | 'unmatchable_message'
  /** ACK is never sent through a client transaction (§17.1.1.3, §13.2.2.4). */
  | 'ack_not_a_transaction'
  /** The TU answered after the final response (§17.2.1, §17.2.2). */
  | 'final_response_already_sent'
  /** A client transaction with this branch and method is already running (§17.1.3). */
  | 'duplicate_transaction';

export class TransactionError extends Error {
  override readonly name = 'TransactionError';
  constructor(
    readonly code: TransactionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isTransactionError(error: unknown): error is TransactionError {
  return error instanceof TransactionError;
}
