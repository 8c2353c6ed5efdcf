import { connect, type Socket } from 'node:net';

/** One event baresip reports over ctrl_tcp, e.g. CALL_ESTABLISHED or CALL_CLOSED. */
export interface BaresipEvent {
  readonly type: string;
  readonly param?: string;
  readonly peeruri?: string;
}

/**
 * A client of baresip's ctrl_tcp module: commands and events as JSON in netstrings
 * (`LEN:{json},`). Events that happen before the connection are not replayed.
 */
export class BaresipControl {
  private buffer = '';
  private readonly received: BaresipEvent[] = [];

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.take(chunk));
    socket.on('error', () => undefined);
  }

  /** Connects, retrying while baresip is still starting. */
  static async connect(port: number, timeoutMs = 5_000): Promise<BaresipControl> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const attempt = connect(port, '127.0.0.1', () => resolve(attempt));
          attempt.once('error', reject);
        });
        return new BaresipControl(socket);
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  get events(): readonly BaresipEvent[] {
    return this.received;
  }

  command(command: string, params?: string): void {
    const json = JSON.stringify({ command, params, token: command });
    this.socket.write(`${Buffer.byteLength(json)}:${json},`);
  }

  /** Waits for an event of `type`; rejects with every event seen after `timeoutMs`. */
  async waitFor(type: string, timeoutMs: number): Promise<BaresipEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((event) => event.type === type);
      if (found !== undefined) return found;
      if (Date.now() > deadline) {
        throw new Error(`no ${type} within ${timeoutMs} ms; saw ${JSON.stringify(this.received)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private take(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(this.buffer.slice(0, colon));
      if (this.buffer.length < colon + 1 + length + 1) return;
      const payload = this.buffer.slice(colon + 1, colon + 1 + length);
      this.buffer = this.buffer.slice(colon + 1 + length + 1);
      const message = JSON.parse(payload) as { event?: boolean } & BaresipEvent;
      if (message.event === true) this.received.push(message);
    }
  }
}
