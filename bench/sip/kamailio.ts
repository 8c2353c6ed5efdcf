/**
 * Kamailio (Debian's `kamailio` package, 5.6) as the reference: a stateful proxy that
 * challenges the caller's INVITE with digest like Provod does, then relays it to the
 * callee's sipp and stays in the dialog's path (Record-Route). Module functions as in
 * Kamailio's module READMEs (/usr/share/doc/kamailio/modules/README.{auth,tm,rr,textops}.gz).
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface KamailioProxy {
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

export interface KamailioOptions {
  readonly dir: string;
  readonly port: number;
  /** Where every new INVITE goes: the callee's sipp. */
  readonly uasPort: number;
  /** The caller's digest password; any user with it passes, as Kamailio has no user table here. */
  readonly password: string;
  /** UDP worker processes (Kamailio's `children`). */
  readonly children: number;
}

/** Whether an executable `kamailio` is on PATH: the reference runs only where it is installed. */
export function kamailioOnPath(): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, 'kamailio'), constants.X_OK);
      return true;
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return false;
      if (error instanceof Error && 'code' in error && error.code === 'EACCES') return false;
      throw error;
    }
  });
}

/**
 * The routing script. New INVITEs: Max-Forwards, digest (pv_auth_check with the password
 * in plain text, flags "0"; checks "1" = the digest user must be the From user, as Provod
 * requires), 407 with qop=auth (auth_challenge flags "1"), Proxy-Authorization removed,
 * Record-Route, t_relay to the callee. In-dialog requests follow their Route (loose_route);
 * an ACK for a 407 ends here (sl already absorbs ACKs to its own replies).
 */
export function kamailioConfig(options: KamailioOptions): string {
  return `#!KAMAILIO
debug=0
log_stderror=yes
children=${options.children}
disable_tcp=yes
auto_aliases=no
listen=udp:127.0.0.1:${options.port}

loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "siputils.so"
loadmodule "textops.so"
loadmodule "auth.so"

modparam("auth", "secret", "${randomBytes(16).toString('hex')}")

request_route {
  if (!mf_process_maxfwd_header("10")) {
    sl_send_reply("483", "Too Many Hops");
    exit;
  }
  if (has_totag()) {
    if (loose_route()) {
      t_relay();
      exit;
    }
    if (is_method("ACK") && t_check_trans()) t_relay();
    else if (!is_method("ACK")) sl_send_reply("404", "Not here");
    exit;
  }
  if (is_method("CANCEL")) {
    if (t_check_trans()) t_relay();
    exit;
  }
  if (!is_method("INVITE")) {
    sl_send_reply("405", "Method Not Allowed");
    exit;
  }
  $var(pw) = "${options.password}";
  if (!pv_auth_check("$fd", "$var(pw)", "0", "1")) {
    auth_challenge("$fd", "1");
    exit;
  }
  consume_credentials();
  record_route();
  $du = "sip:127.0.0.1:${options.uasPort}";
  if (!t_relay()) sl_reply_error();
  exit;
}
`;
}

/**
 * Starts `kamailio -f CFG -DD -E -m 512`: in the foreground (its workers are its
 * children), logging to stderr, with 512 MiB shared memory for the transactions of a
 * high call rate. Resolves once it answers a request on its port.
 */
export async function startKamailio(options: KamailioOptions): Promise<KamailioProxy> {
  const configFile = join(options.dir, 'kamailio.cfg');
  writeFileSync(configFile, kamailioConfig(options));
  const child = spawn('kamailio', ['-f', configFile, '-DD', '-E', '-m', '512'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-8000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const { pid } = child;
  if (pid === undefined) throw new Error('kamailio did not start');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    if (child.exitCode !== null) {
      throw new Error(`kamailio exited with ${child.exitCode}:\n${log}`);
    }
    if (await answersOptions(options.port)) {
      // Print what it warned about: a reference that runs misconfigured is worth nothing.
      if (log.trim() !== '') console.error(`kamailio: ${log.trim()}`);
      return { pid, port: options.port, stop };
    }
  }
  await stop();
  throw new Error(`kamailio did not answer on port ${options.port}:\n${log}`);
}

/** Sends one OPTIONS and waits briefly for any answer (the script refuses it with 405). */
async function answersOptions(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  try {
    // Nobody listening yet is silence: Linux reports no ICMP error to an unconnected socket.
    const answered = new Promise<boolean>((resolve) => socket.once('message', () => resolve(true)));
    socket.bind(0, '127.0.0.1');
    await new Promise((resolve) => socket.once('listening', resolve));
    const local = socket.address().port;
    const request = [
      `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${randomBytes(8).toString('hex')}`,
      'Max-Forwards: 70',
      `From: <sip:probe@127.0.0.1>;tag=${randomBytes(4).toString('hex')}`,
      `To: <sip:127.0.0.1:${port}>`,
      `Call-ID: ${randomBytes(8).toString('hex')}@127.0.0.1`,
      'CSeq: 1 OPTIONS',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    socket.send(request, port, '127.0.0.1');
    return await Promise.race([answered, sleep(300).then(() => false)]);
  } finally {
    socket.close();
  }
}
