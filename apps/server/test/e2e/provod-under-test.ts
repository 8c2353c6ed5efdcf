import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Call, Page, Registration } from '@provod/contracts';
import pino, { type Logger } from 'pino';
import { loadConfig, type ProvodConfig } from '../../src/config/config.ts';
import { startServer, type RunningServer } from '../../src/runtime/server.ts';
import { freePort } from '../free-port.ts';

/**
 * A real `provod start` in this process for end-to-end tests with SIP peers: its own temp
 * data dir, free HTTP and SIP ports on 127.0.0.1, the demo tenant it announces.
 */
export interface ProvodUnderTest {
  server: RunningServer;
  /** The temp directory; the data dir is below it. Removed by stop(). */
  dir: string;
  sipPort: number;
  httpPort: number;
  /** The demo extension's SIP password, as `provod start` printed it. */
  sipPasswordOf(extension: string): string;
  /** GET /api/v1/registrations as the demo tenant's owner. */
  registrations(): Promise<Registration[]>;
  /** GET /api/v1/calls as the demo tenant's owner: the call log, newest first. */
  calls(): Promise<Call[]>;
  /** GET of a binary resource (a recording's content) as the owner. */
  download(url: string): Promise<Buffer>;
  /** POST /api/v1/sounds: a WAV prompt of the demo tenant. */
  uploadSound(name: string, wav: Buffer): Promise<{ id: string }>;
  /** Any API request as the demo tenant's owner; a status other than 2xx throws. */
  api<Body>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ): Promise<Body>;
  stop(): Promise<void>;
}

export async function startProvodUnderTest(
  name: string,
  logger: Logger = pino({ level: 'silent' }),
  configure: (config: ProvodConfig, dir: string) => ProvodConfig = (config) => config,
): Promise<ProvodUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), `provod-${name}-`));
  let banner = '';
  const sipPort = await freePort();
  const httpPort = await freePort();
  const config = loadConfig(
    { data: join(dir, 'data'), httpPort: String(httpPort), sipPort: String(sipPort) },
    {},
    dir,
  );
  const server = await startServer(
    configure(
      {
        ...config,
        http: { ...config.http, host: '127.0.0.1' },
        sip: { ...config.sip, host: '127.0.0.1', port: sipPort },
      },
      dir,
    ),
    { logger, announce: (text) => (banner += text) },
  ).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  let cookie: string | undefined;
  let csrfToken = '';

  async function ownerCookie(): Promise<string> {
    if (cookie !== undefined) return cookie;
    const owner = /owner login: (\S+) \/ (\S+)/.exec(banner);
    const login = await server.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: owner?.[1], password: owner?.[2] },
    });
    if (login.statusCode !== 200) throw new Error(`owner login failed: ${login.body}`);
    cookie = login.cookies.find((c) => c.name === 'provod_session')?.value ?? '';
    csrfToken = login.json<{ csrfToken: string }>().csrfToken;
    return cookie;
  }

  async function api<Body>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ): Promise<Body> {
    const response = await server.http.inject({
      method,
      url,
      headers: { cookie: `provod_session=${await ownerCookie()}`, 'x-csrf-token': csrfToken },
      ...(payload === undefined ? {} : { payload }),
    });
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.body}`);
    return response.json<Body>();
  }

  const ownerGet = <Body>(url: string) => api<Body>('GET', url);

  async function download(url: string): Promise<Buffer> {
    const response = await server.http.inject({
      method: 'GET',
      url,
      headers: { cookie: `provod_session=${await ownerCookie()}` },
    });
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode}`);
    return response.rawPayload;
  }

  async function uploadSound(name: string, wav: Buffer): Promise<{ id: string }> {
    const response = await server.http.inject({
      method: 'POST',
      url: `/api/v1/sounds?name=${encodeURIComponent(name)}&purpose=prompt`,
      headers: {
        cookie: `provod_session=${await ownerCookie()}`,
        'x-csrf-token': csrfToken,
        'content-type': 'audio/wav',
      },
      payload: wav,
    });
    if (response.statusCode !== 201) throw new Error(`sound upload: ${response.body}`);
    return response.json<{ id: string }>();
  }

  return {
    server,
    dir,
    sipPort,
    httpPort,
    sipPasswordOf(extension) {
      const match = new RegExp(`extension ${extension}: SIP password (\\S+)`).exec(banner);
      if (!match?.[1]) throw new Error(`no password for ${extension} in ${banner}`);
      return match[1];
    },
    registrations: () => ownerGet<Registration[]>('/api/v1/registrations'),
    calls: async () => (await ownerGet<Page<Call>>('/api/v1/calls')).items,
    api,
    download,
    uploadSound,
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
