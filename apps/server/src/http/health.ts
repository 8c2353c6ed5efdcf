import { z } from 'zod';
import type { ProvodApp } from './route-config.ts';

/** Each subsystem says whether it can serve; /readyz is 200 only when all can. */
export type ReadinessProbe = () => Promise<Record<string, boolean>>;

export function registerHealth(app: ProvodApp, readiness: ReadinessProbe): void {
  app.get(
    '/healthz',
    { schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        response: {
          200: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.boolean()) }),
          503: z.object({
            status: z.literal('not_ready'),
            checks: z.record(z.string(), z.boolean()),
          }),
        },
      },
    },
    async (_request, reply) => {
      const checks = await readiness();
      return Object.values(checks).every(Boolean)
        ? { status: 'ready' as const, checks }
        : reply.status(503).send({ status: 'not_ready' as const, checks });
    },
  );
}
