import { z } from 'zod';
import { extensionNumberSchema, idSchema, timestampSchema } from './common.ts';

export const callDirectionSchema = z.enum(['inbound', 'outbound', 'internal']);
export type CallDirection = z.infer<typeof callDirectionSchema>;

/** A call's final outcome; `in_progress` while the PBX has not yet written the end. */
export const callStatusSchema = z.enum([
  'in_progress',
  'answered',
  'missed',
  'busy',
  'no_answer',
  'failed',
]);
export type CallStatus = z.infer<typeof callStatusSchema>;

/** What a leg is to the call: the party who dialled, a party rung, or one joined later. */
export const callLegRoleSchema = z.enum(['caller', 'callee', 'transfer', 'forward', 'pickup']);
export type CallLegRole = z.infer<typeof callLegRoleSchema>;

export const callLegStatusSchema = z.enum([
  'in_progress',
  'answered',
  'no_answer',
  'busy',
  'cancelled',
  'failed',
]);
export type CallLegStatus = z.infer<typeof callLegStatusSchema>;

/** RTP quality of one leg as the media layer measured it (RFC 3550 §6.4.1 for jitter and loss). */
export const mediaStatsSchema = z.object({
  packets: z.number().int().min(0).optional(),
  lost: z.number().int().min(0).optional(),
  jitterMs: z.number().min(0).optional(),
  mos: z.number().min(1).max(5).optional().describe('Estimated mean opinion score, 1 to 5'),
});
export type MediaStats = z.infer<typeof mediaStatsSchema>;

/**
 * One routing-scheme node the call passed through, in order. `kind` is free text, not the
 * routing contract's node-kind enum: a call record is history and must stay readable
 * after a node kind is renamed or retired.
 */
export const schemePathStepSchema = z.object({
  nodeId: z.string().min(1).max(100),
  kind: z.string().min(1).max(50).describe('The node kind: menu, queue, schedule, …'),
  enteredAt: timestampSchema,
  outcome: z.string().max(100).optional().describe('Which exit the node took, e.g. timeout'),
});
export type SchemePathStep = z.infer<typeof schemePathStepSchema>;

const callLegFields = {
  role: callLegRoleSchema,
  party: z.string().max(200).describe('Extension number, E.164 number or SIP URI of the other end'),
  sipCallId: z.string().max(300).nullable(),
  status: callLegStatusSchema,
  startedAt: timestampSchema,
  answeredAt: timestampSchema.nullable(),
  endedAt: timestampSchema.nullable(),
  mediaStats: mediaStatsSchema.nullable(),
};

export const callLegSchema = z.object({ id: idSchema, ...callLegFields });
export type CallLeg = z.infer<typeof callLegSchema>;

const callFields = {
  direction: callDirectionSchema,
  status: callStatusSchema,
  caller: z.string().max(200),
  callee: z.string().max(200),
  phoneNumber: z.string().max(32).nullable().describe("The tenant's number the call came in on"),
  extensionNumber: z.string().max(32).nullable().describe('The extension that took or made it'),
  sipCallId: z.string().max(300).nullable(),
  startedAt: timestampSchema,
  answeredAt: timestampSchema.nullable(),
  endedAt: timestampSchema.nullable(),
  durationSeconds: z.number().int().min(0),
  talkSeconds: z.number().int().min(0),
  hangupCause: z.string().max(100).nullable(),
  schemePath: z.array(schemePathStepSchema),
};

/** A call record (CDR) as the call list shows it. */
export const callSchema = z.object({
  id: idSchema,
  ...callFields,
  recordingIds: z.array(idSchema).describe('Recordings of this call, oldest first'),
});
export type Call = z.infer<typeof callSchema>;

export const callWithLegsSchema = callSchema.extend({ legs: z.array(callLegSchema) });
export type CallWithLegs = z.infer<typeof callWithLegsSchema>;

/**
 * What the PBX writes: the call's current state with all its legs. Writing the same `id`
 * again replaces the record, so a call can be written when it starts and when it ends.
 */
export const callRecordInputSchema = z.strictObject({
  id: idSchema.optional().describe('Generated when omitted'),
  ...callFields,
  schemePath: callFields.schemePath.default([]),
  legs: z.array(z.strictObject(callLegFields)).max(100),
});
export type CallRecordInput = z.input<typeof callRecordInputSchema>;

export const callQuerySchema = z
  .strictObject({
    from: timestampSchema.optional().describe('Calls started at or after this instant'),
    to: timestampSchema.optional().describe('Calls started before this instant'),
    direction: callDirectionSchema.optional(),
    status: callStatusSchema.optional(),
    number: z
      .string()
      .trim()
      .max(40)
      .regex(/\d/, 'expected a phone or extension number')
      .optional()
      .describe(
        'Digits contained in the caller, callee or phone number; "+7 (495) 123" finds +74951234567',
      ),
    extension: extensionNumberSchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(500).optional().describe('Opaque cursor from the previous page'),
  })
  .refine(
    (q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to),
    {
      path: ['to'],
      message: 'must be later than from',
    },
  );
export type CallQuery = z.infer<typeof callQuerySchema>;
