import { z } from 'zod';
import { extensionNumberSchema, idSchema, timestampSchema } from './common.ts';

/** The CRMs Provod connects to. */
export const crmKindSchema = z.enum(['amocrm', 'bitrix24']);
export type CrmKind = z.infer<typeof crmKindSchema>;

export const crmCallTypeSchema = z.enum([
  'inbound_answered',
  'inbound_missed',
  'outbound_answered',
  'outbound_not_answered',
  'transferred',
  'internal',
]);
export type CrmCallType = z.infer<typeof crmCallTypeSchema>;

/**
 * What to do when the CRM does not know the client's number. amoCRM attaches a call only
 * to an entity that has the number, so with `nothing` such a call is not registered.
 */
export const unknownNumberActionSchema = z.enum([
  'create_contact',
  'create_lead',
  'add_unsorted',
  'nothing',
]);

export const callTypeRuleSchema = z.strictObject({
  unknownNumber: unknownNumberActionSchema,
  registerCall: z.boolean(),
  missedCallTaskMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30)
    .nullable()
    .describe('A follow-up task for the responsible, due this many minutes after the call'),
});

export const responsibleSourceSchema = z.enum([
  'employee',
  'contact_responsible',
  'first_rung',
  'last_rung',
]);

const templateSchema = (what: string) =>
  z.string().trim().min(1).max(255).describe(`${what}; {phone} is the client's number`);

const listFilterSchema = z
  .strictObject({
    mode: z.enum(['all', 'only', 'except']).describe('all; only (white list); except (black list)'),
    values: z.array(z.string().trim().min(1).max(100)).max(1000),
  })
  .refine((filter) => filter.mode === 'all' || filter.values.length > 0, {
    message: 'a white or black list needs at least one value',
    path: ['values'],
  });

const callFilterSchema = z
  .strictObject({
    extensions: listFilterSchema.describe('By the extensions on the call'),
    trunks: listFilterSchema.describe('By the trunk that carried it'),
  })
  .describe('Which calls reach the CRM at all');

const hookSourceSchema = z
  .string()
  .max(10_000)
  .describe('A JavaScript function expression, e.g. (body, call) => ({ ...body, TITLE: "…" })');

/**
 * The tenant's customization hooks (docs/crm-hooks.md): JavaScript functions run in a
 * sandbox at fixed points; a patch replaces the whole set.
 */
const hooksSchema = z
  .strictObject({
    shouldRegister: hookSourceSchema.optional(),
    numbers: hookSourceSchema.optional(),
    entity: hookSourceSchema.optional(),
    registration: hookSourceSchema.optional(),
    finish: hookSourceSchema.optional(),
    missedCallTask: hookSourceSchema.optional(),
    recordingLink: hookSourceSchema.optional(),
  })
  .describe('JavaScript hooks by point');

/** The amoCRM settings of one connection, every field present (what the API answers). */
export const amoCrmRulesSchema = z.strictObject({
  callTypes: z.strictObject({
    inbound_answered: callTypeRuleSchema,
    inbound_missed: callTypeRuleSchema,
    outbound_answered: callTypeRuleSchema,
    outbound_not_answered: callTypeRuleSchema,
    transferred: callTypeRuleSchema.describe('An outside call answered, then transferred'),
    internal: callTypeRuleSchema,
  }),
  responsibleOrder: z
    .array(responsibleSourceSchema)
    .max(4)
    .refine((order) => new Set(order).size === order.length, 'sources must not repeat')
    .describe('Where the responsible user comes from, in order; then the fallback user'),
  fallbackUserId: z
    .number()
    .int()
    .positive()
    .describe("amoCRM user id; a new connection takes the account's first active user"),
  lineFallbackUsers: z
    .record(z.string().trim().min(1).max(100), z.number().int().positive())
    .describe('Trunk name or dialled number → the fallback user of that line'),
  extensionUsers: z
    .record(extensionNumberSchema, z.number().int().positive())
    .describe('Extension → amoCRM user id, set by hand; wins over the e-mail match'),
  source: z.string().trim().min(1).max(50).describe("The calls' source and unsorted service code"),
  sourceName: z.string().trim().min(1).max(100),
  pipelineId: z.number().int().positive().nullable().describe('null: the main pipeline'),
  defaultCountryCode: z.string().regex(/^[1-9]\d{0,2}$/, 'expected a country code such as 7'),
  missedCallTaskText: templateSchema('The missed-call task'),
  newContactName: templateSchema("A new contact's name"),
  newLeadName: templateSchema("A new lead's name"),
  callResultTexts: z.strictObject({
    answered: z.string().trim().min(1).max(255),
    missed: z.string().trim().min(1).max(255),
    busy: z.string().trim().min(1).max(255),
    failed: z.string().trim().min(1).max(255),
  }),
  callFilter: callFilterSchema,
  hooks: hooksSchema,
});
export type AmoCrmRulesSettings = z.infer<typeof amoCrmRulesSchema>;

/**
 * Settings as a client sends them: any field may be left out (the current value, or the
 * default for a new connection, is kept), and each call type's rule may be given in part.
 */
export const amoCrmRulesPatchSchema = amoCrmRulesSchema
  .extend({
    callTypes: z
      .strictObject({
        inbound_answered: callTypeRuleSchema.partial().optional(),
        inbound_missed: callTypeRuleSchema.partial().optional(),
        outbound_answered: callTypeRuleSchema.partial().optional(),
        outbound_not_answered: callTypeRuleSchema.partial().optional(),
        transferred: callTypeRuleSchema.partial().optional(),
        internal: callTypeRuleSchema.partial().optional(),
      })
      .optional(),
  })
  .partial();
export type AmoCrmRulesPatch = z.infer<typeof amoCrmRulesPatchSchema>;

const bitrixCallTypeRuleSchema = callTypeRuleSchema.extend({
  unknownNumber: z
    .enum(['create_contact', 'create_lead', 'nothing'])
    .describe('nothing: the call is still registered, bound to no CRM record'),
  registerCall: z.boolean().describe('register + finish (+ the recording attached)'),
});

/** The Bitrix24 settings of one connection, every field present (what the API answers). */
export const bitrix24RulesSchema = z.strictObject({
  callTypes: z.strictObject({
    inbound_answered: bitrixCallTypeRuleSchema,
    inbound_missed: bitrixCallTypeRuleSchema,
    outbound_answered: bitrixCallTypeRuleSchema,
    outbound_not_answered: bitrixCallTypeRuleSchema,
    transferred: bitrixCallTypeRuleSchema.describe('An outside call answered, then transferred'),
    internal: bitrixCallTypeRuleSchema,
  }),
  responsibleOrder: amoCrmRulesSchema.shape.responsibleOrder,
  fallbackUserId: z
    .number()
    .int()
    .positive()
    .describe("Bitrix24 user id; a new connection takes the portal's first active user"),
  lineFallbackUsers: z
    .record(z.string().trim().min(1).max(100), z.number().int().positive())
    .describe('Trunk name or dialled number → the fallback user of that line'),
  extensionUsers: z
    .record(extensionNumberSchema, z.number().int().positive())
    .describe('Extension → Bitrix24 user id, set by hand; wins over e-mail and UF_PHONE_INNER'),
  defaultCountryCode: amoCrmRulesSchema.shape.defaultCountryCode,
  sourceId: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .describe('SOURCE_ID of new contacts and leads (CALL is "Call")'),
  lineNumber: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .nullable()
    .describe("LINE_NUMBER of registered calls: the portal's external line, or null"),
  attachRecordings: z.boolean(),
  addToChat: z.boolean().describe("A message about each call in the employee's chat"),
  missedCallTaskText: templateSchema('The missed-call task'),
  newContactName: templateSchema("A new contact's name"),
  newLeadName: templateSchema("A new lead's title"),
  callFilter: callFilterSchema,
  hooks: hooksSchema,
});
export type Bitrix24RulesSettings = z.infer<typeof bitrix24RulesSchema>;

export const bitrix24RulesPatchSchema = bitrix24RulesSchema
  .extend({
    callTypes: z
      .strictObject({
        inbound_answered: bitrixCallTypeRuleSchema.partial().optional(),
        inbound_missed: bitrixCallTypeRuleSchema.partial().optional(),
        outbound_answered: bitrixCallTypeRuleSchema.partial().optional(),
        outbound_not_answered: bitrixCallTypeRuleSchema.partial().optional(),
        transferred: bitrixCallTypeRuleSchema.partial().optional(),
        internal: bitrixCallTypeRuleSchema.partial().optional(),
      })
      .optional(),
  })
  .partial();
export type Bitrix24RulesPatch = z.infer<typeof bitrix24RulesPatchSchema>;

/**
 * How Provod holds the portal: its Bitrix24 application, installed with the code from the
 * install redirect, or an incoming webhook (CRM records and tasks only: Bitrix24 opens
 * the telephony methods to applications alone).
 */
export const bitrix24AuthSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('oauth'),
    clientId: z.string().trim().min(1).max(200),
    clientSecret: z.string().min(1).max(500),
    code: z.string().min(1).max(4000).describe('The authorization code from the install redirect'),
    oauthUrl: z
      .url({ protocol: /^https?$/ })
      .default('https://oauth.bitrix.info')
      .describe('The authorization server'),
  }),
  z.strictObject({
    type: z.literal('webhook'),
    url: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .describe('https://portal.bitrix24.ru/rest/<user>/<code>/'),
  }),
]);

/** How Provod holds the account: an installed OAuth integration or a long-lived token. */
export const amoCrmAuthSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('oauth'),
    clientId: z.string().trim().min(1).max(200),
    clientSecret: z.string().min(1).max(500),
    redirectUri: z.url({ protocol: /^https?$/ }),
    code: z.string().min(1).max(4000).describe('The authorization code from the install redirect'),
  }),
  z.strictObject({
    type: z.literal('long_lived_token'),
    token: z.string().min(1).max(4000).describe("A private integration's long-lived token"),
  }),
]);

/** The account's own address: https://SUBDOMAIN.amocrm.ru (or .kommo.com). */
const crmBaseUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(300)
  .transform((url) => url.replace(/\/+$/, ''));

const connectionNameSchema = z.string().trim().min(1).max(100);

export const crmConnectionCreateSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('amocrm'),
    name: connectionNameSchema,
    baseUrl: crmBaseUrlSchema,
    auth: amoCrmAuthSchema,
    rules: amoCrmRulesPatchSchema.optional(),
    enabled: z.boolean().default(true),
  }),
  z.strictObject({
    kind: z.literal('bitrix24'),
    name: connectionNameSchema,
    baseUrl: crmBaseUrlSchema.describe('The portal: https://company.bitrix24.ru'),
    auth: bitrix24AuthSchema,
    rules: bitrix24RulesPatchSchema.optional(),
    enabled: z.boolean().default(true),
  }),
]);
export type CrmConnectionCreate = z.input<typeof crmConnectionCreateSchema>;

/**
 * A Bitrix24 connection to be installed from the portal: the tenant's local application
 * (its client id and secret), whose install path the portal's admin sets to the URL the
 * API answers; the portal then reports the installation there.
 */
export const bitrix24InstallLinkSchema = z.strictObject({
  name: connectionNameSchema,
  baseUrl: crmBaseUrlSchema.describe('The portal: https://company.bitrix24.ru'),
  clientId: z.string().trim().min(1).max(200),
  clientSecret: z.string().min(1).max(500),
  oauthUrl: z.url({ protocol: /^https?$/ }).default('https://oauth.bitrix.info'),
  rules: bitrix24RulesPatchSchema.optional(),
});
export type Bitrix24InstallLink = z.input<typeof bitrix24InstallLinkSchema>;

export const crmConnectionUpdateSchema = z.strictObject({
  name: connectionNameSchema.optional(),
  enabled: z.boolean().optional(),
  rules: z
    .union([amoCrmRulesPatchSchema, bitrix24RulesPatchSchema])
    .optional()
    .describe("Any part of the connection's rules, as its CRM kind has them"),
});
export type CrmConnectionUpdate = z.infer<typeof crmConnectionUpdateSchema>;

/** A connection as the API shows it: never its secrets or tokens. */
export const crmConnectionSchema = z.object({
  id: idSchema,
  kind: crmKindSchema,
  name: z.string(),
  baseUrl: z.string(),
  authType: z.enum(['oauth', 'long_lived_token', 'webhook']),
  enabled: z.boolean(),
  settingsVersion: z.number().int(),
  rules: z.union([amoCrmRulesSchema, bitrix24RulesSchema]),
  tokenExpiresAt: timestampSchema.nullable().describe('When the OAuth access token expires'),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type CrmConnection = z.infer<typeof crmConnectionSchema>;

/** One request the call caused and the CRM's answer (bodies shortened, secrets removed). */
export const crmExchangeSchema = z.object({
  at: z.string(),
  method: z.string(),
  path: z.string(),
  status: z.number().int().nullable(),
  durationMs: z.number(),
  request: z.string().nullable(),
  response: z.string().nullable(),
  error: z.string().nullable(),
});

export const crmStepTraceSchema = z.object({
  name: z.string(),
  key: z.string(),
  reason: z.string().describe('The rule that decided this step'),
  outcome: z.enum(['done', 'skipped', 'already_done', 'failed']),
  detail: z.string(),
  exchanges: z.array(crmExchangeSchema),
});

/** One delivery attempt of one call to one connection. */
export const crmCallAttemptSchema = z.object({
  id: idSchema,
  connectionId: idSchema,
  connectionName: z.string(),
  callId: idSchema,
  attempt: z.number().int().min(1),
  outcome: z.enum(['completed', 'failed']),
  error: z.string().nullable(),
  callType: crmCallTypeSchema,
  clientPhone: z.string().nullable(),
  skipped: z.string().nullable().describe('Why nothing was sent, when nothing was'),
  responsible: z
    .object({ userId: z.number().int(), reason: z.string().describe('The rule that chose them') })
    .nullable(),
  steps: z.array(crmStepTraceSchema),
  notes: z
    .array(z.string())
    .default([])
    .describe("What the tenant's hooks did wrong (their defaults were used)"),
  createdAt: timestampSchema,
});
export type CrmCallAttempt = z.infer<typeof crmCallAttemptSchema>;
