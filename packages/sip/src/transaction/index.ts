// The SIP transaction layer (RFC 3261 §17): the four state machines and the manager that
// matches messages to them. Time and sending come in as parameters; no sockets here.
export {
  isTransactionError,
  TransactionError,
  type TransactionErrorCode,
} from './transaction-error.ts';
export {
  createSystemTimers,
  DEFAULT_TIMER_SETTINGS,
  planTimers,
  type TimerHandle,
  type TimerPlan,
  type SystemTimers,
  type TimerSettings,
  type TransactionTimers,
} from './timers.ts';
export {
  type Effect as TransactionEffect,
  type Step as TransactionStep,
  type TimerName as TransactionTimerName,
} from './transaction-step.ts';
export { type TransactionEnvironment, type TransactionUser } from './transaction-runner.ts';
export {
  type ClientTransactionOptions,
  type ServerTransactionOptions,
  type ServerTransactionUser,
} from './transaction-options.ts';
export { buildNon2xxAck, buildTryingResponse } from './derived-messages.ts';
export {
  InviteClientTransaction,
  inviteClientTransition,
  type InviteClientEvent,
  type InviteClientSnapshot,
  type InviteClientState,
} from './invite-client.ts';
export {
  NonInviteClientTransaction,
  nonInviteClientTransition,
  type NonInviteClientEvent,
  type NonInviteClientSnapshot,
  type NonInviteClientState,
} from './non-invite-client.ts';
export {
  InviteServerTransaction,
  inviteServerTransition,
  TRYING_DELAY_MS,
  type InviteServerEvent,
  type InviteServerSnapshot,
  type InviteServerState,
} from './invite-server.ts';
export {
  NonInviteServerTransaction,
  nonInviteServerTransition,
  type NonInviteServerEvent,
  type NonInviteServerSnapshot,
  type NonInviteServerState,
} from './non-invite-server.ts';
export { clientTransactionKey, serverTransactionKey } from './transaction-key.ts';
export {
  TransactionManager,
  type ClientTransaction,
  type InboundTransport,
  type OutboundRequestOptions,
  type ServerTransaction,
  type ServerTransactionFailure,
  type TransactionCore,
  type TransactionManagerOptions,
} from './transaction-manager.ts';
