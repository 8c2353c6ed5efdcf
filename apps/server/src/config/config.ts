import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce
  .number({ error: 'expected a port number' })
  .int('expected an integer port')
  .min(1, 'expected a port between 1 and 65535')
  .max(65535, 'expected a port between 1 and 65535');

const flag = z.preprocess(
  (value) =>
    value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value,
  z.boolean({ error: 'expected true or false' }),
);

export const configSchema = z.strictObject({
  dataDir: z.string().min(1).default('./data'),
  http: z
    .strictObject({
      host: z.string().min(1).default('0.0.0.0'),
      port: port.default(8080),
      trustProxy: flag
        .default(false)
        .describe('Behind a reverse proxy: take the client address from X-Forwarded-For'),
      publicUrl: z
        .url({
          protocol: /^https?$/,
          error: 'expected an http(s) URL such as https://pbx.example.com',
        })
        .transform((url) => url.replace(/\/+$/, ''))
        .optional()
        .describe(
          'Where people and CRMs reach Provod, for links in CRM records; http://localhost:PORT if unset',
        ),
    })
    .default({ host: '0.0.0.0', port: 8080, trustProxy: false }),
  crm: z
    .strictObject({
      amocrm: z
        .strictObject({
          clientId: z.string().min(1).optional().describe("Provod's amoCRM integration id"),
          clientSecret: z.string().min(1).optional(),
          accountHosts: z
            .array(z.string().min(1))
            .default(['.amocrm.ru', '.amocrm.com', '.kommo.com'])
            .describe(
              'Hosts (or .suffixes) an install redirect may name as the account: the code and secret go there',
            ),
        })
        .default({ accountHosts: ['.amocrm.ru', '.amocrm.com', '.kommo.com'] }),
    })
    .default({ amocrm: { accountHosts: ['.amocrm.ru', '.amocrm.com', '.kommo.com'] } })
    .describe('CRM integrations Provod itself is registered as'),
  sip: z
    .strictObject({
      host: z.string().min(1).default('0.0.0.0'),
      port: port.default(5060),
      advertisedHost: z
        .string()
        .min(1)
        .optional()
        .describe('Host in Via/Contact; the bound host, or the first public IPv4 for 0.0.0.0'),
      ringTimeoutSeconds: z.coerce
        .number({ error: 'expected a number of seconds' })
        .int('expected a whole number of seconds')
        .min(5, 'expected at least 5 seconds')
        .max(600, 'expected at most 600 seconds')
        .default(60)
        .describe('How long a called extension rings before the caller hears 480'),
      trunkReconcileSeconds: z.coerce
        .number({ error: 'expected a number of seconds' })
        .int('expected a whole number of seconds')
        .min(1, 'expected at least 1 second')
        .max(3600, 'expected at most 3600 seconds')
        .default(30)
        .describe('How soon a trunk saved with register: true starts registering'),
      maxCallMinutes: z.coerce
        .number({ error: 'expected a number of minutes' })
        .int('expected a whole number of minutes')
        .min(1, 'expected at least 1 minute')
        .max(1440, 'expected at most 1440 minutes')
        .default(240)
        .describe('An answered call is hung up after this long'),
      sessionExpiresSeconds: z.coerce
        .number({ error: 'expected a number of seconds' })
        .int('expected a whole number of seconds')
        .refine((seconds) => seconds === 0 || seconds >= 90, 'expected 0 (off) or at least 90')
        .refine((seconds) => seconds <= 86_400, 'expected at most 86400 seconds')
        .default(1800)
        .describe('RFC 4028 session timer on both legs of a call (0: off; see docs/sip.md)'),
      tlsPort: port.default(5061).describe('SIP over TLS, when tlsCertFile and tlsKeyFile are set'),
      tlsCertFile: z
        .string()
        .min(1)
        .optional()
        .describe('PEM certificate (chain) for SIP over TLS'),
      tlsKeyFile: z.string().min(1).optional().describe('PEM private key for SIP over TLS'),
      requestsPerSecondPerSource: z.coerce
        .number({ error: 'expected a number of requests per second' })
        .int('expected a whole number')
        .min(0, 'expected 0 (no limit) or more')
        .default(200)
        .describe('Per source address, before authentication; beyond it 503 (0: no limit)'),
      webSocketPath: z
        .string()
        .regex(/^\/[A-Za-z0-9._~/-]*$/, 'expected a path such as /sip')
        .default('/sip')
        .describe('SIP over WebSocket (RFC 7118) on the HTTP server, for browsers'),
      digestAlgorithms: z
        .preprocess(
          (value) => (typeof value === 'string' ? value.split(',').map((a) => a.trim()) : value),
          z
            .array(z.enum(['MD5', 'SHA-256'], { error: 'expected MD5 and/or SHA-256' }))
            .min(1, 'expected MD5 and/or SHA-256'),
        )
        .default(['MD5'])
        .describe('Digest challenges offered, in order (see docs/sip.md)'),
    })
    .refine((sip) => (sip.tlsCertFile === undefined) === (sip.tlsKeyFile === undefined), {
      message: 'expected both tlsCertFile and tlsKeyFile, or neither',
      path: ['tlsCertFile'],
    })
    .default({
      host: '0.0.0.0',
      port: 5060,
      ringTimeoutSeconds: 60,
      trunkReconcileSeconds: 30,
      maxCallMinutes: 240,
      sessionExpiresSeconds: 1800,
      tlsPort: 5061,
      requestsPerSecondPerSource: 200,
      webSocketPath: '/sip',
      digestAlgorithms: ['MD5'],
    }),
  media: z
    .strictObject({
      anchor: flag
        .default(true)
        .describe('Relay call audio through Provod; false: phones send RTP to each other'),
      rtpPortMin: port.default(20000).describe('Lowest RTP/RTCP port of the relay'),
      rtpPortMax: port.default(29999).describe('Highest RTP/RTCP port of the relay'),
      timeoutSeconds: z.coerce
        .number({ error: 'expected a number of seconds' })
        .int('expected a whole number of seconds')
        .min(0, 'expected 0 (off) or more')
        .max(3600, 'expected at most 3600 seconds')
        .default(60)
        .describe('An answered call with no RTP for this long ends (0: never; not on hold)'),
    })
    .refine((media) => media.rtpPortMax - media.rtpPortMin >= 3, {
      message: 'expected rtpPortMax at least rtpPortMin + 3 (one call takes two port pairs)',
      path: ['rtpPortMax'],
    })
    .default({ anchor: true, rtpPortMin: 20000, rtpPortMax: 29999, timeoutSeconds: 60 }),
  database: z
    .strictObject({
      url: z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
        .optional()
        .describe('PostgreSQL; SQLite in dataDir when absent'),
    })
    .default({}),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .default({ level: 'info' }),
  demo: flag.default(true).describe('Create the demo tenant when the database is empty'),
  sessionTtlHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  jobs: z
    .strictObject({
      concurrency: z.coerce.number().int().min(1).max(64).default(4),
      pollIntervalMs: z.coerce.number().int().min(10).max(60_000).default(500),
    })
    .default({ concurrency: 4, pollIntervalMs: 500 }),
});

export type ProvodConfig = z.infer<typeof configSchema>;

/** Where a configuration value came from, named in errors so the user knows what to fix. */
type Source =
  | { kind: 'default' }
  | { kind: 'file'; path: string }
  | { kind: 'env'; name: string }
  | { kind: 'flag'; name: string };

/** Environment variable → config key. DATABASE_URL is the convention most hosts set. */
const environmentKeys: Record<string, string> = {
  PROVOD_DATA_DIR: 'dataDir',
  PROVOD_HTTP_HOST: 'http.host',
  PROVOD_HTTP_PORT: 'http.port',
  PROVOD_HTTP_TRUST_PROXY: 'http.trustProxy',
  PROVOD_SIP_HOST: 'sip.host',
  PROVOD_SIP_PORT: 'sip.port',
  PROVOD_SIP_DIGEST_ALGORITHMS: 'sip.digestAlgorithms',
  PROVOD_SIP_ADVERTISED_HOST: 'sip.advertisedHost',
  PROVOD_SIP_RING_TIMEOUT_SECONDS: 'sip.ringTimeoutSeconds',
  PROVOD_SIP_TRUNK_RECONCILE_SECONDS: 'sip.trunkReconcileSeconds',
  PROVOD_SIP_MAX_CALL_MINUTES: 'sip.maxCallMinutes',
  PROVOD_SIP_SESSION_EXPIRES_SECONDS: 'sip.sessionExpiresSeconds',
  PROVOD_SIP_TLS_PORT: 'sip.tlsPort',
  PROVOD_SIP_TLS_CERT_FILE: 'sip.tlsCertFile',
  PROVOD_SIP_TLS_KEY_FILE: 'sip.tlsKeyFile',
  PROVOD_SIP_WEBSOCKET_PATH: 'sip.webSocketPath',
  PROVOD_SIP_REQUESTS_PER_SECOND_PER_SOURCE: 'sip.requestsPerSecondPerSource',
  PROVOD_MEDIA_ANCHOR: 'media.anchor',
  PROVOD_MEDIA_RTP_PORT_MIN: 'media.rtpPortMin',
  PROVOD_MEDIA_RTP_PORT_MAX: 'media.rtpPortMax',
  PROVOD_MEDIA_TIMEOUT_SECONDS: 'media.timeoutSeconds',
  PROVOD_DATABASE_URL: 'database.url',
  DATABASE_URL: 'database.url',
  PROVOD_LOG_LEVEL: 'log.level',
  PROVOD_PUBLIC_URL: 'http.publicUrl',
  PROVOD_AMOCRM_CLIENT_ID: 'crm.amocrm.clientId',
  PROVOD_AMOCRM_CLIENT_SECRET: 'crm.amocrm.clientSecret',
  PROVOD_DEMO: 'demo',
  PROVOD_SESSION_TTL_HOURS: 'sessionTtlHours',
  PROVOD_JOBS_CONCURRENCY: 'jobs.concurrency',
};

export interface ConfigFlags {
  config?: string | undefined;
  data?: string | undefined;
  httpPort?: string | undefined;
  sipPort?: string | undefined;
  databaseUrl?: string | undefined;
  logLevel?: string | undefined;
  demo?: boolean | undefined;
}

const flagKeys: Record<Exclude<keyof ConfigFlags, 'config'>, [string, string]> = {
  data: ['dataDir', '--data'],
  httpPort: ['http.port', '--http-port'],
  sipPort: ['sip.port', '--sip-port'],
  databaseUrl: ['database.url', '--database-url'],
  logLevel: ['log.level', '--log-level'],
  demo: ['demo', '--no-demo'],
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Defaults → `provod.config.json` (or --config PATH) → `PROVOD_*` environment → flags,
 * each layer overriding the one before; then one validation of the result.
 */
export function loadConfig(
  flags: ConfigFlags,
  environment: NodeJS.ProcessEnv,
  cwd: string,
): ProvodConfig {
  const merged: Record<string, unknown> = {};
  const sources = new Map<string, Source>();

  const filePath = flags.config ?? environment.PROVOD_CONFIG;
  const resolvedFile = resolve(cwd, filePath ?? 'provod.config.json');
  if (filePath !== undefined || existsSync(resolvedFile)) {
    const fileValues = readConfigFile(resolvedFile);
    for (const [key, value] of flatten(fileValues)) {
      setPath(merged, key, value);
      sources.set(key, { kind: 'file', path: resolvedFile });
    }
  }
  for (const [name, key] of Object.entries(environmentKeys)) {
    const value = environment[name];
    if (value === undefined || value === '') continue;
    setPath(merged, key, value);
    sources.set(key, { kind: 'env', name });
  }
  for (const [flagName, [key, spelled]] of Object.entries(flagKeys)) {
    const value = flags[flagName as keyof typeof flagKeys];
    if (value === undefined) continue;
    setPath(merged, key, value);
    sources.set(key, { kind: 'flag', name: spelled });
  }

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // Name the key the user set: for an element of a list given as one value
    // (`sip.digestAlgorithms.0`), that is the list itself.
    const path = (issue?.path ?? []).map(String);
    while (path.length > 1 && !sources.has(path.join('.'))) path.pop();
    const key = path.join('.') || '?';
    const value = issue?.code === 'unrecognized_keys' ? undefined : getPath(merged, key);
    const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : undefined;
    const source = describeSource(sources.get(key) ?? { kind: 'file', path: resolvedFile });
    throw new ConfigError(
      unknownKey !== undefined
        ? `config: unknown key ${key ? `${key}.` : ''}${unknownKey} (from ${source}): expected one of the documented keys`
        : `config: ${key} = ${JSON.stringify(value)} (from ${source}): ${issue?.message ?? 'invalid'}`,
    );
  }
  return { ...parsed.data, dataDir: resolve(cwd, parsed.data.dataDir) };
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`config: cannot read ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config: ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`config: ${path} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

function flatten(value: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(value).flatMap(([key, inner]) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? flatten(inner as Record<string, unknown>, `${prefix}${key}.`)
      : [[`${prefix}${key}`, inner] as [string, unknown]],
  );
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1) ?? path] = value;
}

function getPath(target: Record<string, unknown>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[key]
          : undefined,
      target,
    );
}

function describeSource(source: Source): string {
  switch (source.kind) {
    case 'default':
      return 'default';
    case 'file':
      return source.path;
    case 'env':
      return `environment ${source.name}`;
    case 'flag':
      return `flag ${source.name}`;
  }
}
