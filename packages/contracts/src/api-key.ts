import { z } from 'zod';
import { idSchema, timestampSchema } from './common.ts';
import { tenantRoleSchema } from './roles.ts';

export const apiKeySchema = z.object({
  id: idSchema,
  name: z.string(),
  prefix: z.string().describe('The first characters of the key, to recognise it'),
  role: tenantRoleSchema,
  createdAt: timestampSchema,
  lastUsedAt: timestampSchema.nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

export const apiKeyCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: tenantRoleSchema.default('admin'),
});
export type ApiKeyCreate = z.infer<typeof apiKeyCreateSchema>;

export const apiKeyCreatedSchema = apiKeySchema.extend({
  secret: z.string().describe('The key itself; shown only once, store it now'),
});
export type ApiKeyCreated = z.infer<typeof apiKeyCreatedSchema>;
