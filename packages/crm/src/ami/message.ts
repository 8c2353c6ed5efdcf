/**
 * One AMI message: "Key: Value" lines ended by an empty line, in the style of SMTP and
 * HTTP headers (https://docs.asterisk.org/Configuration/Interfaces/Asterisk-Manager-Interface-AMI/AMI-Command-Syntax/).
 * The first line names the kind: `Action` (client → server), `Response` (the answer to an
 * action) or `Event` (unsolicited). Keys may repeat — `ChanVariable` and `Variable` do — so
 * a message is an ordered list of fields, not a map.
 */
export interface AmiField {
  readonly name: string;
  readonly value: string;
}

export type AmiMessageKind = 'event' | 'response' | 'action' | 'unknown';

export class AmiMessage {
  constructor(readonly fields: readonly AmiField[]) {}

  static of(entries: readonly (readonly [string, string])[]): AmiMessage {
    return new AmiMessage(entries.map(([name, value]) => ({ name, value })));
  }

  /** The first value of a key; AMI keys are matched without regard to case. */
  get(name: string): string | undefined {
    const wanted = name.toLowerCase();
    return this.fields.find((field) => field.name.toLowerCase() === wanted)?.value;
  }

  /** Every value of a repeated key, in order. */
  getAll(name: string): string[] {
    const wanted = name.toLowerCase();
    return this.fields
      .filter((field) => field.name.toLowerCase() === wanted)
      .map((field) => field.value);
  }

  get kind(): AmiMessageKind {
    const first = this.fields[0]?.name.toLowerCase();
    if (first === 'event') return 'event';
    if (first === 'response') return 'response';
    if (first === 'action') return 'action';
    return 'unknown';
  }

  /** The event's name (`Newchannel`…), or undefined when this is not an event. */
  get event(): string | undefined {
    return this.kind === 'event' ? this.fields[0]?.value : undefined;
  }
}

/**
 * The wire form: CRLF after every line and an empty line at the end. A CR or LF inside a
 * name or value would end the message early and let the rest be read as another action, so
 * it is refused rather than sent.
 */
export function serializeAmiMessage(fields: readonly AmiField[]): string {
  let out = '';
  for (const { name, value } of fields) {
    if (/[\r\n:]/.test(name) || name.length === 0)
      throw new AmiError('bad_field', `bad key ${JSON.stringify(name)}`);
    if (/[\r\n]/.test(value))
      throw new AmiError('bad_field', `a line break in the value of ${name}`);
    out += `${name}: ${value}\r\n`;
  }
  return `${out}\r\n`;
}

export type AmiErrorCode =
  /** Login answered `Response: Error` (wrong user or secret, or the host is not permitted). */
  | 'login_refused'
  /** The peer did not greet with "Asterisk Call Manager/…": not an AMI port. */
  | 'not_ami'
  /** An action got `Response: Error`. */
  | 'action_failed'
  /** No response to an action in time. */
  | 'timeout'
  /** The connection dropped before the response came. */
  | 'connection_lost'
  /** The client was closed. */
  | 'closed'
  /** A field that cannot be written to the wire. */
  | 'bad_field';

export class AmiError extends Error {
  override readonly name = 'AmiError';
  constructor(
    readonly code: AmiErrorCode,
    message: string,
    /** The server's answer, when there was one. */
    readonly response?: AmiMessage,
  ) {
    super(message);
  }
}
