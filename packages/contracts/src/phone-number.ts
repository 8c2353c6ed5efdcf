import { z } from 'zod';
import { e164Schema, idSchema, timestampSchema } from './common.ts';

/**
 * People paste numbers as they are printed ("+7 (495) 123-45-67"); spaces, brackets and
 * hyphens are presentation only (ITU-T E.123), so they are dropped before the strict check.
 */
export function normalizePhoneE164(text: string): string {
  return text.replace(/[\s().-]/g, '');
}

export const phoneNumberE164Schema = z
  .string()
  .max(40)
  .transform(normalizePhoneE164)
  .pipe(e164Schema);

/** A tenant's public (DID) number: where its inbound calls arrive and which trunk carries them. */
export const phoneNumberSchema = z.object({
  id: idSchema,
  e164: z.string().describe('The number in E.164, e.g. +74951234567'),
  label: z.string(),
  routingSchemeId: idSchema
    .nullable()
    .describe('The routing scheme that answers inbound calls; null: not routed yet'),
  trunkId: idSchema.nullable().describe('The SIP trunk that delivers this number; null: any'),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type PhoneNumber = z.infer<typeof phoneNumberSchema>;

const phoneNumberFields = {
  label: z.string().trim().max(100),
  routingSchemeId: idSchema.nullable(),
  trunkId: idSchema.nullable(),
};

export const phoneNumberCreateSchema = z.strictObject({
  e164: phoneNumberE164Schema.describe('Unique across the whole instance'),
  label: phoneNumberFields.label.default(''),
  routingSchemeId: phoneNumberFields.routingSchemeId.default(null),
  trunkId: phoneNumberFields.trunkId.default(null),
});
export type PhoneNumberCreate = z.input<typeof phoneNumberCreateSchema>;

/** The number itself is not editable: a different number is a different object. */
export const phoneNumberUpdateSchema = z.strictObject({
  label: phoneNumberFields.label.optional(),
  routingSchemeId: phoneNumberFields.routingSchemeId.optional(),
  trunkId: phoneNumberFields.trunkId.optional(),
});
export type PhoneNumberUpdate = z.infer<typeof phoneNumberUpdateSchema>;
