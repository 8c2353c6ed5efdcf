import { afterEach } from 'vitest';
import {
  createAmoCrmSandbox,
  SandboxClock,
  type AmoCrmSandbox,
  type AmoCrmSandboxOptions,
} from '@provod/crm-sandbox';
import { AmoCrmClient } from '../src/amocrm/client.ts';
import { AmoConnection } from '../src/amocrm/connection.ts';
import { RequestPacer, type Clock } from '../src/http/pacer.ts';
import type { AmoCredentials, AmoTokenStore } from '../src/amocrm/tokens.ts';
import { fetchTransport, type HttpTransport } from '../src/http/transport.ts';

/** The integration the tests install: values are the sandbox's own, not a real amoCRM app. */
export const integration = {
  clientId: '0b7a6c2e-3f41-4d8a-9e55-1c2d3e4f5a6b',
  clientSecret: 'provod-test-secret',
  redirectUri: 'https://provod.example/oauth/amocrm',
};

/** Requests sent and not yet answered, so the test clock can wait for them. */
export interface InFlight {
  count: number;
}

/**
 * A clock for the client that is the sandbox's frozen clock: sleeping moves the sandbox's
 * time on, so pacing is measured on the clock amoCRM's limiter reads, with no real waiting.
 * Before it moves, requests already sent must have arrived — on a real network they
 * arrive within milliseconds, long before a pacing sleep of up to a second is over.
 */
export function sandboxDrivenClock(sandbox: AmoCrmSandbox, inFlight: InFlight): Clock {
  return {
    nowMs: () => sandbox.clock.nowMs(),
    sleep: async (ms) => {
      while (inFlight.count > 0) await new Promise((resolve) => setImmediate(resolve));
      if (ms > 0) sandbox.clock.advance(ms);
    },
  };
}

/** A TokenStore that writes into a shared event log, so tests can check what came first. */
export class LoggedTokenStore implements AmoTokenStore {
  saved: AmoCredentials[] = [];
  failNextSave = false;

  constructor(
    private readonly log: string[],
    private credentials: AmoCredentials | null = null,
  ) {}

  async load(): Promise<AmoCredentials | null> {
    return this.credentials;
  }

  async save(credentials: AmoCredentials): Promise<void> {
    if (this.failNextSave) {
      this.failNextSave = false;
      this.log.push('save failed');
      throw new Error('disk full');
    }
    this.credentials = credentials;
    this.saved.push(credentials);
    this.log.push(`save ${credentials.accessToken}`);
  }
}

/** fetch, with every request written into the log as "METHOD path bearer". */
export function loggedTransport(log: string[], inFlight: InFlight = { count: 0 }): HttpTransport {
  return {
    async send(request) {
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '-';
      log.push(`${request.method} ${new URL(request.url).pathname} ${bearer}`);
      inFlight.count += 1;
      try {
        return await fetchTransport.send(request);
      } finally {
        inFlight.count -= 1;
      }
    },
  };
}

export interface Harness {
  readonly sandbox: AmoCrmSandbox;
  readonly inFlight: InFlight;
  readonly clock: Clock;
  readonly pacer: RequestPacer;
  readonly log: string[];
  readonly store: LoggedTokenStore;
  readonly connection: AmoConnection;
  readonly client: AmoCrmClient;
}

const opened: AmoCrmSandbox[] = [];

/** Call at the top of a test file: every sandbox it opens is closed after each test. */
export function closeSandboxesAfterEach(): void {
  afterEach(async () => {
    for (const sandbox of opened.splice(0)) await sandbox.close();
  });
}

/**
 * A listening sandbox (port 0, 127.0.0.1) with amoCRM's real 7 requests/s limit, a frozen
 * clock, and a connection installed through the real POST /oauth2/access_token.
 */
export async function openHarness(
  options: AmoCrmSandboxOptions = {},
  pacerPerSecond = 7,
): Promise<Harness> {
  const sandbox = createAmoCrmSandbox({
    clock: SandboxClock.frozenAt(Date.UTC(2024, 2, 12, 18, 0, 0)),
    ...options,
  });
  opened.push(sandbox);
  const url = await sandbox.listen(0, '127.0.0.1');
  const inFlight: InFlight = { count: 0 };
  const clock = sandboxDrivenClock(sandbox, inFlight);
  const pacer = new RequestPacer(clock, { perSecond: pacerPerSecond, marginMs: 0 });
  const log: string[] = [];
  const store = new LoggedTokenStore(log);
  const connection = new AmoConnection({
    baseUrl: url,
    integration,
    tokens: store,
    pacer,
    clock,
    transport: loggedTransport(log, inFlight),
    timeoutMs: 5_000,
  });
  await connection.install(sandbox.install(integration));
  return {
    sandbox,
    inFlight,
    clock,
    pacer,
    log,
    store,
    connection,
    client: new AmoCrmClient(connection),
  };
}
