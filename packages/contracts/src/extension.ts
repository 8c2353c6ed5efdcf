import { z } from 'zod';
import { e164Schema, extensionNumberSchema, idSchema, timestampSchema } from './common.ts';

export const forwardTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('extension'), number: extensionNumberSchema }),
  z.strictObject({ kind: z.literal('external'), number: e164Schema }),
  z.strictObject({ kind: z.literal('voicemail') }),
]);
export type ForwardTarget = z.infer<typeof forwardTargetSchema>;

/** Call-forwarding rules of one extension, in the order a PBX checks them. */
export const forwardingRulesSchema = z.strictObject({
  unconditional: forwardTargetSchema.nullable().default(null),
  busy: forwardTargetSchema.nullable().default(null),
  noAnswer: z
    .strictObject({ target: forwardTargetSchema, afterSeconds: z.number().int().min(5).max(300) })
    .nullable()
    .default(null),
  unreachable: forwardTargetSchema.nullable().default(null),
});
export type ForwardingRules = z.infer<typeof forwardingRulesSchema>;

export const recordingPolicySchema = z
  .enum(['never', 'always', 'on_demand'])
  .describe('on_demand: recorded when a participant dials the record feature code');

/** SIP digest passwords: printable ASCII without quotes or backslash, so every phone takes them. */
export const sipPasswordSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(
    /^[\x21\x23-\x5b\x5d-\x7e]+$/,
    'expected printable ASCII without spaces, quotes or backslashes',
  );

export const extensionSchema = z.object({
  id: idSchema,
  number: z.string(),
  displayName: z.string(),
  callerId: z
    .string()
    .nullable()
    .describe('Number shown on outbound calls; null for the tenant default'),
  voicemailEnabled: z.boolean(),
  voicemailEmail: z.string().nullable(),
  doNotDisturb: z.boolean(),
  forwarding: forwardingRulesSchema,
  recording: recordingPolicySchema,
  userId: idSchema.nullable().describe('The employee who uses this extension'),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Extension = z.infer<typeof extensionSchema>;

export const extensionWithSecretSchema = extensionSchema.extend({
  sipPassword: z.string(),
  sipUsername: z.string(),
  sipDomain: z.string(),
});
export type ExtensionWithSecret = z.infer<typeof extensionWithSecretSchema>;

const extensionFields = {
  displayName: z.string().trim().max(100),
  callerId: e164Schema.nullable(),
  voicemailEnabled: z.boolean(),
  voicemailEmail: z.email().nullable(),
  doNotDisturb: z.boolean(),
  forwarding: forwardingRulesSchema,
  recording: recordingPolicySchema,
  userId: idSchema.nullable(),
  sipPassword: sipPasswordSchema,
};

export const extensionCreateSchema = z.strictObject({
  number: extensionNumberSchema,
  displayName: extensionFields.displayName.default(''),
  callerId: extensionFields.callerId.default(null),
  voicemailEnabled: extensionFields.voicemailEnabled.default(true),
  voicemailEmail: extensionFields.voicemailEmail.default(null),
  doNotDisturb: extensionFields.doNotDisturb.default(false),
  forwarding: extensionFields.forwarding.default({
    unconditional: null,
    busy: null,
    noAnswer: null,
    unreachable: null,
  }),
  recording: extensionFields.recording.default('never'),
  userId: extensionFields.userId.default(null),
  sipPassword: extensionFields.sipPassword.optional().describe('Generated when omitted'),
});
export type ExtensionCreate = z.input<typeof extensionCreateSchema>;

export const extensionUpdateSchema = z.strictObject({
  displayName: extensionFields.displayName.optional(),
  callerId: extensionFields.callerId.optional(),
  voicemailEnabled: extensionFields.voicemailEnabled.optional(),
  voicemailEmail: extensionFields.voicemailEmail.optional(),
  doNotDisturb: extensionFields.doNotDisturb.optional(),
  forwarding: extensionFields.forwarding.optional(),
  recording: extensionFields.recording.optional(),
  userId: extensionFields.userId.optional(),
  sipPassword: extensionFields.sipPassword.optional(),
});
export type ExtensionUpdate = z.infer<typeof extensionUpdateSchema>;
