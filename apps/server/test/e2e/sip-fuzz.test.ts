import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket as TcpSocket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startProvodUnderTest, type ProvodUnderTest } from './provod-under-test.ts';
import {
  optionsRequest,
  registerRequest,
  seedMessages,
  type SeedMessage,
  type SeedSender,
} from './sip-seed-messages.ts';

/**
 * A bounded mutation fuzz of `provod start`'s SIP side: valid seeds are broken in ways
 * RFC 4475 and real-world traffic break them, sent over UDP and TCP, and the server must
 * stay up, keep answering valid requests, and never log an error or throw unhandled.
 * Everything random comes from one seed (PROVOD_FUZZ_SEED overrides it), printed in every
 * failure, so a failing run replays exactly.
 */
const fuzzSeed = Number(process.env.PROVOD_FUZZ_SEED ?? 0x5eed_4475);
const udpRounds = 300;
const tcpRounds = 150;
const messagesPerTcpConnection = 25;
const healthEvery = 50;
const answerWithinMs = 2_000;

/** mulberry32: a tiny, well-mixed 32-bit PRNG; enough to make mutations reproducible. */
class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

interface MutationLimits {
  /** How long a "huge" header value is: a UDP datagram cannot carry 100 KB. */
  readonly hugeHeader: number;
}

interface Mutation {
  readonly name: string;
  readonly apply: (text: string, rng: Rng, limits: MutationLimits) => string;
}

/** Values that break parsers when they land where a token was (RFC 4475 §3.1.2 in spirit). */
const trickyTokens = [
  'SCTP',
  'TLS',
  'WS',
  'XYZ',
  '0',
  '-1',
  '65536',
  '4294967296',
  '99999999999999999999',
  '',
  '*',
  '<>',
  '"',
  'sip:',
  '%00',
  ';',
  ',',
  ':',
  '[::1]',
  'SIP/3.0',
  'received=',
  'rport=99999',
];

const lines = (text: string) => text.split('\r\n');

function replaceContentLength(text: string, value: string | undefined): string {
  const kept = lines(text).filter((line) => !/^content-length\s*:/i.test(line));
  if (value === undefined) return kept.join('\r\n');
  const blank = kept.indexOf('');
  const at = blank < 0 ? kept.length : blank;
  return [...kept.slice(0, at), `Content-Length: ${value}`, ...kept.slice(at)].join('\r\n');
}

function bodyLength(text: string): number {
  const blank = text.indexOf('\r\n\r\n');
  return blank < 0 ? 0 : Buffer.byteLength(text.slice(blank + 4), 'latin1');
}

function insertAt(text: string, at: number, piece: string): string {
  return text.slice(0, at) + piece + text.slice(at);
}

function insertHeader(text: string, rng: Rng, header: string): string {
  const all = lines(text);
  const blank = all.indexOf('');
  const at = 1 + rng.int(Math.max(1, (blank < 0 ? all.length : blank) - 1));
  return [...all.slice(0, at), header, ...all.slice(at)].join('\r\n');
}

const baseMutations: readonly Mutation[] = [
  {
    name: 'byte flips',
    apply: (text, rng) => {
      const bytes = Buffer.from(text, 'latin1');
      for (let i = 1 + rng.int(8); i > 0; i--) {
        const at = rng.int(bytes.length);
        bytes[at] = (bytes[at] ?? 0) ^ (1 + rng.int(255));
      }
      return bytes.toString('latin1');
    },
  },
  { name: 'truncation', apply: (text, rng) => text.slice(0, rng.int(text.length)) },
  {
    name: 'delete line',
    apply: (text, rng) => {
      const all = lines(text);
      all.splice(rng.int(all.length), 1);
      return all.join('\r\n');
    },
  },
  {
    name: 'duplicate line',
    apply: (text, rng) => {
      const all = lines(text);
      const at = rng.int(all.length);
      all.splice(at, 0, all[at] ?? '');
      return all.join('\r\n');
    },
  },
  {
    name: 'huge header value',
    apply: (text, rng, limits) => {
      const all = lines(text);
      const headerLines = all.map((line, i) => ({ line, i })).filter((x) => x.line.includes(':'));
      if (headerLines.length === 0 || rng.int(2) === 0) {
        return insertHeader(text, rng, `X-Fuzz: ${'a'.repeat(limits.hugeHeader)}`);
      }
      const { line, i } = rng.pick(headerLines);
      all[i] = line + rng.pick(['a', ';x=', ',', ' ', '<sip:']).repeat(limits.hugeHeader / 4);
      return all.join('\r\n');
    },
  },
  {
    name: 'Content-Length too large',
    apply: (text, rng) => replaceContentLength(text, String(bodyLength(text) + 1 + rng.int(5000))),
  },
  {
    name: 'Content-Length too small',
    apply: (text, rng) =>
      replaceContentLength(text, String(Math.max(0, bodyLength(text) - 1 - rng.int(200)))),
  },
  {
    name: 'Content-Length odd value',
    apply: (text, rng) =>
      replaceContentLength(
        text,
        rng.pick(['-1', '-0', 'abc', '', '0x10', '1e3', '12 34', '99999999999999999999', '+5']),
      ),
  },
  {
    name: 'Content-Length conflicting',
    apply: (text) => insertHeader(text, new Rng(1), `Content-Length: ${bodyLength(text) + 7}`),
  },
  { name: 'Content-Length missing', apply: (text) => replaceContentLength(text, undefined) },
  {
    name: 'CR/LF/NUL injection',
    apply: (text, rng) => {
      let result = text;
      for (let i = 1 + rng.int(4); i > 0; i--) {
        result = insertAt(
          result,
          rng.int(result.length + 1),
          rng.pick(['\r', '\n', '\0', '\r\n', '\r\n\r\n', '\r\n ', '\t']),
        );
      }
      return result;
    },
  },
  {
    name: 'very many headers',
    apply: (text, rng) => {
      const count = 500 + rng.int(3000);
      const extra = Array.from({ length: count }, (_, i) =>
        rng.pick([`X-F${i}: v`, `Via: SIP/2.0/UDP 10.0.0.${i % 250}:5060;branch=z9hG4bK${i}`]),
      );
      return insertHeader(text, rng, extra.join('\r\n'));
    },
  },
  {
    name: 'huge start line',
    apply: (text, rng, limits) => {
      const all = lines(text);
      const first = all[0] ?? '';
      const space = first.indexOf(' ');
      all[0] = insertAt(first, space < 0 ? first.length : space + 5, 'x'.repeat(limits.hugeHeader));
      if (rng.int(4) === 0) all[0] = 'INVITE' + 'E'.repeat(limits.hugeHeader) + first;
      return all.join('\r\n');
    },
  },
  {
    name: 'token swap',
    apply: (text, rng) => {
      const tokens = [...text.matchAll(/[A-Za-z0-9.]+/g)];
      if (tokens.length === 0) return text;
      const token = rng.pick(tokens);
      const at = token.index;
      return text.slice(0, at) + rng.pick(trickyTokens) + text.slice(at + token[0].length);
    },
  },
];

const mutations: readonly Mutation[] = [
  ...baseMutations,
  {
    name: 'two mutations',
    apply: (text, rng, limits) =>
      rng.pick(baseMutations).apply(rng.pick(baseMutations).apply(text, rng, limits), rng, limits),
  },
];

interface FuzzInput {
  readonly index: number;
  readonly transport: 'udp' | 'tcp';
  readonly seed: string;
  readonly mutation: string;
  readonly bytes: Buffer;
}

function describeInput(input: FuzzInput): string {
  const shown = input.bytes.subarray(0, 400).toString('latin1');
  return `#${input.index} ${input.transport} ${input.seed} / ${input.mutation} (${input.bytes.length} bytes): ${JSON.stringify(shown)}`;
}

function mutate(
  index: number,
  transport: 'udp' | 'tcp',
  seeds: readonly SeedMessage[],
  rng: Rng,
  limits: MutationLimits,
): FuzzInput {
  const seed = rng.pick(seeds);
  const mutation = rng.pick(mutations);
  let bytes = Buffer.from(mutation.apply(seed.text, rng, limits), 'latin1');
  // A datagram carries at most 65,507 bytes; a bigger one would only fail in our own send.
  if (transport === 'udp' && bytes.length > 65_000) bytes = bytes.subarray(0, 65_000);
  return { index, transport, seed: seed.name, mutation: mutation.name, bytes };
}

/** pino's JSON lines, kept in memory with the fuzz input that was last sent when each came. */
interface LogRecord {
  readonly level: number;
  readonly msg: string;
  readonly errMessage: string | undefined;
  readonly afterInput: number;
}

function parseLogLine(line: string, afterInput: number): LogRecord {
  const parsed: unknown = JSON.parse(line);
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`bad log line ${line}`);
  const record = parsed as { level?: unknown; msg?: unknown; err?: { message?: unknown } };
  return {
    level: typeof record.level === 'number' ? record.level : 0,
    msg: typeof record.msg === 'string' ? record.msg : '',
    errMessage: typeof record.err?.message === 'string' ? record.err.message : undefined,
    afterInput,
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SIP mutation fuzz against provod start', () => {
  let provod: ProvodUnderTest;
  let sipPort: number;
  const udpSockets: UdpSocket[] = [];
  const tcpSockets: TcpSocket[] = [];
  const logs: LogRecord[] = [];
  const unhandled: string[] = [];
  let lastInput = -1;
  const onUncaught = (error: unknown) => unhandled.push(`uncaughtException: ${String(error)}`);
  const onRejection = (reason: unknown) => unhandled.push(`unhandledRejection: ${String(reason)}`);

  beforeEach(async () => {
    logs.length = 0;
    unhandled.length = 0;
    lastInput = -1;
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onRejection);
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line.trim() !== '') logs.push(parseLogLine(line, lastInput));
        }
        callback();
      },
    });
    // Hundreds of messages from one address in a second: the flood guard would rightly
    // answer most of them 503, and this test is about what the parser survives.
    provod = await startProvodUnderTest('fuzz', pino({ level: 'debug' }, logStream), (config) => ({
      ...config,
      sip: { ...config.sip, requestsPerSecondPerSource: 0 },
    }));
    sipPort = provod.sipPort;
  });

  afterEach(async () => {
    for (const socket of tcpSockets.splice(0)) socket.destroy();
    for (const socket of udpSockets.splice(0)) socket.close();
    await provod.stop();
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onRejection);
  });

  async function udpSocket(): Promise<{ socket: UdpSocket; replies: string[]; port: number }> {
    const socket = createSocket('udp4');
    udpSockets.push(socket);
    const replies: string[] = [];
    socket.on('message', (data) => replies.push(data.toString('latin1')));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return { socket, replies, port: socket.address().port };
  }

  function sendUdp(socket: UdpSocket, bytes: Buffer | string): Promise<void> {
    return new Promise((resolve, reject) =>
      socket.send(bytes, sipPort, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    );
  }

  function connectTcp(): Promise<{ socket: TcpSocket; received: () => string; port: number }> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: sipPort });
      tcpSockets.push(socket);
      let data = '';
      socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        // The server may close on a lost framing or reset mid-write; that is allowed.
        socket.on('error', () => undefined);
        resolve({ socket, received: () => data, port: socket.localPort ?? 0 });
      });
    });
  }

  function writeTcp(socket: TcpSocket, bytes: Buffer): Promise<void> {
    if (socket.destroyed || !socket.writable) return Promise.resolve();
    return new Promise((resolve) => socket.write(bytes, () => resolve()));
  }

  /** A response with this status line and Call-ID within `answerWithinMs`, else a reason. */
  async function waitFor(
    replies: () => string,
    status: string,
    callId: string,
    retransmit?: () => Promise<void>,
  ): Promise<string | undefined> {
    const statusLine = new RegExp(`^${status}\\r\\n`);
    const answered = () =>
      replies()
        .split(/(?=^SIP\/2\.0 [0-9]{3} )/m)
        .some((reply) => statusLine.test(reply) && reply.includes(`\r\nCall-ID: ${callId}\r\n`));
    for (let waited = 0; waited < answerWithinMs; waited += 20) {
      if (answered()) return undefined;
      // RFC 3261 §17.1.2.2 Timer E in spirit: a datagram may drop under the fuzz's burst.
      if (retransmit && waited > 0 && waited % 500 === 0) await retransmit();
      await delay(20);
    }
    return `no "${status}" for ${callId} within ${answerWithinMs} ms; got ${JSON.stringify(replies().slice(-600))}`;
  }

  let probes = 0;
  /** A valid OPTIONS over UDP and over a fresh TCP connection: both must get 200 OK. */
  async function healthCheck(when: string): Promise<string[]> {
    probes += 1;
    const problems: string[] = [];
    const udp = await udpSocket();
    const udpCallId = `health-udp-${probes}@probe`;
    const udpRequest = optionsRequest({ transport: 'UDP', port: udp.port }, udpCallId);
    await sendUdp(udp.socket, udpRequest);
    const udpProblem = await waitFor(
      () => udp.replies.join('\n'),
      'SIP/2.0 200 OK',
      udpCallId,
      () => sendUdp(udp.socket, udpRequest),
    );
    if (udpProblem !== undefined) problems.push(`UDP OPTIONS ${when}: ${udpProblem}`);
    const tcp = await connectTcp();
    const tcpCallId = `health-tcp-${probes}@probe`;
    await writeTcp(
      tcp.socket,
      Buffer.from(optionsRequest({ transport: 'TCP', port: tcp.port }, tcpCallId)),
    );
    const tcpProblem = await waitFor(tcp.received, 'SIP/2.0 200 OK', tcpCallId);
    if (tcpProblem !== undefined) problems.push(`TCP OPTIONS ${when}: ${tcpProblem}`);
    tcp.socket.destroy();
    return problems;
  }

  it('stays up and keeps answering through mutated UDP and TCP traffic', async () => {
    const rng = new Rng(fuzzSeed);
    const inputs: FuzzInput[] = [];
    const problems: string[] = [];
    const tag = `PROVOD_FUZZ_SEED=${fuzzSeed}`;

    // The seeds themselves are answered: otherwise the fuzz would mutate nonsense.
    const fuzzUdp = await udpSocket();
    const udpSender: SeedSender = { transport: 'UDP', port: fuzzUdp.port };
    for (const seed of seedMessages(udpSender)) await sendUdp(fuzzUdp.socket, seed.text);
    for (const callId of ['seed-register@127.0.0.1', 'seed-options@127.0.0.1']) {
      const problem = await waitFor(
        () => fuzzUdp.replies.join('\n'),
        'SIP/2.0 [0-9]{3} [^\\r]*',
        callId,
      );
      expect(problem, `${tag} seed not answered`).toBeUndefined();
    }

    const udpSeeds = seedMessages(udpSender);
    for (let i = 0; i < udpRounds; i++) {
      const input = mutate(inputs.length, 'udp', udpSeeds, rng, { hugeHeader: 60_000 });
      inputs.push(input);
      lastInput = input.index;
      await sendUdp(fuzzUdp.socket, input.bytes);
      await new Promise((resolve) => setImmediate(resolve));
      if ((i + 1) % healthEvery === 0) problems.push(...(await healthCheck(`after #${i}`)));
    }
    const udpAnswers = fuzzUdp.replies.length;

    let tcpConnections = 0;
    let tcpAnswered = 0;
    let nextTcpProbe = healthEvery;
    for (let sent = 0; sent < tcpRounds;) {
      const connection = await connectTcp();
      tcpConnections += 1;
      const seeds = seedMessages({ transport: 'TCP', port: connection.port });
      const limit = Math.min(tcpRounds, sent + messagesPerTcpConnection);
      while (sent < limit && !connection.socket.destroyed) {
        // One message, several back to back in one write, or one split across writes.
        const mode = rng.pick(['single', 'batch', 'split'] as const);
        const count = mode === 'batch' ? Math.min(limit - sent, 2 + rng.int(4)) : 1;
        const batch = Array.from({ length: count }, (_, k) =>
          mutate(inputs.length + k, 'tcp', seeds, rng, { hugeHeader: 100_000 }),
        );
        inputs.push(...batch);
        sent += count;
        lastInput = inputs.length - 1;
        const bytes = Buffer.concat(batch.map((input) => input.bytes));
        if (mode === 'split') {
          const cuts = [
            ...new Set([
              0,
              ...Array.from({ length: 3 }, () => rng.int(bytes.length)),
              bytes.length,
            ]),
          ];
          cuts.sort((a, b) => a - b);
          for (let c = 1; c < cuts.length; c++) {
            await writeTcp(connection.socket, bytes.subarray(cuts[c - 1], cuts[c]));
            await delay(2);
          }
        } else {
          await writeTcp(connection.socket, bytes);
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (sent >= nextTcpProbe) {
          nextTcpProbe += healthEvery;
          problems.push(...(await healthCheck(`after #${lastInput}`)));
        }
      }
      await delay(20);
      if (connection.received().startsWith('SIP/2.0')) tcpAnswered += 1;
      connection.socket.destroy();
    }

    problems.push(...(await healthCheck('at the end')));
    const register = await udpSocket();
    await sendUdp(
      register.socket,
      registerRequest({ transport: 'UDP', port: register.port }, '101', 'final-reg@probe'),
    );
    const udpRegister = await waitFor(
      () => register.replies.join('\n'),
      'SIP/2.0 401 Unauthorized',
      'final-reg@probe',
    );
    if (udpRegister !== undefined) problems.push(`UDP REGISTER at the end: ${udpRegister}`);
    const tcp = await connectTcp();
    await writeTcp(
      tcp.socket,
      Buffer.from(
        registerRequest({ transport: 'TCP', port: tcp.port }, '101', 'final-reg-tcp@probe'),
      ),
    );
    const tcpRegister = await waitFor(
      tcp.received,
      'SIP/2.0 401 Unauthorized',
      'final-reg-tcp@probe',
    );
    if (tcpRegister !== undefined) problems.push(`TCP REGISTER at the end: ${tcpRegister}`);

    const failures = logs.filter(
      (record) => record.level >= 50 || record.errMessage === 'unexpected parser failure',
    );
    const culprits = [...new Set(failures.map((record) => record.afterInput))].flatMap((index) => {
      const input = inputs[index];
      return input === undefined ? [] : [describeInput(input)];
    });
    const summary = `${tag}: ${inputs.length} inputs, ${udpAnswers} UDP answers, ${tcpConnections} TCP connections (${tcpAnswered} answered), ${probes} health probes, ${logs.length} log lines`;
    const byMessage = new Map<string, number>();
    for (const record of logs) {
      const key = `${record.level} ${record.msg}${record.level >= 40 ? `: ${record.errMessage ?? ''}` : ''}`;
      byMessage.set(key, (byMessage.get(key) ?? 0) + 1);
    }
    console.info(summary, Object.fromEntries(byMessage));

    expect(unhandled, `${tag}\n${culprits.join('\n')}`).toEqual([]);
    expect(
      failures.map(
        (record) => `${record.msg}: ${record.errMessage ?? ''} (after #${record.afterInput})`,
      ),
      `${tag} error-level logs; inputs sent just before:\n${culprits.join('\n')}`,
    ).toEqual([]);
    expect(problems, `${tag}: the server stopped answering`).toEqual([]);
    expect(udpAnswers, `${tag}: mutated UDP requests got no answers at all`).toBeGreaterThan(20);
    expect(tcpConnections, tag).toBeGreaterThanOrEqual(6);
  }, 60_000);
});
