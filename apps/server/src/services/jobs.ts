import { ProvodError, type Job, type JobQuery, type Page } from '@provod/contracts';
import { jobRepository } from '@provod/db';
import {
  notFoundError,
  inTenantTransaction,
  tenantScope,
  type ServiceDeps,
  type TenantContext,
} from './service-context.ts';

/** A tenant's background jobs (CRM pushes, webhooks…): what ran, what failed and why. */
export function jobService(deps: ServiceDeps) {
  const read = (ctx: TenantContext) => jobRepository(tenantScope(deps, ctx), deps.clock);

  return {
    list: (ctx: TenantContext, query: JobQuery): Promise<Page<Job>> => read(ctx).list(query),

    async get(ctx: TenantContext, id: string): Promise<Job> {
      return (await read(ctx).get(id)) ?? notFound(id);
    },

    /** Gives a dead job a fresh set of attempts; only dead jobs, so nothing runs twice at once. */
    async retry(ctx: TenantContext, id: string): Promise<Job> {
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = jobRepository(scope, deps.clock);
        const before = (await repo.get(id)) ?? notFound(id);
        const after = before.status === 'dead' ? await repo.retryDead(id) : undefined;
        if (!after) {
          throw new ProvodError('conflict', `job ${id} is ${before.status}; only dead jobs retry`, [
            { path: 'status', message: `is ${before.status}, expected dead` },
          ]);
        }
        await record('retry', 'job', id, before, after);
        return after;
      });
    },
  };
}

export type JobService = ReturnType<typeof jobService>;

const notFound = (id: string): never => notFoundError('job', id);
