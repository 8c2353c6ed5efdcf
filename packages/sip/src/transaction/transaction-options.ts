import { type TimerSettings } from './timers.ts';
import { type TransactionEnvironment, type TransactionUser } from './transaction-runner.ts';

export interface ClientTransactionOptions extends TransactionEnvironment {
  readonly user: TransactionUser;
  readonly settings?: TimerSettings;
}

/** What a server transaction tells its TU: no responses go up, only failures and the end. */
export interface ServerTransactionUser {
  onTimeout?(): void;
  onTransportError?(error: unknown): void;
  onTerminated?(): void;
}

export interface ServerTransactionOptions extends TransactionEnvironment {
  readonly user: ServerTransactionUser;
  readonly settings?: TimerSettings;
}
