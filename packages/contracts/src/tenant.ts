import { z } from 'zod';
import { idSchema, languageSchema, timestampSchema } from './common.ts';

export const tenantStatusSchema = z.enum(['active', 'suspended', 'closed']);

/** A SIP domain: lower-case DNS labels, e.g. `acme.provod.local` (RFC 1035 §2.3.1). */
export const sipDomainSchema = z
  .string()
  .max(253)
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/,
    'expected a lower-case domain name such as acme.provod.local',
  );

export const tenantSlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'expected 2–41 lower-case letters, digits or dashes');

/** An IANA time-zone name that this Node's Intl knows, e.g. Europe/Moscow. */
export const timeZoneSchema = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch (error) {
      if (error instanceof RangeError) return false;
      throw error;
    }
  },
  { message: 'expected an IANA time zone such as Europe/Moscow' },
);

export const tenantSchema = z.object({
  id: idSchema,
  slug: tenantSlugSchema,
  name: z.string(),
  sipDomain: sipDomainSchema,
  timeZone: z.string(),
  language: languageSchema,
  recordingRetentionDays: z.number().int(),
  balanceMinor: z.number().int().describe('Balance in minor units (kopecks)'),
  currency: z.string(),
  status: tenantStatusSchema,
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Tenant = z.infer<typeof tenantSchema>;

const tenantSettingsFields = {
  name: z.string().trim().min(1).max(200),
  timeZone: timeZoneSchema,
  language: languageSchema,
  recordingRetentionDays: z.number().int().min(1).max(3650),
};

export const tenantCreateSchema = z.strictObject({
  slug: tenantSlugSchema,
  sipDomain: sipDomainSchema.optional().describe('Defaults to <slug>.provod.local'),
  name: tenantSettingsFields.name,
  timeZone: tenantSettingsFields.timeZone.default('Europe/Moscow'),
  language: languageSchema.default('ru'),
  recordingRetentionDays: tenantSettingsFields.recordingRetentionDays.default(90),
  currency: z.enum(['RUB', 'USD', 'EUR']).default('RUB'),
});
export type TenantCreate = z.input<typeof tenantCreateSchema>;

/** What a tenant's owner or admin may change about their own company. */
export const tenantSettingsUpdateSchema = z.strictObject({
  name: tenantSettingsFields.name.optional(),
  timeZone: tenantSettingsFields.timeZone.optional(),
  language: tenantSettingsFields.language.optional(),
  recordingRetentionDays: tenantSettingsFields.recordingRetentionDays.optional(),
});
export type TenantSettingsUpdate = z.infer<typeof tenantSettingsUpdateSchema>;

/** What back-office staff may change: everything above plus status and the SIP domain. */
export const tenantStaffUpdateSchema = tenantSettingsUpdateSchema.extend({
  status: tenantStatusSchema.optional(),
  sipDomain: sipDomainSchema.optional(),
});
export type TenantStaffUpdate = z.infer<typeof tenantStaffUpdateSchema>;

export const balanceAdjustmentSchema = z.strictObject({
  amountMinor: z
    .number()
    .int()
    .refine((n) => n !== 0, 'must not be zero'),
  reason: z.string().trim().min(1).max(500),
});
export type BalanceAdjustment = z.infer<typeof balanceAdjustmentSchema>;
