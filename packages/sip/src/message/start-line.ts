import { TOKEN_RE } from './lexical.ts';
import { SipParseError } from './parse-error.ts';
import { parseRequestUri } from './uri.ts';

/**
 * Start lines, RFC 3261 §7.1, §7.2, §25.1:
 *
 *   Request-Line  =  Method SP Request-URI SP SIP-Version CRLF
 *   Status-Line   =  SIP-Version SP Status-Code SP Reason-Phrase CRLF
 *   SIP-Version   =  "SIP" "/" 1*DIGIT "." 1*DIGIT
 *
 * Exactly one SP separates the elements: RFC 4475 §3.1.2.9 and §3.1.2.10 allow refusing
 * extra or trailing SP, and we do, as §3.1.2.8 requires for LWS inside the Request-URI.
 */
export type StartLine =
  | {
      readonly kind: 'request';
      readonly method: string;
      readonly uri: string;
      readonly version: string;
    }
  | {
      readonly kind: 'response';
      readonly version: string;
      readonly status: number;
      readonly reason: string;
    };

const VERSION_RE = /^SIP\/[0-9]+\.[0-9]+$/i;
// Reason-Phrase is TEXT-UTF8 plus SP/HTAB: no other control characters.
function isReasonPhrase(reason: string): boolean {
  for (const char of reason) {
    const code = char.codePointAt(0) ?? 0;
    if ((code < 0x20 && char !== '\t') || code === 0x7f) return false;
  }
  return true;
}

export function parseStartLine(line: string): StartLine {
  if (/^SIP\//i.test(line)) return parseStatusLine(line);
  const parts = line.split(' ');
  const [method = '', uri = '', version = ''] = parts;
  if (parts.length !== 3 || !TOKEN_RE.test(method) || uri === '') {
    throw badStartLine(line);
  }
  checkVersion(version, line);
  try {
    parseRequestUri(uri);
  } catch (error) {
    if (error instanceof SipParseError) {
      throw new SipParseError('bad_start_line', `bad Request-URI: ${error.message}`);
    }
    throw error;
  }
  return { kind: 'request', method, uri, version: version.toUpperCase() };
}

function parseStatusLine(line: string): StartLine {
  const match = /^(\S+) ([0-9]{3})(?: (.*))?$/.exec(line);
  const [, version = '', code = '', reason = ''] = match ?? [];
  if (!match || !isReasonPhrase(reason)) throw badStartLine(line);
  checkVersion(version, line);
  const status = Number(code);
  // RFC 3261 §21: status codes are 100-699 (RFC 4475 §3.1.2.19).
  if (status < 100 || status > 699) throw badStartLine(line);
  return { kind: 'response', version: version.toUpperCase(), status, reason };
}

function checkVersion(version: string, line: string): void {
  if (!VERSION_RE.test(version)) throw badStartLine(line);
  // RFC 3261 §8.2.2 / §21.5.6: 505 for a version we do not speak (RFC 4475 §3.1.2.16).
  if (version.toUpperCase() !== 'SIP/2.0') {
    throw new SipParseError('bad_version', `unsupported SIP version: ${JSON.stringify(version)}`);
  }
}

export function serializeStartLine(startLine: StartLine): string {
  return startLine.kind === 'request'
    ? `${startLine.method} ${startLine.uri} ${startLine.version}`
    : `${startLine.version} ${startLine.status} ${startLine.reason}`;
}

function badStartLine(line: string): SipParseError {
  return new SipParseError('bad_start_line', `malformed start line: ${JSON.stringify(line)}`);
}
