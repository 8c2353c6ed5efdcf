import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProvodApp } from './route-config.ts';

/** One registry per app, so several instances (tests) never collide on metric names. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'provod_' });
  return registry;
}

/** Gauges read when /metrics is scraped, not kept up to date on every change. */
export interface ScrapedGauges {
  jobsByStatus: () => Promise<Record<string, number>>;
}

export function registerMetrics(app: ProvodApp, registry: Registry, gauges: ScrapedGauges): void {
  new Gauge({
    name: 'provod_jobs',
    help: 'Durable jobs by status (queued = backlog, dead = needs attention)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      for (const [status, count] of Object.entries(await gauges.jobsByStatus())) {
        this.set({ status }, count);
      }
    },
  });
  const requests = new Counter({
    name: 'provod_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'provod_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: ids in URLs would make a label per object.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
