import { z } from 'zod';
import { idSchema, timestampSchema } from './common.ts';

/**
 * A job's life: queued → running → done, or back to queued with a backoff after a
 * failure, or dead (the dead-letter state) once its attempts are spent. A dead job stays
 * until someone retries it; nothing is dropped silently.
 */
export const jobStatuses = ['queued', 'running', 'done', 'dead'] as const;
export const jobStatusSchema = z.enum(jobStatuses);
export type JobStatus = z.infer<typeof jobStatusSchema>;

export const jobSchema = z.object({
  id: idSchema,
  kind: z.string().describe('What the job does, e.g. crm.push_call'),
  status: jobStatusSchema,
  payload: z.unknown().describe('The arguments the job was enqueued with'),
  attempts: z.number().int().describe('Runs started so far, including one in progress'),
  maxAttempts: z.number().int(),
  runAt: timestampSchema.describe('Not run before this time (the backoff after a failure)'),
  lastError: z.string().nullable().describe('Why the last attempt failed'),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  finishedAt: timestampSchema.nullable().describe('When it became done or dead'),
});
export type Job = z.infer<typeof jobSchema>;

export const jobQuerySchema = z.strictObject({
  status: jobStatusSchema.optional(),
  kind: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional().describe('Opaque cursor from the previous page'),
});
export type JobQuery = z.infer<typeof jobQuerySchema>;
