import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AmiClient, type AmiClientOptions, type AmiClientState } from './client.ts';
import { AmiError, type AmiMessage } from './message.ts';
import { AmiSimulator } from './simulator.ts';
import { parseTranscript } from './transcript.ts';

const events = parseTranscript(
  readFileSync(new URL('../../test/fixtures/ami/blind-transfer.txt', import.meta.url), 'utf8'),
);

const opened: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

async function simulator(options: Partial<ConstructorParameters<typeof AmiSimulator>[0]> = {}) {
  const sim = new AmiSimulator({ username: 'crm', secret: 's3cret', events, ...options });
  opened.push(sim);
  return { sim, port: await sim.listen(0) };
}

function client(port: number, options: Partial<AmiClientOptions> = {}) {
  const ami = new AmiClient({
    host: '127.0.0.1',
    port,
    username: 'crm',
    secret: 's3cret',
    reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
    ...options,
  });
  opened.push(ami);
  const received: AmiMessage[] = [];
  const states: AmiClientState[] = [];
  ami.onEvent((event) => received.push(event));
  ami.onStateChange((state) => states.push(state));
  return { ami, received, states };
}

/** Waits until the condition holds, checking on every turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const ids = (list: readonly AmiMessage[]) => list.map((e) => `${e.event} ${e.get('Timestamp')}`);

describe('AmiClient against the AMI simulator', () => {
  it('logs in with Events: on and receives the whole transcript, in order', async () => {
    const { sim, port } = await simulator();
    const { ami, received, states } = client(port);
    await ami.start();
    await until(() => received.length === events.length);
    expect(ids(received)).toEqual(ids(events));
    const login = sim.actions[0];
    expect(login?.get('Action')).toBe('Login');
    expect(login?.get('Username')).toBe('crm');
    expect(login?.get('Secret')).toBe('s3cret');
    expect(login?.get('Events')).toBe('on');
    expect(login?.get('ActionID')).toMatch(/^[0-9a-f]{8}-1$/);
    expect(states.slice(0, 3)).toEqual(['connecting', 'logging_in', 'ready']);
  });

  it('replays with the recorded gaps compressed by timeScale', async () => {
    const { sim, port } = await simulator({ timeScale: 0.0002 });
    const { ami, received } = client(port);
    await ami.start();
    await sim.whenReplayed();
    await until(() => received.length === events.length);
    expect(ids(received)).toEqual(ids(events));
  });

  it('correlates responses by ActionID and sends Ping as keep-alive', async () => {
    const { sim, port } = await simulator({ nowMs: () => 1_710_000_000_250 });
    const { ami } = client(port, { keepAliveMs: 20 });
    await ami.start();
    const [pong, events] = await Promise.all([
      ami.action([{ name: 'Action', value: 'Ping' }]),
      ami.action([
        { name: 'Action', value: 'Events' },
        { name: 'EventMask', value: 'on' },
      ]),
    ]);
    expect(pong.get('Ping')).toBe('Pong');
    expect(pong.get('Timestamp')).toBe('1710000000.250000');
    expect(events.get('Events')).toBe('On');
    expect(pong.get('ActionID')).not.toBe(events.get('ActionID'));
    await until(() => sim.actions.filter((a) => a.get('Action') === 'Ping').length >= 3);
    expect(ami.state).toBe('ready');
  });

  it('rejects an action answered with Response: Error as action_failed', async () => {
    const { port } = await simulator();
    const { ami } = client(port);
    await ami.start();
    const failure = await ami
      .action([{ name: 'Action', value: 'NoSuchThing' }])
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AmiError);
    expect(failure).toMatchObject({ code: 'action_failed', message: 'Invalid/unknown command' });
  });

  it('refuses a wrong secret with a typed error and does not retry', async () => {
    const { sim, port } = await simulator();
    const { ami, states } = client(port, { secret: 'wrong' });
    const failure = await ami.start().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AmiError);
    expect(failure).toMatchObject({ code: 'login_refused', message: 'Authentication failed' });
    expect(ami.state).toBe('closed');
    expect(states.at(-1)).toBe('closed');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sim.connections).toBe(1);
  });

  it('refuses a peer that is not AMI with not_ami', async () => {
    const server: Server = createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    opened.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const { ami } = client(address.port);
    await expect(ami.start()).rejects.toMatchObject({ code: 'not_ami' });
  });

  it('reconnects after a drop between events and loses or repeats none', async () => {
    const { sim, port } = await simulator();
    sim.dropAt({ afterEvents: 7 });
    const { ami, received, states } = client(port);
    await ami.start();
    await until(() => received.length === events.length);
    expect(ids(received)).toEqual(ids(events));
    expect(sim.connections).toBe(2);
    expect(states).toContain('waiting_to_reconnect');
    expect(sim.actions.filter((a) => a.get('Action') === 'Login')).toHaveLength(2);
  });

  it('discards an event cut in half by the drop and gets it whole after reconnecting', async () => {
    const { sim, port } = await simulator();
    sim.dropAt({ afterEvents: 12, midMessage: true });
    const { ami, received } = client(port);
    await ami.start();
    await until(() => received.length === events.length);
    expect(ids(received)).toEqual(ids(events));
    expect(received[12]?.fields).toEqual(events[12]?.fields);
  });

  it('keeps reconnecting with backoff while nothing AMI answers, then logs in', async () => {
    // First a port that accepts and hangs up at once (Asterisk restarting), then the simulator.
    let refused = 0;
    const flaky: Server = createServer((socket) => {
      refused += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    const address = flaky.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const { ami, states } = client(address.port);
    const started = ami.start();
    await until(() => refused >= 3);
    await new Promise<void>((resolve) => flaky.close(() => resolve()));
    const sim = new AmiSimulator({ username: 'crm', secret: 's3cret', events: [] });
    opened.push(sim);
    await sim.listen(address.port);
    await started;
    expect(ami.state).toBe('ready');
    expect(states.filter((s) => s === 'waiting_to_reconnect').length).toBeGreaterThanOrEqual(3);
    expect(states.at(-1)).toBe('ready');
  });

  it('logs off on close and stops reconnecting', async () => {
    const { sim, port } = await simulator({ events: [] });
    const { ami, states } = client(port);
    await ami.start();
    await ami.close();
    expect(sim.actions.at(-1)?.get('Action')).toBe('Logoff');
    expect(states.slice(-2)).toEqual(['closing', 'closed']);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sim.connections).toBe(1);
    await expect(ami.action([{ name: 'Action', value: 'Ping' }])).rejects.toMatchObject({
      code: 'connection_lost',
    });
  });
});

describe('AmiSimulator', () => {
  it('answers actions before login with Authentication Required', async () => {
    const { sim, port } = await simulator();
    const { AmiParser } = await import('./parser.ts');
    const { createConnection } = await import('node:net');
    const parser = new AmiParser();
    const socket = createConnection({ host: '127.0.0.1', port });
    opened.push({ close: async () => void socket.destroy() });
    const replies: AmiMessage[] = [];
    socket.on('data', (chunk: Buffer) => {
      for (const item of parser.push(chunk))
        if (item.kind === 'message') replies.push(item.message);
    });
    socket.write('Action: Ping\r\nActionID: x-1\r\n\r\n');
    await until(() => replies.length === 1);
    expect(replies[0]?.fields).toEqual([
      { name: 'Response', value: 'Error' },
      { name: 'ActionID', value: 'x-1' },
      { name: 'Message', value: 'Authentication Required' },
    ]);
    expect(sim.eventsSent).toBe(0);
  });
});
