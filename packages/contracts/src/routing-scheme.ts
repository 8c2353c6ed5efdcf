import { z } from 'zod';
import { e164Schema, extensionNumberSchema, idSchema, timestampSchema } from './common.ts';

/**
 * A routing scheme is a graph the PBX walks call by call: `entry` names the first node,
 * and edges are node-id fields inside each node's config (`open`, `digits`, `overflow`…).
 * The zod schemas here check shapes and types; what only makes sense for the graph as a
 * whole (edges that lead nowhere, loops, time ranges, digit keys) is checked by
 * `validateRoutingGraph` in routing-graph.ts, which names the node at fault.
 */

export const routingNodeIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'expected 1 to 32 letters, digits, "_" or "-"')
  .describe('Node id, unique within the graph');

/** An edge: the id of the node the call goes to next. */
const nextNode = routingNodeIdSchema;
/** An optional edge: null ends the call there (hang up) unless the field says otherwise. */
const optionalNextNode = routingNodeIdSchema.nullable().default(null);

/** A tenant's sound file (`sound_files.id`). */
export const soundFileIdSchema = idSchema.describe('Sound file id');
const optionalSound = soundFileIdSchema.nullable().default(null);

const seconds = (min: number, max: number, fallback: number) =>
  z.number().int().min(min).max(max).default(fallback);

const base = {
  id: routingNodeIdSchema,
  label: z.string().max(100).optional().describe('Caption shown in the editor'),
  position: z
    .strictObject({ x: z.number(), y: z.number() })
    .optional()
    .describe('Where the editor draws the node'),
};

export const weekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof weekdaySchema>;

/** Open hours on some weekdays, local time of the tenant; `to` may be 24:00. */
export const weeklyHoursSchema = z.strictObject({
  days: z.array(weekdaySchema).min(1),
  from: z.string().max(5).describe('HH:MM'),
  to: z.string().max(5).describe('HH:MM, after `from`; 24:00 is the end of the day'),
});

export const scheduleNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('schedule'),
  weekly: z.array(weeklyHoursSchema).max(50).default([]),
  holidays: z
    .array(
      z.strictObject({
        date: z.string().max(10).describe('YYYY-MM-DD'),
        name: z.string().max(100).default(''),
      }),
    )
    .max(366)
    .default([])
    .describe('Whole days treated as closed (or as `holiday` when set)'),
  open: nextNode.describe('Inside the weekly hours'),
  closed: nextNode.describe('Outside them'),
  holiday: optionalNextNode.describe('On a holiday date; null: as closed'),
});

export const ivrNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('ivr'),
  prompt: optionalSound.describe('Menu prompt; null: silence, waiting for digits'),
  digits: z
    .record(z.string().max(1), nextNode)
    .default({})
    .describe('One DTMF key (0-9, *, #) → next node'),
  directDial: z
    .strictObject({
      enabled: z.boolean().default(false),
      extensions: z
        .array(extensionNumberSchema)
        .max(500)
        .default([])
        .describe('Only these may be dialled; empty: any extension of the tenant'),
    })
    .default({ enabled: false, extensions: [] })
    .describe('The caller may dial an extension number instead of a menu key'),
  timeoutSeconds: seconds(1, 60, 5).describe('Wait for a key after the prompt'),
  retries: z
    .number()
    .int()
    .min(0)
    .max(10)
    .default(2)
    .describe('Replays of the prompt after a timeout or an invalid key before the edge is taken'),
  invalidPrompt: optionalSound.describe('Played after an invalid key'),
  timeout: optionalNextNode.describe('No key after the retries; null: hang up'),
  invalid: optionalNextNode.describe('Invalid keys after the retries; null: as timeout'),
});

export const queueStrategySchema = z.enum([
  'ring_all',
  'round_robin',
  'least_recent',
  'fewest_calls',
  'random',
  'linear',
]);
export type QueueStrategy = z.infer<typeof queueStrategySchema>;

export const queueNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('queue'),
  strategy: queueStrategySchema.default('ring_all'),
  agents: z
    .array(extensionNumberSchema)
    .max(500)
    .default([])
    .describe('Agent extensions; for `linear` in the order they are tried'),
  agentTimeoutSeconds: seconds(5, 300, 20).describe('How long one agent rings'),
  wrapUpSeconds: seconds(0, 600, 10).describe('Rest after a call before the next one'),
  maxWaitSeconds: seconds(10, 7200, 300),
  maxLength: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .nullable()
    .default(null)
    .describe('Callers waiting at most; null: no limit'),
  overflow: optionalNextNode.describe('After max wait, or when the queue is full; null: hang up'),
  musicOnHold: optionalSound.describe('null: the built-in music'),
  announcePosition: z
    .strictObject({
      enabled: z.boolean().default(true),
      everySeconds: seconds(15, 600, 60),
    })
    .default({ enabled: true, everySeconds: 60 }),
  callbackOffer: z
    .strictObject({
      enabled: z.boolean().default(false),
      afterSeconds: seconds(10, 3600, 60).describe('Offered after waiting this long'),
      digit: z.string().max(1).default('1').describe('Key that accepts the offer'),
    })
    .default({ enabled: false, afterSeconds: 60, digit: '1' }),
});

export const ringGroupMemberSchema = z.strictObject({
  number: z.union([extensionNumberSchema, e164Schema]).describe('Extension or E.164 number'),
  timeoutSeconds: seconds(5, 300, 20).describe('Rings this long when sequential'),
});

export const ringGroupNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('ring_group'),
  strategy: z.enum(['simultaneous', 'sequential']).default('simultaneous'),
  members: z.array(ringGroupMemberSchema).max(100).default([]),
  timeoutSeconds: seconds(5, 600, 30).describe('Whole group rings this long when simultaneous'),
  noAnswer: optionalNextNode.describe('Nobody answered; null: hang up'),
});

export const extensionNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('extension'),
  number: extensionNumberSchema,
  timeoutSeconds: seconds(5, 300, 30),
  followForwarding: z
    .boolean()
    .default(true)
    .describe("Apply the extension's own call-forwarding rules"),
  noAnswer: optionalNextNode.describe('No answer, busy or unreachable; null: hang up'),
});

export const voicemailNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('voicemail'),
  mailbox: extensionNumberSchema.describe('Extension whose mailbox keeps the message'),
  greeting: optionalSound.describe('null: the standard greeting'),
  maxSeconds: seconds(10, 600, 120),
});

/** Caller numbers and prefixes, E.164 or as the trunk presents them (digits, optional +). */
export const numberListSchema = z.strictObject({
  numbers: z.array(z.string().max(16)).max(10_000).default([]),
  prefixes: z.array(z.string().max(16)).max(1_000).default([]),
});

export const listFilterNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('list_filter'),
  blacklist: numberListSchema.default({ numbers: [], prefixes: [] }),
  whitelist: numberListSchema.default({ numbers: [], prefixes: [] }),
  blacklisted: optionalNextNode.describe(
    'Black-listed callers; null: reject the call (to play a message first, point at a play node)',
  ),
  whitelisted: optionalNextNode.describe('White-listed callers (priority path); null: otherwise'),
  otherwise: nextNode,
});

export const forwardNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('forward'),
  number: e164Schema,
  timeoutSeconds: seconds(5, 600, 60),
  callerId: z
    .enum(['caller', 'tenant'])
    .default('caller')
    .describe("Show the original caller's number, or the tenant's default number"),
});

export const playNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('play'),
  prompt: soundFileIdSchema,
  repeat: z.number().int().min(1).max(10).default(1),
  answer: z
    .boolean()
    .default(true)
    .describe('false: play as early media (RFC 3960) without answering, so the call is not billed'),
  next: optionalNextNode.describe('After the message; null: hang up (an autoresponder)'),
});

export const conferenceNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('conference'),
  room: z.string().trim().min(1).max(50).describe('Callers sent to the same room talk together'),
  pin: z
    .string()
    .regex(/^\d{3,12}$/, 'expected 3 to 12 digits')
    .nullable()
    .default(null),
  maxParticipants: z.number().int().min(2).max(100).default(10),
});

export const hangupNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('hangup'),
  cause: z
    .enum(['normal', 'busy', 'rejected'])
    .default('normal')
    .describe('What the caller hears: BYE, 486 Busy Here or 603 Decline (RFC 3261 §21)'),
});

export const routingNodeSchema = z.discriminatedUnion('kind', [
  scheduleNodeSchema,
  ivrNodeSchema,
  queueNodeSchema,
  ringGroupNodeSchema,
  extensionNodeSchema,
  voicemailNodeSchema,
  listFilterNodeSchema,
  forwardNodeSchema,
  playNodeSchema,
  conferenceNodeSchema,
  hangupNodeSchema,
]);
export type RoutingNode = z.infer<typeof routingNodeSchema>;
export type RoutingNodeInput = z.input<typeof routingNodeSchema>;
export type NodeKind = RoutingNode['kind'];
export type RoutingNodeOf<K extends NodeKind> = Extract<RoutingNode, { kind: K }>;

export const routingGraphSchema = z.strictObject({
  entry: routingNodeIdSchema.describe('The node every call starts at'),
  nodes: z.array(routingNodeSchema).min(1).max(200),
});
export type RoutingGraph = z.infer<typeof routingGraphSchema>;
export type RoutingGraphInput = z.input<typeof routingGraphSchema>;

const schemeName = z.string().trim().min(1).max(100);
const versionComment = z.string().trim().max(500).default('');

export const routingSchemeSchema = z.object({
  id: idSchema,
  name: z.string(),
  currentVersion: z.number().int(),
  graph: routingGraphSchema.describe('The graph of the current version'),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type RoutingScheme = z.infer<typeof routingSchemeSchema>;

export const routingSchemeCreateSchema = z.strictObject({
  name: schemeName,
  graph: routingGraphSchema,
  comment: versionComment,
});
export type RoutingSchemeCreate = z.input<typeof routingSchemeCreateSchema>;

export const routingSchemeRenameSchema = z.strictObject({ name: schemeName });
export type RoutingSchemeRename = z.infer<typeof routingSchemeRenameSchema>;

export const routingSchemeVersionCreateSchema = z.strictObject({
  graph: routingGraphSchema,
  comment: versionComment,
});
export type RoutingSchemeVersionCreate = z.input<typeof routingSchemeVersionCreateSchema>;

export const routingSchemeVersionSummarySchema = z.object({
  schemeId: idSchema,
  version: z.number().int(),
  comment: z.string(),
  createdBy: z.string().nullable().describe('Id of the user or API key that saved it'),
  createdAt: timestampSchema,
});
export type RoutingSchemeVersionSummary = z.infer<typeof routingSchemeVersionSummarySchema>;

export const routingSchemeVersionSchema = routingSchemeVersionSummarySchema.extend({
  graph: routingGraphSchema,
});
export type RoutingSchemeVersion = z.infer<typeof routingSchemeVersionSchema>;

export const routingSchemeVersionParams = z.strictObject({
  id: idSchema,
  version: z.coerce.number().int().min(1),
});
