import { z } from 'zod';
import { idSchema, timestampSchema } from './common.ts';
import { storedFilePathSchema } from './recording.ts';

export const voicemailMessageSchema = z.object({
  id: idSchema,
  extensionId: idSchema.describe('The mailbox: the extension the message was left for'),
  callId: idSchema.nullable(),
  caller: z.string(),
  durationSeconds: z.number().int().min(0),
  heard: z.boolean(),
  createdAt: timestampSchema,
  contentUrl: z.string().describe('GET this for the audio file'),
});
export type VoicemailMessage = z.infer<typeof voicemailMessageSchema>;

/** What the PBX writes when a caller has left a message. */
export const voicemailInputSchema = z.strictObject({
  extensionId: idSchema,
  callId: idSchema.nullable(),
  caller: z.string().max(200),
  storagePath: storedFilePathSchema,
  durationSeconds: z.number().int().min(0),
});
export type VoicemailInput = z.infer<typeof voicemailInputSchema>;

export const voicemailQuerySchema = z.strictObject({
  extensionId: idSchema.optional(),
  heard: z.stringbool().optional().describe('true or false'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional().describe('Opaque cursor from the previous page'),
});
export type VoicemailQuery = z.infer<typeof voicemailQuerySchema>;

export const voicemailUpdateSchema = z.strictObject({ heard: z.boolean() });
export type VoicemailUpdate = z.infer<typeof voicemailUpdateSchema>;
