/**
 * Incremental AMI stream parser: TCP chunks in, whole messages out.
 *
 *   Asterisk Call Manager/7.0.3<CRLF>        ← banner, once, before anything else
 *   Event: Newchannel<CRLF>                  ← "Key: Value" lines
 *   Privilege: call,all<CRLF>
 *   …<CRLF>
 *   <CRLF>                                   ← an empty line ends the message
 *
 * (AMI Command Syntax, https://docs.asterisk.org/Configuration/Interfaces/Asterisk-Manager-Interface-AMI/AMI-Command-Syntax/;
 * the banner is what main/manager.c writes on accept.)
 *
 * A chunk may end anywhere — inside a line, inside a multi-byte UTF-8 character, between
 * the CR and the LF — so the partial line and the partial character are kept until the next
 * chunk. Only the first ": " separates key from value; values keep any further colons
 * (`Exten: *97:1`, SIP URIs, times). A bare LF is accepted as a line end too.
 * Lines without a colon and over-long lines are reported, never silently dropped.
 */
import { StringDecoder } from 'node:string_decoder';
import { AmiMessage, type AmiField } from './message.ts';

export type AmiParseItem =
  | { readonly kind: 'banner'; readonly line: string; readonly version: string }
  | { readonly kind: 'message'; readonly message: AmiMessage }
  | {
      readonly kind: 'malformed';
      readonly line: string;
      readonly reason: 'missing_separator' | 'line_too_long' | 'not_a_banner';
    };

export interface AmiParserOptions {
  /** The stream starts with the server's banner line (a live connection); default true. */
  readonly expectBanner?: boolean;
  /** A longer line is reported and skipped, so a broken peer cannot grow the buffer. */
  readonly maxLineLength?: number;
}

const bannerPattern = /^Asterisk Call Manager\/(\S+)$/;

/** Where the parser is: before the banner, reading lines, or skipping an over-long line. */
type ParserState = 'banner' | 'lines' | 'skipping_long_line';

export class AmiParser {
  private state: ParserState;
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private fields: AmiField[] = [];
  private readonly maxLineLength: number;

  constructor(options: AmiParserOptions = {}) {
    this.state = (options.expectBanner ?? true) ? 'banner' : 'lines';
    this.maxLineLength = options.maxLineLength ?? 64 * 1024;
  }

  /** Feeds one chunk; answers what it completed, in order. */
  push(chunk: Buffer | string): AmiParseItem[] {
    const out: AmiParseItem[] = [];
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    for (;;) {
      const newline = this.pending.indexOf('\n');
      if (newline === -1) break;
      const raw = this.pending.slice(0, newline);
      this.pending = this.pending.slice(newline + 1);
      this.takeLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw, out);
    }
    if (this.pending.length > this.maxLineLength && this.state !== 'skipping_long_line') {
      out.push({ kind: 'malformed', line: this.pending.slice(0, 80), reason: 'line_too_long' });
      this.state = 'skipping_long_line';
    }
    if (this.state === 'skipping_long_line') this.pending = '';
    return out;
  }

  /** True while a message has started but not ended: what a dropped connection loses. */
  get midMessage(): boolean {
    return this.fields.length > 0 || this.pending.length > 0;
  }

  private takeLine(line: string, out: AmiParseItem[]): void {
    switch (this.state) {
      case 'skipping_long_line':
        // The rest of the over-long line; the next line is a fresh one.
        this.state = 'lines';
        return;
      case 'banner': {
        this.state = 'lines';
        const match = bannerPattern.exec(line);
        if (match?.[1] === undefined) out.push({ kind: 'malformed', line, reason: 'not_a_banner' });
        else out.push({ kind: 'banner', line, version: match[1] });
        return;
      }
      case 'lines':
        this.takeMessageLine(line, out);
        return;
    }
  }

  private takeMessageLine(line: string, out: AmiParseItem[]): void {
    if (line.length === 0) {
      // Empty lines between messages (and the blank line after an already-ended one) end nothing.
      if (this.fields.length > 0)
        out.push({ kind: 'message', message: new AmiMessage(this.fields) });
      this.fields = [];
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      out.push({ kind: 'malformed', line, reason: 'missing_separator' });
      return;
    }
    const name = line.slice(0, colon).trim();
    // "Key: Value" — one space after the colon by convention; "Key:" alone is an empty value.
    const value = line.slice(colon + 1).replace(/^ /, '');
    this.fields.push({ name, value });
  }
}
