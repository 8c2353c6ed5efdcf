/**
 * An AMI client over TCP (node:net) that stays connected: it logs in after the banner,
 * correlates responses to actions by ActionID, keeps the connection alive with `Ping`, and
 * when the connection drops it reconnects with exponential backoff and logs in again.
 *
 * Followed: AMI Command Syntax (messages, one outstanding action per ActionID)
 * https://docs.asterisk.org/Configuration/Interfaces/Asterisk-Manager-Interface-AMI/AMI-Command-Syntax/,
 * Login https://docs.asterisk.org/Asterisk_18_Documentation/API_Documentation/AMI_Actions/Login/
 * (`Events: on|off|system,call,…` chooses what is sent), Ping "used to keep the manager
 * connection open" https://docs.asterisk.org/Asterisk_18_Documentation/API_Documentation/AMI_Actions/Ping/,
 * Logoff https://docs.asterisk.org/Asterisk_18_Documentation/API_Documentation/AMI_Actions/Logoff/.
 *
 * AMI keeps no backlog: events raised while we are disconnected are gone. What the client
 * guarantees is that every message it delivers was received whole, once; a message cut by
 * a dropped connection is discarded with that connection's parser, never half-delivered.
 * Subscribers learn about the gap from the state change ('waiting_to_reconnect').
 */
import { randomUUID } from 'node:crypto';
import { createConnection, type Socket } from 'node:net';
import { AmiError, AmiMessage, serializeAmiMessage, type AmiField } from './message.ts';
import { AmiParser, type AmiParseItem } from './parser.ts';

export interface AmiReconnectPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Each failed attempt multiplies the delay by this; default 2. */
  readonly factor?: number;
}

export interface AmiClientOptions {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly secret: string;
  /** The Login `Events` value; default 'on'. */
  readonly events?: string;
  /** How often to send Ping while connected; default 20 s. */
  readonly keepAliveMs?: number;
  /** How long an action (Ping and Login included) may wait for its response; default 10 s. */
  readonly responseTimeoutMs?: number;
  readonly reconnect?: AmiReconnectPolicy;
}

/**
 * idle → connecting → logging_in → ready; a drop from any of them leads to
 * waiting_to_reconnect → connecting …; close() leads to closing → closed; a refused login
 * leads straight to closed (a wrong secret does not fix itself, and retrying it can get
 * the address banned by fail2ban).
 */
export type AmiClientState =
  'idle' | 'connecting' | 'logging_in' | 'ready' | 'waiting_to_reconnect' | 'closing' | 'closed';

interface PendingAction {
  readonly resolve: (response: AmiMessage) => void;
  readonly reject: (error: AmiError) => void;
  readonly timer: NodeJS.Timeout;
}

const defaultReconnect: AmiReconnectPolicy = { initialDelayMs: 500, maxDelayMs: 30_000, factor: 2 };

export class AmiClient {
  private stateValue: AmiClientState = 'idle';
  private socket: Socket | undefined;
  private readonly pending = new Map<string, PendingAction>();
  private readonly eventListeners = new Set<(event: AmiMessage) => void>();
  private readonly stateListeners = new Set<(state: AmiClientState, error?: AmiError) => void>();
  private readonly idPrefix = randomUUID().slice(0, 8);
  private nextId = 1;
  private failedAttempts = 0;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private started: { resolve: () => void; reject: (error: AmiError) => void } | undefined;

  constructor(private readonly options: AmiClientOptions) {}

  get state(): AmiClientState {
    return this.stateValue;
  }

  /** Every event, in arrival order; returns the unsubscribe function. */
  onEvent(listener: (event: AmiMessage) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onStateChange(listener: (state: AmiClientState, error?: AmiError) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Connects and logs in; resolves at the first successful login, rejects if it is refused. */
  start(): Promise<void> {
    if (this.stateValue !== 'idle')
      return Promise.reject(new AmiError('closed', 'already started'));
    return new Promise((resolve, reject) => {
      this.started = { resolve, reject };
      this.connect();
    });
  }

  /** Sends an action and waits for the response carrying its ActionID. */
  action(fields: readonly AmiField[]): Promise<AmiMessage> {
    if (this.stateValue !== 'ready') {
      return Promise.reject(new AmiError('connection_lost', `not connected (${this.stateValue})`));
    }
    return this.send(fields);
  }

  /** Logs off (waiting briefly for the Goodbye), closes the socket and stops reconnecting. */
  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    const wasReady = this.stateValue === 'ready';
    this.setState('closing');
    this.clearTimers();
    const socket = this.socket;
    if (wasReady && socket !== undefined) {
      // Logoff is answered with `Response: Goodbye`, after which Asterisk closes; either
      // ends the wait. A dead peer does not hold close() past the response timeout.
      await this.send([{ name: 'Action', value: 'Logoff' }]).catch((error: unknown) => {
        if (!(error instanceof AmiError)) throw error;
      });
    }
    socket?.destroy();
    this.failPending(new AmiError('closed', 'the client was closed'));
    this.started?.reject(new AmiError('closed', 'closed before the first login'));
    this.started = undefined;
    this.setState('closed');
  }

  private connect(): void {
    this.setState('connecting');
    const parser = new AmiParser();
    const socket = createConnection({ host: this.options.host, port: this.options.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const item of parser.push(chunk)) this.take(item, socket);
    });
    // 'error' is always followed by 'close'; the reconnect decision is made there.
    socket.on('error', () => undefined);
    socket.on('close', () => this.onSocketClosed(socket));
  }

  private take(item: AmiParseItem, socket: Socket): void {
    if (socket !== this.socket) return;
    switch (item.kind) {
      case 'banner':
        this.login();
        return;
      case 'malformed':
        if (item.reason === 'not_a_banner') {
          this.stop(new AmiError('not_ami', `not an AMI greeting: ${JSON.stringify(item.line)}`));
        }
        // Other malformed lines: Asterisk sends none; the rest of the message still counts.
        return;
      case 'message':
        this.dispatch(item.message);
        return;
    }
  }

  private dispatch(message: AmiMessage): void {
    const actionId = message.get('ActionID');
    if (message.kind === 'response' && actionId !== undefined) {
      const waiting = this.pending.get(actionId);
      if (waiting === undefined) return;
      this.pending.delete(actionId);
      clearTimeout(waiting.timer);
      if (message.get('Response')?.toLowerCase() === 'error') {
        waiting.reject(new AmiError('action_failed', message.get('Message') ?? 'error', message));
      } else {
        waiting.resolve(message);
      }
      return;
    }
    if (message.kind === 'event') for (const listener of this.eventListeners) listener(message);
  }

  private login(): void {
    this.setState('logging_in');
    const { username, secret, events = 'on' } = this.options;
    this.send([
      { name: 'Action', value: 'Login' },
      { name: 'Username', value: username },
      { name: 'Secret', value: secret },
      { name: 'Events', value: events },
    ]).then(
      () => {
        this.failedAttempts = 0;
        this.setState('ready');
        this.scheduleKeepAlive();
        this.started?.resolve();
        this.started = undefined;
      },
      (error: unknown) => {
        if (error instanceof AmiError && error.code === 'action_failed') {
          this.stop(new AmiError('login_refused', error.message, error.response));
        } else {
          // Timeout or drop while logging in: the socket's close handler retries.
          this.socket?.destroy();
        }
      },
    );
  }

  private send(fields: readonly AmiField[]): Promise<AmiMessage> {
    const socket = this.socket;
    if (socket === undefined) return Promise.reject(new AmiError('connection_lost', 'no socket'));
    const actionId = `${this.idPrefix}-${this.nextId++}`;
    const [first, ...rest] = fields;
    if (first === undefined) return Promise.reject(new AmiError('bad_field', 'an empty action'));
    // ActionID right after the Action line, as Asterisk echoes it right after Response.
    const wire = serializeAmiMessage([first, { name: 'ActionID', value: actionId }, ...rest]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(actionId);
        reject(new AmiError('timeout', `no response to ${first.value} in time`));
      }, this.options.responseTimeoutMs ?? 10_000);
      this.pending.set(actionId, { resolve, reject, timer });
      socket.write(wire);
    });
  }

  private scheduleKeepAlive(): void {
    this.keepAliveTimer = setTimeout(() => {
      this.send([{ name: 'Action', value: 'Ping' }]).then(
        () => {
          if (this.stateValue === 'ready') this.scheduleKeepAlive();
        },
        () => {
          // No Pong: the connection is dead even if TCP has not noticed; start over.
          this.socket?.destroy();
        },
      );
    }, this.options.keepAliveMs ?? 20_000);
  }

  private onSocketClosed(socket: Socket): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.clearTimers();
    this.failPending(new AmiError('connection_lost', 'the AMI connection closed'));
    if (this.stateValue === 'closing' || this.stateValue === 'closed') return;
    const policy = this.options.reconnect ?? defaultReconnect;
    const delay = Math.min(
      policy.maxDelayMs,
      policy.initialDelayMs * (policy.factor ?? 2) ** this.failedAttempts,
    );
    this.failedAttempts += 1;
    this.setState('waiting_to_reconnect');
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private stop(error: AmiError): void {
    this.clearTimers();
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
    this.failPending(error);
    this.started?.reject(error);
    this.started = undefined;
    this.setState('closed', error);
  }

  private failPending(error: AmiError): void {
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      this.pending.delete(id);
      waiting.reject(error);
    }
  }

  private clearTimers(): void {
    clearTimeout(this.keepAliveTimer);
    clearTimeout(this.reconnectTimer);
    this.keepAliveTimer = undefined;
    this.reconnectTimer = undefined;
  }

  private setState(state: AmiClientState, error?: AmiError): void {
    this.stateValue = state;
    for (const listener of this.stateListeners) listener(state, error);
  }
}
