import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { nodeSecretRepository } from '@provod/db';
import pino, { type Logger } from 'pino';
import type { ProvodConfig } from '../config/config.ts';
import { buildHttpApp } from '../http/app.ts';
import { attachEventsFeed } from '../http/events-feed.ts';
import type { ProvodApp } from '../http/route-config.ts';
import { createJobHandlers, recurringJobs } from '../jobs/job-kinds.ts';
import { scheduleNextRun } from '../jobs/recurring-jobs.ts';
import { sipDirectory } from '../sip/sip-directory.ts';
import { advertisedHostFor } from '../sip/advertised-host.ts';
import { cachedSipDirectory } from '../sip/cached-directory.ts';
import { callRecorder } from '../sip/call-records.ts';
import { routedCallRecorder } from '../sip/routed-call-records.ts';
import { schemeDirectory } from '../sip/scheme-directory.ts';
import { callRecordings } from '../sip/call-recordings.ts';
import { trunkRoutes } from '../sip/trunk-routes.ts';
import { registeringTrunks } from '../sip/trunk-registrations.ts';
import { voicemailBoxes } from '../sip/voicemail-boxes.ts';
import { createPromptStore } from '../sounds/prompt-store.ts';
import { sipTlsCredentials } from '../sip/tls-credentials.ts';
import { startSipServer, type RunningSipServer } from '../sip/sip-server.ts';
import { createJobWorker } from '../jobs/job-worker.ts';
import { createDemoTenant, formatDemoCredentials } from './demo.ts';
import { openInstance, type Instance } from './instance.ts';
import { provodVersion } from './version.ts';

export interface RunningServer {
  instance: Instance;
  http: ProvodApp;
  httpUrl: string;
  sip: RunningSipServer;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Where the start-up banner (URL, demo credentials) goes; stdout for people. */
  announce?: (text: string) => void;
}

/**
 * A crashed worker's jobs run again once their leases expire; a running handler renews
 * its lease every third of this, so only a dead process lets one lapse.
 */
const jobLeaseMs = 60_000;

/** `provod start`: database, services, HTTP API, job worker; demo tenant on an empty database. */
export async function startServer(
  config: ProvodConfig,
  options: StartOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.log.level });
  const announce = options.announce ?? ((text: string) => process.stdout.write(`${text}\n`));
  // Read before anything starts, so a missing certificate leaves nothing running.
  const sipTls = sipTlsCredentials(config);
  const instance = await openInstance(config);
  let demoText: string | undefined;
  if (config.demo && (await instance.services.tenants.count()) === 0) {
    demoText = formatDemoCredentials(
      await createDemoTenant(instance.services, { type: 'system', id: null }),
    );
  }
  const http = await buildHttpApp({
    services: instance.services,
    logger,
    version: provodVersion,
    trustProxy: config.http.trustProxy,
    readiness: async () => ({ database: await databaseAnswers(instance, logger) }),
  });
  await http.listen({ host: config.http.host, port: config.http.port });
  const address = http.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
  const shownHost =
    config.http.host === '0.0.0.0' || config.http.host === '::' ? 'localhost' : config.http.host;
  const httpUrl = `http://${shownHost}:${port}`;
  const jobs = createJobWorker({
    database: instance.database,
    clock: instance.services.deps.clock,
    handlers: createJobHandlers(instance.services.deps, instance.services.crm.delivery),
    workerId: `${hostname()}:${process.pid}`,
    concurrency: config.jobs.concurrency,
    pollIntervalMs: config.jobs.pollIntervalMs,
    leaseMs: jobLeaseMs,
    logger: logger.child({ component: 'jobs' }),
  });
  for (const recurring of recurringJobs) await scheduleNextRun(instance.services.deps, recurring);
  jobs.start();
  // Shared through the database: a phone challenged by one node (or before a restart)
  // answers with a nonce every node accepts.
  const nonceSecret = await nodeSecretRepository(
    instance.database.db,
    instance.services.deps.clock,
  ).getOrCreate('sip-nonce', () => randomBytes(32).toString('base64'));
  const sip = await startSipServer({
    nonceSecret: Buffer.from(nonceSecret, 'base64'),
    host: config.sip.host,
    port: config.sip.port,
    advertisedHost: config.sip.advertisedHost ?? advertisedHostFor(config.sip.host),
    ringTimeoutMs: config.sip.ringTimeoutSeconds * 1000,
    maxCallDurationMs: config.sip.maxCallMinutes * 60_000,
    sessionExpiresSeconds: config.sip.sessionExpiresSeconds,
    media: {
      anchor: config.media.anchor,
      rtpPorts: { min: config.media.rtpPortMin, max: config.media.rtpPortMax },
      timeoutMs: config.media.timeoutSeconds === 0 ? null : config.media.timeoutSeconds * 1000,
    },
    webSocket: { server: http.server, path: config.sip.webSocketPath },
    requestRate: {
      perSecond: config.sip.requestsPerSecondPerSource,
      burst: config.sip.requestsPerSecondPerSource * 2,
    },
    tls: sipTls,
    digestAlgorithms: config.sip.digestAlgorithms,
    // Password changes reach SIP within this time on every node (docs/sip.md).
    directory: cachedSipDirectory(sipDirectory(instance.services.deps), {
      ttlMs: 5_000,
      maxEntries: 100_000,
    }),
    registrations: instance.services.registrations,
    routing: {
      schemes: schemeDirectory(instance.services.deps, instance.services.registrations.location),
      prompts: createPromptStore({
        deps: instance.services.deps,
        logger: logger.child({ component: 'prompts' }),
      }),
      voicemail: voicemailBoxes(instance.services.deps),
    },
    trunks: trunkRoutes(instance.services.deps),
    onCallEvent: (tenantId, event) => instance.services.callEvents.publish(tenantId, event),
    recordings: callRecordings(instance.services.deps),
    trunkRegistrations: {
      list: () => registeringTrunks(instance.services.deps),
      states: instance.services.registrations.trunks,
      intervalMs: config.sip.trunkReconcileSeconds * 1000,
    },
    clock: instance.services.deps.clock,
    logger: logger.child({ component: 'sip' }),
  });
  const detachEventsFeed = attachEventsFeed({
    server: http.server,
    services: instance.services,
    parseCookie: (header) => http.parseCookie(header),
    logger: logger.child({ component: 'events' }),
  });
  // Every bridged call lands in the tenant's call log when it ends.
  sip.onCallEnded(callRecorder(instance.services.calls, logger.child({ component: 'cdr' })));
  sip.onRoutedCallEnded(
    routedCallRecorder(instance.services.calls, logger.child({ component: 'cdr' })),
  );
  const sweep = setInterval(
    () => instance.services.registrations.location.sweep(Date.now()),
    30_000,
  );
  sweep.unref();
  announce(
    [
      `Provod ${provodVersion} is running: ${httpUrl}`,
      `  API docs: ${httpUrl}/api/docs`,
      `  SIP: ${sip.endpoints.map((e) => `${e.transport} ${e.address}:${e.port}`).join(', ')}`,
      `  data: ${config.database.url !== undefined ? 'PostgreSQL' : config.dataDir}`,
      ...(demoText !== undefined ? [demoText] : []),
    ].join('\n'),
  );

  let stopping: Promise<void> | undefined;
  return {
    instance,
    http,
    httpUrl,
    sip,
    stop: () =>
      (stopping ??= (async () => {
        // SIP first (no new work), then jobs: their handlers still need the database.
        clearInterval(sweep);
        detachEventsFeed();
        await sip.close();
        await jobs.stop();
        await http.close();
        await instance.close();
      })()),
  };
}

async function databaseAnswers(instance: Instance, logger: Logger): Promise<boolean> {
  try {
    await instance.services.tenants.count();
    return true;
  } catch (error) {
    logger.warn({ err: error }, 'database not ready');
    return false;
  }
}
