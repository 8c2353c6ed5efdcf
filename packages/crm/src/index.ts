// The CRM connector: call sources (an external Asterisk over AMI; later Provod's own PBX
// events) turned into one call model, and — to come — the amoCRM and Bitrix24 pipeline.
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
