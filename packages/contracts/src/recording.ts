import { z } from 'zod';
import { idSchema, timestampSchema } from './common.ts';

/**
 * Where a file lives, relative to the instance's data directory: plain segments only, so
 * a stored path can never point outside it (no absolute paths, no `..`).
 */
export const storedFilePathSchema = z
  .string()
  .max(500)
  .regex(
    /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/,
    'expected a relative path such as recordings/<tenant>/<id>.wav',
  );

export const recordingFormatSchema = z.enum(['wav', 'mp3', 'ogg']);
export type RecordingFormat = z.infer<typeof recordingFormatSchema>;

export const recordingSchema = z.object({
  id: idSchema,
  callId: idSchema.nullable().describe('Null once the call record is gone'),
  format: recordingFormatSchema,
  durationSeconds: z.number().int().min(0),
  sizeBytes: z.number().int().min(0),
  createdAt: timestampSchema,
  expiresAt: timestampSchema.describe("Deleted after this instant (the tenant's retention)"),
  contentUrl: z.string().describe('GET this for the audio file'),
});
export type Recording = z.infer<typeof recordingSchema>;

/** What the PBX writes when a recording is complete. */
export const recordingInputSchema = z.strictObject({
  callId: idSchema.nullable(),
  storagePath: storedFilePathSchema,
  format: recordingFormatSchema,
  durationSeconds: z.number().int().min(0),
  sizeBytes: z.number().int().min(0),
});
export type RecordingInput = z.infer<typeof recordingInputSchema>;

export const recordingQuerySchema = z.strictObject({
  callId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional().describe('Opaque cursor from the previous page'),
});
export type RecordingQuery = z.infer<typeof recordingQuerySchema>;
