import { parseAttribute } from './attributes.ts';
import { SdpParseError } from './errors.ts';
import {
  clip,
  parseBandwidth,
  parseConnection,
  parseMediaField,
  parseOrigin,
  parseTiming,
} from './fields.ts';
import type {
  SdpBandwidth,
  SdpConnection,
  MediaDescription,
  SdpOrigin,
  SdpAttribute,
  SessionDescription,
  SdpTiming,
} from './types.ts';

/*
 * RFC 8866 §5 and §9 (ABNF), the lines and the order they come in:
 *
 *   session-description = version-field origin-field session-name-field
 *                         [information-field] [uri-field] *email-field *phone-field
 *                         [connection-field] *bandwidth-field 1*time-description
 *                         [key-field] *attribute-field *media-description
 *   time-description    = time-field [repeat-description]      (t= then r= lines)
 *   media-description   = media-field [information-field] *connection-field
 *                         *bandwidth-field [key-field] *attribute-field
 *   media-field         = %s"m" "=" media SP port ["/" integer] SP proto 1*(SP fmt) CRLF
 *
 * Leniency, on purpose: session-level lines are accepted in any order before the first
 * m= line (RFC 3264's own examples put c= after t=, erratum 2099), LF-only line ends and
 * a missing final line end are accepted, and an empty s= is kept (RFC 3264 §10 sends it).
 * Everything else that breaks the grammar is an SdpParseError naming the line.
 */

type SessionLetter = 'v' | 'o' | 's' | 'i' | 'u' | 'e' | 'p' | 'c' | 'b' | 't' | 'r' | 'z' | 'k';
const knownLetters = new Set([
  'v',
  'o',
  's',
  'i',
  'u',
  'e',
  'p',
  'c',
  'b',
  't',
  'r',
  'z',
  'k',
  'a',
  'm',
]);
const mediaLetters = new Set(['i', 'c', 'b', 'k', 'a', 'm']);

export function parseSdp(input: string | Buffer): SessionDescription {
  const text = typeof input === 'string' ? input : input.toString('utf8');
  const lines = text.split(/\r?\n/);
  // A final line end leaves one empty string; more trailing blank lines are tolerated.
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new SdpParseError('empty', 1, 'the SDP body is empty');
  if (lines[0] !== 'v=0') {
    if (lines[0]?.startsWith('v=')) {
      throw new SdpParseError('unsupported_version', 1, `"${lines[0]}" is not version 0`);
    }
    throw new SdpParseError('missing_version', 1, 'an SDP body must start with "v=0"');
  }

  const session = new SessionBuilder();
  let media: MediaBuilder | undefined;
  const mediaList: MediaDescription[] = [];
  let firstMediaLine = lines.length + 1;

  for (let index = 1; index < lines.length; index++) {
    const lineNo = index + 1;
    const { letter, value } = splitLine(lines[index] ?? '', lineNo);
    if (letter === 'm') {
      if (media) mediaList.push(media.build());
      else firstMediaLine = lineNo;
      media = new MediaBuilder(parseMediaField(value, lineNo));
    } else if (media) {
      if (!mediaLetters.has(letter)) {
        throw new SdpParseError(
          'misplaced_line',
          lineNo,
          `"${letter}=" is a session-level line and cannot follow an m= line`,
        );
      }
      media.add(letter, value, lineNo);
    } else if (letter === 'a') {
      session.attributes.push(parseAttribute(value, lineNo));
    } else {
      session.add(letter as SessionLetter, value, lineNo);
    }
  }
  if (media) mediaList.push(media.build());
  return session.build(firstMediaLine, mediaList);
}

function splitLine(line: string, lineNo: number): { letter: string; value: string } {
  const eq = line.indexOf('=');
  if (eq === -1) {
    throw new SdpParseError(
      'line_without_equals',
      lineNo,
      `"${clip(line)}" has no "=" after its type`,
    );
  }
  const letter = line.slice(0, eq);
  if (eq !== 1 || !knownLetters.has(letter)) {
    throw new SdpParseError(
      'unknown_line_type',
      lineNo,
      `"${clip(letter)}=" is not an SDP line type`,
    );
  }
  return { letter, value: line.slice(2) };
}

class SessionBuilder {
  origin: SdpOrigin | undefined;
  sessionName: string | undefined;
  information: string | undefined;
  uri: string | undefined;
  emails: string[] = [];
  phones: string[] = [];
  connection: SdpConnection | undefined;
  bandwidths: SdpBandwidth[] = [];
  timing: SdpTiming[] = [];
  timeZones: string | undefined;
  encryptionKey: string | undefined;
  attributes: SdpAttribute[] = [];

  add(letter: SessionLetter, value: string, lineNo: number): void {
    switch (letter) {
      case 'v':
        throw duplicate('v', lineNo);
      case 'o':
        if (this.origin) throw duplicate('o', lineNo);
        this.origin = parseOrigin(value, lineNo);
        return;
      case 's':
        if (this.sessionName !== undefined) throw duplicate('s', lineNo);
        this.sessionName = value;
        return;
      case 'i':
        if (this.information !== undefined) throw duplicate('i', lineNo);
        this.information = value;
        return;
      case 'u':
        if (this.uri !== undefined) throw duplicate('u', lineNo);
        this.uri = value;
        return;
      case 'e':
        this.emails.push(value);
        return;
      case 'p':
        this.phones.push(value);
        return;
      case 'c':
        if (this.connection) throw duplicate('c', lineNo);
        this.connection = parseConnection(value, lineNo);
        return;
      case 'b':
        this.bandwidths.push(parseBandwidth(value, lineNo));
        return;
      case 't':
        this.timing.push(parseTiming(value, lineNo));
        return;
      case 'r': {
        const last = this.timing[this.timing.length - 1];
        if (!last) throw new SdpParseError('misplaced_line', lineNo, 'r= must follow a t= line');
        last.repeats.push(value);
        return;
      }
      case 'z':
        if (this.timeZones !== undefined) throw duplicate('z', lineNo);
        this.timeZones = value;
        return;
      case 'k':
        if (this.encryptionKey !== undefined) throw duplicate('k', lineNo);
        this.encryptionKey = value;
        return;
    }
  }

  build(endLine: number, media: MediaDescription[]): SessionDescription {
    if (!this.origin) throw missing('o', endLine);
    if (this.sessionName === undefined) throw missing('s', endLine);
    if (this.timing.length === 0) throw missing('t', endLine);
    return {
      version: 0,
      origin: this.origin,
      sessionName: this.sessionName,
      ...(this.information === undefined ? {} : { information: this.information }),
      ...(this.uri === undefined ? {} : { uri: this.uri }),
      emails: this.emails,
      phones: this.phones,
      ...(this.connection ? { connection: this.connection } : {}),
      bandwidths: this.bandwidths,
      timing: this.timing,
      ...(this.timeZones === undefined ? {} : { timeZones: this.timeZones }),
      ...(this.encryptionKey === undefined ? {} : { encryptionKey: this.encryptionKey }),
      attributes: this.attributes,
      media,
    };
  }
}

class MediaBuilder {
  constructor(private readonly media: MediaDescription) {}

  add(letter: string, value: string, lineNo: number): void {
    const media = this.media;
    if (letter === 'a') {
      media.attributes.push(parseAttribute(value, lineNo));
    } else if (letter === 'b') {
      media.bandwidths.push(parseBandwidth(value, lineNo));
    } else if (letter === 'i') {
      if (media.title !== undefined) throw duplicate('i', lineNo);
      media.title = value;
    } else if (letter === 'c') {
      // RFC 8866 §5.7 allows several c= lines only for layered multicast; we do unicast.
      if (media.connection) throw duplicate('c', lineNo);
      media.connection = parseConnection(value, lineNo);
    } else {
      if (media.encryptionKey !== undefined) throw duplicate('k', lineNo);
      media.encryptionKey = value;
    }
  }

  build(): MediaDescription {
    return this.media;
  }
}

function duplicate(letter: string, lineNo: number): SdpParseError {
  return new SdpParseError(
    'duplicate_line',
    lineNo,
    `a second "${letter}=" line where only one is allowed`,
  );
}

function missing(letter: string, lineNo: number): SdpParseError {
  return new SdpParseError('missing_line', lineNo, `the session section has no "${letter}=" line`);
}
