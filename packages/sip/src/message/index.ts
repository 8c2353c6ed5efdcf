// The SIP message layer (RFC 3261 §7, §19, §20, §25): model, parsers, serializer, framing.
export {
  SipParseError,
  isSipParseError,
  sipParseErrorCatalogue,
  type SipParseErrorCode,
} from './parse-error.ts';
export { SIP_VERSION, type SipMessage, type SipRequest, type SipResponse } from './message.ts';
export { SipHeaders, splitHeaderList, type HeaderField } from './headers.ts';
export { compactHeaderForms, headerKey, isListHeader } from './header-names.ts';
export { getParam, hasParam, serializeParams, type SipParam } from './params.ts';
export {
  getUriParam,
  hasUriParam,
  isValidHost,
  parseRequestUri,
  parseSipUri,
  parseUri,
  serializeUri,
  type AbsoluteUri,
  type SipUri,
  type SipUriHeader,
  type SipUriParam,
  type Uri,
} from './uri.ts';
export { parseTelUri, serializeTelUri, type TelUri } from './tel-uri.ts';
export { parseNameAddr, serializeNameAddr, type NameAddr } from './name-addr.ts';
export { BRANCH_MAGIC_COOKIE, isRfc3261Branch, parseVia, serializeVia, type Via } from './via.ts';
export {
  parseContentLength,
  parseCSeq,
  parseDate,
  parseExpires,
  parseMaxForwards,
  serializeCSeq,
  serializeDate,
  type CSeq,
} from './scalar-headers.ts';
export { parseStartLine, serializeStartLine, type StartLine } from './start-line.ts';
export { DEFAULT_MAX_MESSAGE_SIZE, parseMessage, type ParseOptions } from './parser.ts';
export { serializeMessage } from './serializer.ts';
export { createResponse, newTag, reasonPhrases } from './response.ts';
export { SipStreamFramer, type FramerEvent, type StreamFramerOptions } from './stream-framer.ts';
