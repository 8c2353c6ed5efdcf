import { z } from 'zod';

export const idSchema = z.uuid().describe('Object id (UUID)');
export const idParams = z.strictObject({ id: idSchema });

export const timestampSchema = z.iso.datetime().describe('ISO 8601 UTC timestamp');

/** E.164: a plus, a country code and up to 15 digits in all (ITU-T E.164 §6). */
export const e164Schema = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number such as +74951234567');

/** An extension (internal) number of a tenant's number plan. */
export const extensionNumberSchema = z.string().regex(/^\d{2,6}$/, 'expected 2 to 6 digits');

export const languageSchema = z.enum(['ru', 'en']);

export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string().optional(), message: z.string() })).optional(),
  }),
});

export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional().describe('Opaque cursor from the previous page'),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as `cursor` for the next page; null at the end'),
  });
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
