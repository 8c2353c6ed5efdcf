import { z } from 'zod';
import { idSchema, timestampSchema } from './common.ts';

export const actorTypeSchema = z.enum(['user', 'api_key', 'cli', 'system']);
export type ActorType = z.infer<typeof actorTypeSchema>;

/** Who made a change: a person, a program's API key, the operator's CLI or Provod itself. */
export interface Actor {
  type: ActorType;
  id: string | null;
}

export const auditEntrySchema = z.object({
  id: idSchema,
  actorType: actorTypeSchema,
  actorId: z.string().nullable(),
  action: z.string().describe('create, update, delete or a verb such as adjust_balance'),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  createdAt: timestampSchema,
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
