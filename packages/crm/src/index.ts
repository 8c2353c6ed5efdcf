// The CRM connector: call sources (an external Asterisk over AMI; later Provod's own PBX
// events) turned into one call model, and the amoCRM and Bitrix24 pipelines.
export type {
  CallDirection,
  CallRecord,
  CallResult,
  CallSource,
  CallTransfer,
  HangupCause,
} from './call-model.ts';
export { AmiMessage, AmiError, serializeAmiMessage } from './ami/message.ts';
export type { AmiField, AmiErrorCode, AmiMessageKind } from './ami/message.ts';
export { AmiParser, type AmiParseItem, type AmiParserOptions } from './ami/parser.ts';
export {
  AmiClient,
  type AmiClientOptions,
  type AmiClientState,
  type AmiReconnectPolicy,
} from './ami/client.ts';
export { CallAssembler, type CallAssemblerOptions } from './ami/assembler.ts';
export {
  classifyChannel,
  channelEndpoint,
  type ChannelPattern,
  type ChannelClassifierConfig,
  type ChannelRole,
} from './ami/channel-classifier.ts';
export { AmiSimulator, type AmiSimulatorOptions, type DropPlan } from './ami/simulator.ts';
export { parseTranscript, eventTimeMs, TranscriptError } from './ami/transcript.ts';
export { normalizePhoneE164, phoneDigits, lastTenDigits, samePhone } from './phone.ts';
export type { PhoneOptions } from './phone.ts';
export {
  AmoCrmError,
  amoErrorCatalogue,
  isAmoCrmError,
  retryDelayMs,
  type AmoErrorCode,
  type AmoFieldError,
} from './amocrm/errors.ts';
export { AmoConnection, type AmoConnectionOptions } from './amocrm/connection.ts';
export type { HttpExchange, TraceSink } from './http/exchange.ts';
export { AmoCrmClient } from './amocrm/client.ts';
export {
  PacerRegistry,
  RequestPacer,
  amoPacerDefaults,
  amoPacers,
  systemClock,
} from './http/pacer.ts';
export type { Clock, Pacer, PacerOptions } from './http/pacer.ts';
export {
  LeakyBucketPacer,
  bitrixPacerDefaults,
  type LeakyBucketOptions,
} from './http/leaky-bucket-pacer.ts';
export { MemoryTokenStore, type TokenStore } from './http/token-store.ts';
export type { AmoCredentials, AmoIntegration, AmoTokenStore } from './amocrm/tokens.ts';
export { fetchTransport, TransportError } from './http/transport.ts';
export type { HttpRequest, HttpResponse, HttpTransport } from './http/transport.ts';
export type * from './amocrm/model.ts';
export {
  callTypes,
  classifyCall,
  defaultAmoCrmRules,
  type AmoCrmRules,
  type CallType,
  type CallTypeRule,
  type ResponsibleSource,
  type UnknownNumberAction,
} from './connector/rules.ts';
export {
  planAmoCrmCall,
  type CallPlan,
  type PlannedStep,
  type StepName,
} from './connector/amocrm/plan.ts';
export {
  buildExtensionUserMap,
  chooseResponsible,
  type CrmUser,
  type ExtensionOwner,
  type ResponsibleChoice,
} from './connector/responsible.ts';
export {
  MemoryProcessedSteps,
  stepKey,
  type ProcessedSteps,
  type StepRecord,
  type StepResult,
} from './connector/steps.ts';
export type { CallLinks } from './connector/links.ts';
export {
  runAmoCrmCall,
  type AmoCallOutcome,
  type AmoCallRun,
} from './connector/amocrm/pipeline.ts';
export type { CallTrace, CrmFailure, StepOutcomeKind, StepTrace } from './connector/run-steps.ts';
export { Bitrix24Client } from './bitrix24/client.ts';
export {
  Bitrix24Connection,
  type Bitrix24ConnectionOptions,
  type BitrixParams,
} from './bitrix24/connection.ts';
export { Bitrix24Error, bitrixErrorCatalogue, type BitrixErrorCode } from './bitrix24/errors.ts';
export {
  bitrixOAuthUrl,
  type BitrixApp,
  type BitrixCredentials,
  type BitrixTokenStore,
} from './bitrix24/tokens.ts';
export type * from './bitrix24/model.ts';
export {
  defaultBitrix24Rules,
  type Bitrix24CallTypeRule,
  type Bitrix24Rules,
  type BitrixUnknownNumberAction,
} from './connector/bitrix24/rules.ts';
export {
  planBitrix24Call,
  type Bitrix24CallPlan,
  type Bitrix24StepName,
} from './connector/bitrix24/plan.ts';
export {
  runBitrix24Call,
  type Bitrix24CallOutcome,
  type Bitrix24CallRun,
} from './connector/bitrix24/pipeline.ts';
export {
  CallHooks,
  HookCancellation,
  hookPoints,
  type HookEngine,
  type HookPoint,
  type HookResult,
  type HookSources,
} from './connector/hooks.ts';
export {
  defaultHookLimits,
  hookCompileError,
  quickJsEngine,
  type HookLimits,
} from './hooks/quickjs-engine.ts';
