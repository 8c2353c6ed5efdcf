/**
 * How a FaultPlan fault looks on Bitrix24's wire: `rate_limited` is HTTP 503
 * QUERY_LIMIT_EXCEEDED (limits.md), `token_expired` is HTTP 401 expired_token
 * (_includes/system-errors.md), `status` sends that status with the given body (default:
 * INTERNAL_SERVER_ERROR), `delay` waits and then answers normally, `hang` never answers.
 */
import type { FastifyReply } from 'fastify';
import type { Fault } from '../common/faults.ts';
import { systemErrors } from './errors.ts';
import type { SandboxRuntime } from './runtime.ts';

/** 'handled' when the fault answered (or swallowed) the request; 'continue' otherwise. */
export async function applyFault(
  runtime: SandboxRuntime,
  fault: Fault | undefined,
  reply: FastifyReply,
): Promise<'handled' | 'continue'> {
  if (fault === undefined) return 'continue';
  switch (fault.kind) {
    case 'delay':
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return 'continue';
    case 'status': {
      const body = fault.body ?? JSON.stringify(systemErrors.internal().toBody());
      await reply.status(fault.status).type('application/json; charset=utf-8').send(body);
      return 'handled';
    }
    case 'rate_limited': {
      const error = systemErrors.queryLimitExceeded();
      await reply.status(error.status).send(error.toBody());
      return 'handled';
    }
    case 'token_expired': {
      const error = systemErrors.expiredToken();
      await reply.status(error.status).send(error.toBody());
      return 'handled';
    }
    case 'hang': {
      reply.hijack();
      await new Promise<void>((resolve) => {
        const release = (): void => {
          runtime.hanging.delete(release);
          resolve();
        };
        runtime.hanging.add(release);
        reply.raw.once('close', release);
      });
      reply.raw.destroy();
      return 'handled';
    }
  }
}
