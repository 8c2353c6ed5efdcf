import { z } from 'zod';
import { idSchema, timestampSchema } from './common.ts';

export const soundPurposeSchema = z.enum([
  'greeting',
  'music_on_hold',
  'prompt',
  'voicemail_greeting',
]);
export type SoundPurpose = z.infer<typeof soundPurposeSchema>;

/** Content types a sound may be uploaded as; stored as the canonical one of its format. */
export const soundUploadContentTypes = [
  'audio/wav',
  'audio/x-wav',
  'audio/wave',
  'audio/mpeg',
] as const;
export const soundContentTypeSchema = z.enum(['audio/wav', 'audio/mpeg']);
export type SoundContentType = z.infer<typeof soundContentTypeSchema>;

/** Largest sound file accepted: 20 MiB is about 22 minutes of 8 kHz 16-bit mono PCM. */
export const soundMaxBytes = 20 * 1024 * 1024;

export const soundFileSchema = z.object({
  id: idSchema,
  name: z.string(),
  purpose: soundPurposeSchema,
  originalFilename: z.string(),
  contentType: soundContentTypeSchema,
  sizeBytes: z.number().int(),
  durationMs: z
    .number()
    .int()
    .nullable()
    .describe('Known for WAV on upload; null for MP3 until the file is converted'),
  createdAt: timestampSchema,
});
export type SoundFile = z.infer<typeof soundFileSchema>;

const soundFields = {
  name: z.string().trim().min(1).max(100),
  purpose: soundPurposeSchema,
};

/** Query of `POST /sounds`; the file itself is the raw request body. */
export const soundUploadQuerySchema = z.strictObject({
  name: soundFields.name,
  purpose: soundFields.purpose,
  filename: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .optional()
    .describe('The file name on the uploader’s computer; defaults to the name'),
});
export type SoundUploadQuery = z.infer<typeof soundUploadQuerySchema>;

export const soundUpdateSchema = z.strictObject({
  name: soundFields.name.optional(),
  purpose: soundFields.purpose.optional(),
});
export type SoundUpdate = z.infer<typeof soundUpdateSchema>;
