import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * A headless baresip 1.0 (Debian `baresip-core`) driven from tests. Only the account
 * module is loaded: registration needs no audio, and `module_app account.so` is what reads
 * the `accounts` file. Results are read from stdout (ctrl_tcp does not replay events that
 * happen before a client connects): `101@demo.provod.local: {0/UDP/v4} 200 OK () [1 binding]`
 * on success, `reg: sip:101@demo.provod.local: 403 Forbidden …` on failure.
 */

export interface BaresipAccount {
  readonly user: string;
  readonly domain: string;
  readonly password: string;
  /** Where every request goes (the outbound proxy), over UDP. */
  readonly proxy: { readonly host: string; readonly port: number };
  /** Registration interval asked for, in seconds. */
  readonly regint?: number | undefined;
}

export interface BaresipOptions {
  /** The config directory to create (`baresip -f DIR`). */
  readonly dir: string;
  /** The local SIP port baresip listens on (127.0.0.1). */
  readonly sipPort: number;
  readonly account: BaresipAccount;
  /** `-s`: print every SIP message sent and received on stdout. */
  readonly sipTrace?: boolean | undefined;
  /** Set to make and take calls: audio modules, remote control, auto-answer. */
  readonly calls?: BaresipCallOptions | undefined;
}

export interface BaresipCallOptions {
  /** ctrl_tcp listens here (127.0.0.1) for commands; events come back on it. */
  readonly controlPort: number;
  /** 8 kHz mono 16-bit WAV played into every call (`aufile` source). */
  readonly audioFile: string;
  /** Answer incoming calls at once (`answermode=auto`). */
  readonly autoAnswer: boolean;
  /**
   * With `sndfile.so`, every call's audio is written here: `dump-…-dec.wav` what the
   * phone received, `dump-…-enc.wav` what it sent (PEERS.md).
   */
  readonly recordDir?: string | undefined;
}

export interface BaresipExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Terminal colour codes (ESC [ … m) around baresip's warnings. */
const ansiColour = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*m`, 'g');

export class Baresip {
  private text = '';
  private readonly exited: Promise<BaresipExit>;
  private exit: BaresipExit | undefined;

  constructor(private readonly child: ChildProcess) {
    const append = (chunk: Buffer) => (this.text += chunk.toString().replace(ansiColour, ''));
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
      child.once('error', (error) => {
        this.text += `\nspawn failed: ${error.message}\n`;
        this.exit = { code: null, signal: null };
        resolve(this.exit);
      });
    });
  }

  /** Everything printed so far, colour codes removed. */
  get output(): string {
    return this.text;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Resolves with the first match of `pattern` in the output; rejects after `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.text);
      if (match) return match;
      if (Date.now() > deadline || !this.running) {
        throw new Error(`baresip: no ${String(pattern)} within ${timeoutMs} ms:\n${this.text}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Sends `signal` and waits for the exit; SIGKILL if it has not exited by `timeoutMs`. */
  async stop(signal: NodeJS.Signals, timeoutMs: number): Promise<BaresipExit> {
    if (this.exit) return this.exit;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Writes the config directory for one account and starts `baresip -f DIR`. */
export function startBaresip(options: BaresipOptions): Baresip {
  const { dir, sipPort, account, calls } = options;
  mkdirSync(dir, { recursive: true });
  // Calls need codecs, an audio source and sink that need no sound card (PEERS.md), and
  // ctrl_tcp with menu.so, which provides the dial/hangup commands it forwards.
  const callModules =
    calls === undefined
      ? []
      : [
          'module g711.so',
          'module aufile.so',
          'module aubridge.so',
          'module_app menu.so',
          'module_app ctrl_tcp.so',
          `ctrl_tcp_listen 127.0.0.1:${calls.controlPort}`,
          `audio_source aufile,${calls.audioFile}`,
          'audio_player aubridge,sink',
          'audio_alert aubridge,sink',
          'ausrc_srate 8000',
          'ausrc_channels 1',
          'rtp_ports 30000-39999',
          ...(calls.recordDir === undefined
            ? []
            : ['module sndfile.so', `snd_path ${calls.recordDir}`]),
        ];
  writeFileSync(
    join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${sipPort}`,
      'sip_trans_def udp',
      'module_path /usr/lib/baresip/modules',
      'module_app account.so',
      ...callModules,
      '',
    ].join('\n'),
  );
  const proxy = `sip:${account.proxy.host}:${account.proxy.port};transport=udp`;
  const callParams =
    calls === undefined
      ? ''
      : `;answermode=${calls.autoAnswer ? 'auto' : 'manual'};audio_codecs=PCMU,PCMA`;
  writeFileSync(
    join(dir, 'accounts'),
    `<sip:${account.user}@${account.domain};transport=udp>;auth_pass=${account.password};` +
      `outbound="${proxy}";regint=${account.regint ?? 300}${callParams}\n`,
  );
  writeFileSync(join(dir, 'contacts'), '');
  const args = ['-f', dir, ...(options.sipTrace ? ['-s'] : [])];
  return new Baresip(spawn('baresip', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
}
