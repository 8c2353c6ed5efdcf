import { describe, expect, it } from 'vitest';
import { AmiMessage, AmiError, serializeAmiMessage } from './message.ts';
import { AmiParser, type AmiParseItem } from './parser.ts';

// A Hangup event in the Asterisk 18 field set
// (https://docs.asterisk.org/Asterisk_18_Documentation/API_Documentation/AMI_Events/Hangup/),
// with a Cyrillic caller name so that chunk boundaries fall inside multi-byte characters,
// and ChanVariable repeated as manager.conf `channelvars` makes it.
const hangup = [
  'Event: Hangup',
  'Privilege: call,all',
  'Channel: PJSIP/101-0000000a',
  'CallerIDNum: 101',
  'CallerIDName: Анна Петрова',
  'AccountCode: ',
  'Exten: *97:1',
  'Uniqueid: 1710237600.10',
  'ChanVariable: TENANT=acme',
  'ChanVariable: CALL_TYPE=inbound',
  'Cause: 16',
  'Cause-txt: Normal Clearing',
]
  .map((line) => `${line}\r\n`)
  .join('');
const wire = Buffer.from(`Asterisk Call Manager/7.0.3\r\n${hangup}\r\n`, 'utf8');

function messages(items: readonly AmiParseItem[]): AmiMessage[] {
  return items.flatMap((item) => (item.kind === 'message' ? [item.message] : []));
}

describe('AmiParser', () => {
  it('reads the banner, then a message with colons in values, empty values and repeated keys', () => {
    const items = new AmiParser().push(wire);
    expect(items[0]).toEqual({
      kind: 'banner',
      line: 'Asterisk Call Manager/7.0.3',
      version: '7.0.3',
    });
    const [event] = messages(items);
    expect(items).toHaveLength(2);
    expect(event?.event).toBe('Hangup');
    expect(event?.get('exten')).toBe('*97:1');
    expect(event?.get('AccountCode')).toBe('');
    expect(event?.get('CallerIDName')).toBe('Анна Петрова');
    expect(event?.getAll('ChanVariable')).toEqual(['TENANT=acme', 'CALL_TYPE=inbound']);
    expect(event?.get('Cause-txt')).toBe('Normal Clearing');
  });

  it('gives the same result when the bytes are split at every boundary', () => {
    const whole = messages(new AmiParser().push(wire));
    for (let cut = 1; cut < wire.length; cut += 1) {
      const parser = new AmiParser();
      const first = parser.push(wire.subarray(0, cut));
      const rest = parser.push(wire.subarray(cut));
      const items = [...first, ...rest];
      expect(
        items.filter((item) => item.kind === 'malformed'),
        `cut at ${cut}`,
      ).toEqual([]);
      expect(messages(items), `cut at ${cut}`).toEqual(whole);
    }
  });

  it('gives the same result fed one byte at a time, and knows it is mid-message meanwhile', () => {
    const parser = new AmiParser();
    const items: AmiParseItem[] = [];
    for (let index = 0; index < wire.length; index += 1) {
      items.push(...parser.push(wire.subarray(index, index + 1)));
      if (index === wire.length - 10) expect(parser.midMessage).toBe(true);
    }
    expect(parser.midMessage).toBe(false);
    expect(messages(items)).toEqual(messages(new AmiParser().push(wire)));
  });

  it('accepts bare LF line ends and ignores blank lines between messages', () => {
    const items = new AmiParser({ expectBanner: false }).push(
      'Response: Success\nActionID: a-1\nPing: Pong\n\n\n\r\nEvent: FullyBooted\r\nStatus: Fully Booted\r\n\r\n',
    );
    expect(messages(items).map((message) => message.kind)).toEqual(['response', 'event']);
    expect(messages(items)[0]?.get('Ping')).toBe('Pong');
  });

  it('reports a line without a colon and keeps the rest of the message', () => {
    const items = new AmiParser({ expectBanner: false }).push(
      'Event: Newchannel\r\nthis is not a header\r\n: no name\r\nUniqueid: 1.2\r\n\r\n',
    );
    expect(items.filter((item) => item.kind === 'malformed')).toEqual([
      { kind: 'malformed', line: 'this is not a header', reason: 'missing_separator' },
      { kind: 'malformed', line: ': no name', reason: 'missing_separator' },
    ]);
    expect(messages(items)[0]?.fields).toEqual([
      { name: 'Event', value: 'Newchannel' },
      { name: 'Uniqueid', value: '1.2' },
    ]);
  });

  it('reports a greeting that is not AMI', () => {
    const items = new AmiParser().push('SSH-2.0-OpenSSH_9.6\r\n');
    expect(items).toEqual([
      { kind: 'malformed', line: 'SSH-2.0-OpenSSH_9.6', reason: 'not_a_banner' },
    ]);
  });

  it('reports and skips an over-long line instead of buffering it', () => {
    const parser = new AmiParser({ expectBanner: false, maxLineLength: 32 });
    const first = parser.push(`Event: Test\r\nValue: ${'x'.repeat(40)}`);
    expect(first).toEqual([
      expect.objectContaining({ kind: 'malformed', reason: 'line_too_long' }),
    ]);
    const rest = parser.push(`${'y'.repeat(100)}\r\nAfter: ok\r\n\r\n`);
    expect(messages(rest)[0]?.fields).toEqual([
      { name: 'Event', value: 'Test' },
      { name: 'After', value: 'ok' },
    ]);
  });
});

describe('serializeAmiMessage', () => {
  it('writes CRLF lines and an empty line, and parses back', () => {
    const fields = [
      { name: 'Action', value: 'Login' },
      { name: 'Username', value: 'crm' },
      { name: 'Secret', value: 'p:a:s:s' },
    ];
    const text = serializeAmiMessage(fields);
    expect(text).toBe('Action: Login\r\nUsername: crm\r\nSecret: p:a:s:s\r\n\r\n');
    expect(messages(new AmiParser({ expectBanner: false }).push(text))[0]?.fields).toEqual(fields);
  });

  it('refuses a line break in a value or a bad key (action injection)', () => {
    expect(() =>
      serializeAmiMessage([{ name: 'Secret', value: 'x\r\nAction: Originate' }]),
    ).toThrow(AmiError);
    expect(() => serializeAmiMessage([{ name: 'Bad: key', value: 'x' }])).toThrow(AmiError);
    expect(() => serializeAmiMessage([{ name: '', value: 'x' }])).toThrow(AmiError);
  });
});
