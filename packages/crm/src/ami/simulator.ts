/**
 * A TCP server that speaks AMI well enough to test clients against: it greets with the
 * banner, checks Login against one configured user, answers Ping, Events and Logoff, and
 * replays a recorded transcript of events to a logged-in connection — instantly or with
 * the recorded gaps scaled by `timeScale`. Tests can drop the connection, optionally in the
 * middle of an event, to prove a client neither loses nor duplicates events.
 *
 * The transcript has one cursor shared by all connections: what a dropped connection did
 * not receive whole is sent again to the next one, so "no event lost" is testable. (A real
 * Asterisk keeps no backlog; see client.ts.)
 *
 * Wire details follow main/manager.c of Asterisk 13–20 as documented on
 * https://docs.asterisk.org/Asterisk_18_Documentation/API_Documentation/AMI_Actions/Login/,
 * …/AMI_Actions/Ping/, …/AMI_Actions/Events/ and …/AMI_Actions/Logoff/: responses start with
 * `Response:` and echo the ActionID; a failed login is `Response: Error` /
 * `Message: Authentication failed` and the connection is closed.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { AmiMessage, serializeAmiMessage, type AmiField } from './message.ts';
import { AmiParser } from './parser.ts';
import { eventTimeMs } from './transcript.ts';

export interface AmiSimulatorOptions {
  readonly username: string;
  readonly secret: string;
  /** The events to replay, in order (see parseTranscript). */
  readonly events: readonly AmiMessage[];
  /** The AMI protocol version in the banner; Asterisk 18 ships 7.0.x. */
  readonly amiVersion?: string;
  /** 0 (default): replay as fast as possible; 1: the recorded gaps; 0.01: 100× faster. */
  readonly timeScale?: number;
  /** Ping's Timestamp; defaults to the system clock. */
  readonly nowMs?: () => number;
}

export interface DropPlan {
  /** Drop when this many transcript events have been sent in total. */
  readonly afterEvents: number;
  /** Write the first half of the next event's bytes before dropping. */
  readonly midMessage?: boolean;
}

/** A connection's life: before login, logged in, closed. */
type SessionState = 'greeted' | 'logged_in' | 'closed';

interface Session {
  readonly socket: Socket;
  state: SessionState;
  eventsOn: boolean;
  replaying: boolean;
}

export class AmiSimulator {
  private readonly server: Server;
  private readonly sessions = new Set<Session>();
  private cursor = 0;
  private dropPlan: DropPlan | undefined;
  private readonly received: AmiMessage[] = [];
  private readonly doneWaiters: (() => void)[] = [];
  private connectionCount = 0;

  constructor(private readonly options: AmiSimulatorOptions) {
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Listens on 127.0.0.1; port 0 picks a free one. Answers the port. */
  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    return address.port;
  }

  /** Every action the simulator received, in order (Secret included: tests check it). */
  get actions(): readonly AmiMessage[] {
    return this.received;
  }

  get eventsSent(): number {
    return this.cursor;
  }

  get connections(): number {
    return this.connectionCount;
  }

  /** Arms a drop of the replaying connection at a point of the transcript. */
  dropAt(plan: DropPlan): void {
    this.dropPlan = plan;
  }

  /** Closes every open connection now, as a restarting Asterisk would. */
  dropConnections(): void {
    for (const session of this.sessions) this.end(session, true);
  }

  /** Resolves once every transcript event has been written. */
  whenReplayed(): Promise<void> {
    if (this.cursor >= this.options.events.length) return Promise.resolve();
    return new Promise((resolve) => this.doneWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.connectionCount += 1;
    const session: Session = { socket, state: 'greeted', eventsOn: true, replaying: false };
    this.sessions.add(session);
    const parser = new AmiParser({ expectBanner: false });
    socket.on('data', (chunk: Buffer) => {
      for (const item of parser.push(chunk)) {
        if (item.kind === 'message') this.handle(session, item.message);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      session.state = 'closed';
      this.sessions.delete(session);
    });
    socket.write(`Asterisk Call Manager/${this.options.amiVersion ?? '7.0.3'}\r\n`);
  }

  private handle(session: Session, action: AmiMessage): void {
    this.received.push(action);
    const name = action.get('Action')?.toLowerCase();
    const id = action.get('ActionID');
    const reply = (fields: readonly (readonly [string, string])[]): void => {
      const [first, ...rest] = fields.map(([key, value]): AmiField => ({ name: key, value }));
      if (first === undefined) return;
      const withId =
        id === undefined ? [first, ...rest] : [first, { name: 'ActionID', value: id }, ...rest];
      session.socket.write(serializeAmiMessage(withId));
    };
    if (session.state !== 'logged_in' && name !== 'login' && name !== 'logoff') {
      reply([
        ['Response', 'Error'],
        ['Message', 'Authentication Required'],
      ]);
      return;
    }
    switch (name) {
      case 'login':
        this.login(session, action, reply);
        return;
      case 'ping': {
        const seconds = (this.options.nowMs ?? Date.now)() / 1000;
        reply([
          ['Response', 'Success'],
          ['Ping', 'Pong'],
          ['Timestamp', seconds.toFixed(6)],
        ]);
        return;
      }
      case 'events':
        session.eventsOn = (action.get('EventMask') ?? 'on').toLowerCase() !== 'off';
        reply([
          ['Response', 'Success'],
          ['Events', session.eventsOn ? 'On' : 'Off'],
        ]);
        if (session.eventsOn) this.replay(session);
        return;
      case 'logoff':
        reply([
          ['Response', 'Goodbye'],
          ['Message', 'Thanks for all the fish.'],
        ]);
        this.end(session, false);
        return;
      default:
        reply([
          ['Response', 'Error'],
          ['Message', 'Invalid/unknown command'],
        ]);
    }
  }

  private login(
    session: Session,
    action: AmiMessage,
    reply: (fields: readonly (readonly [string, string])[]) => void,
  ): void {
    if (session.state === 'logged_in') {
      reply([
        ['Response', 'Success'],
        ['Message', 'Already authenticated'],
      ]);
      return;
    }
    const ok =
      action.get('Username') === this.options.username &&
      action.get('Secret') === this.options.secret;
    if (!ok) {
      reply([
        ['Response', 'Error'],
        ['Message', 'Authentication failed'],
      ]);
      this.end(session, false);
      return;
    }
    session.state = 'logged_in';
    session.eventsOn = (action.get('Events') ?? 'on').toLowerCase() !== 'off';
    reply([
      ['Response', 'Success'],
      ['Message', 'Authentication accepted'],
    ]);
    if (session.eventsOn) this.replay(session);
  }

  private replay(session: Session): void {
    if (session.replaying) return;
    session.replaying = true;
    const scale = this.options.timeScale ?? 0;
    const step = (): void => {
      if (session.state !== 'logged_in' || !session.eventsOn) {
        session.replaying = false;
        return;
      }
      const event = this.options.events[this.cursor];
      if (event === undefined) {
        session.replaying = false;
        for (const resolve of this.doneWaiters.splice(0)) resolve();
        return;
      }
      const bytes = serializeAmiMessage(event.fields);
      const plan = this.dropPlan;
      if (plan !== undefined && this.cursor === plan.afterEvents) {
        this.dropPlan = undefined;
        session.state = 'closed';
        session.replaying = false;
        // Destroy only once what was written (half an event, with midMessage) has left.
        const partial =
          plan.midMessage === true ? bytes.slice(0, Math.floor(bytes.length / 2)) : '';
        session.socket.write(partial, () => this.end(session, true));
        return;
      }
      session.socket.write(bytes);
      this.cursor += 1;
      const next = this.options.events[this.cursor];
      const gap = next === undefined ? 0 : gapMs(event, next) * scale;
      if (gap > 0) setTimeout(step, gap);
      else setImmediate(step);
    };
    step();
  }

  /** Ends a session: `abrupt` destroys the socket (a crash), otherwise it is closed after the last write. */
  private end(session: Session, abrupt: boolean): void {
    session.state = 'closed';
    if (abrupt) session.socket.destroy();
    else session.socket.end();
    this.sessions.delete(session);
  }
}

function gapMs(from: AmiMessage, to: AmiMessage): number {
  const a = eventTimeMs(from);
  const b = eventTimeMs(to);
  return a === undefined || b === undefined ? 0 : Math.max(0, b - a);
}
