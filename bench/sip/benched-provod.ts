/**
 * The Provod under benchmark: a real `provod start` in this process (SQLite, the demo
 * tenant), logging warnings and errors to a file so that the run can say what Provod
 * complained about under load without the logging itself costing much.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { demoTenant } from '../../apps/server/src/runtime/demo.ts';
import type { TenantContext } from '../../apps/server/src/services/service-context.ts';
import { startProvodUnderTest } from '../../apps/server/test/e2e/provod-under-test.ts';
import type { ProcessTree } from './process-usage.ts';

export interface BenchedProvod {
  readonly sipPort: number;
  readonly domain: string;
  /** Provod runs in this process: its CPU and memory are this process's. */
  readonly process: ProcessTree;
  createExtension(number: string, sipPassword: string): Promise<void>;
  /** How many of the extensions first … first+count-1 have a registration now. */
  registeredCount(first: number, count: number): number;
  /**
   * Provod's event-loop delay since the last call (p99 and max): how long a datagram can
   * wait in the socket buffer before Provod reads it.
   */
  eventLoopNote(): string;
  /** Calls ringing or talking through Provod now: 0 once a series has ended, or a leak. */
  activeCalls(): number;
  /** Warnings and errors Provod logged, counted by message, most frequent first. */
  logSummary(): string[];
  stop(): Promise<void>;
}

export async function startBenchedProvod(logDir: string): Promise<BenchedProvod> {
  const logFile = join(logDir, 'provod.log');
  const destination = pino.destination({ dest: logFile, sync: false });
  // sipp sends everything from one address: the per-source flood guard would measure itself.
  const provod = await startProvodUnderTest(
    'bench-sip',
    pino({ level: 'warn' }, destination),
    (config) => ({ ...config, sip: { ...config.sip, requestsPerSecondPerSource: 0 } }),
  );
  const services = provod.server.instance.services;
  const tenant = await services.tenants.findBySlug(demoTenant.slug);
  if (!tenant) {
    await provod.stop();
    throw new Error('the demo tenant was not created');
  }
  const ctx: TenantContext = {
    tenantId: tenant.id,
    role: 'owner',
    actor: { type: 'system', id: null },
  };
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  return {
    sipPort: provod.sipPort,
    domain: tenant.sipDomain,
    process: { pid: process.pid, descendants: false },
    async createExtension(number, sipPassword) {
      await services.extensions.create(ctx, { number, sipPassword });
    },
    registeredCount(first, count) {
      return services.registrations
        .list(ctx)
        .filter((r) => Number(r.extension) >= first && Number(r.extension) < first + count).length;
    },
    eventLoopNote() {
      const ms = (ns: number) => (ns / 1e6).toFixed(0);
      const note = `Provod event-loop delay: p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms`;
      delay.reset();
      return note;
    },
    activeCalls: () => provod.server.sip.activeCalls,
    logSummary() {
      destination.flushSync();
      const counts = new Map<string, number>();
      for (const line of readFileSync(logFile, 'utf8').split('\n')) {
        if (line === '') continue;
        const entry = JSON.parse(line) as {
          level?: number;
          msg?: string;
          err?: { message?: string };
        };
        const key = `${pino.levels.labels[entry.level ?? 0] ?? 'level?'}: ${entry.msg ?? ''}${
          entry.err?.message === undefined ? '' : ` (${entry.err.message})`
        }`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return [...counts].sort((a, b) => b[1] - a[1]).map(([key, count]) => `${count} × ${key}`);
    },
    stop: () => {
      delay.disable();
      return provod.stop();
    },
  };
}
