import { z } from 'zod';
import { idSchema, timestampSchema } from './common.ts';

export const trunkTransportSchema = z.enum(['udp', 'tcp', 'tls']);
export type TrunkTransport = z.infer<typeof trunkTransportSchema>;

const hostnameSchema = z.hostname();
const ipv6Schema = z.ipv6();

/** A DNS name or an IPv4/IPv6 address (RFC 3261 §25.1 `host`), without port or brackets. */
export const sipHostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .refine(
    (host) => hostnameSchema.safeParse(host).success || ipv6Schema.safeParse(host).success,
    'expected a hostname or an IP address, without port',
  );

/** The user part of a SIP URI or a digest username: no spaces, no '@' or ':' (RFC 3261 §19.1.1). */
const sipUserSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\s@:]+$/, "expected no spaces, '@' or ':'");

/**
 * Providers choose trunk passwords, not us, so only what cannot survive a digest
 * computation or a config file is refused: control characters.
 */
const trunkPasswordSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\p{Cc}]+$/u, 'expected no control characters');

/** "+" (every international number), "+7", "8", "810": a leading plus, then up to 15 digits. */
export const dialPrefixSchema = z
  .string()
  .regex(/^(\+\d{0,15}|\d{1,15})$/, 'expected digits with an optional leading +, e.g. +7 or 8');

export const dialPrefixesSchema = z
  .array(dialPrefixSchema)
  .max(100)
  .refine((prefixes) => new Set(prefixes).size === prefixes.length, 'prefixes must not repeat');

/** The fields everyone with read access sees; the password is only in `trunkWithSecretSchema`. */
export const trunkSchema = z.object({
  id: idSchema,
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  transport: trunkTransportSchema,
  username: z.string().nullable().describe('User part of our From/To URI at the provider'),
  authUsername: z.string().nullable().describe('Digest username when it differs from `username`'),
  fromDomain: z.string().nullable().describe('Host part of From; null: the trunk host'),
  register: z.boolean().describe('Send REGISTER to the provider so it routes inbound calls to us'),
  registerExpiresSeconds: z.number().int(),
  dialPrefixes: z
    .array(z.string())
    .describe('Outbound numbers starting with one of these go out through this trunk'),
  priority: z
    .number()
    .int()
    .describe(
      'Lower is tried first; a trunk with the same prefix and a higher value is the failover',
    ),
  enabled: z.boolean(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Trunk = z.infer<typeof trunkSchema>;

export const trunkWithSecretSchema = trunkSchema.extend({ password: z.string().nullable() });
export type TrunkWithSecret = z.infer<typeof trunkWithSecretSchema>;

const trunkFields = {
  name: z.string().trim().min(1).max(100),
  host: sipHostSchema,
  port: z.number().int().min(1).max(65535),
  transport: trunkTransportSchema,
  username: sipUserSchema.nullable(),
  password: trunkPasswordSchema.nullable(),
  authUsername: sipUserSchema.nullable(),
  fromDomain: sipHostSchema.nullable(),
  register: z.boolean(),
  // RFC 3261 §10.2.1.1: the registrar may shorten what we ask for; too short an interval
  // draws 423 Interval Too Brief (§21.4.17), too long keeps a stale binding after a crash.
  registerExpiresSeconds: z.number().int().min(60).max(3600),
  dialPrefixes: dialPrefixesSchema,
  priority: z.number().int().min(0).max(1000),
  enabled: z.boolean(),
};

export const trunkCreateSchema = z.strictObject({
  name: trunkFields.name.describe('Unique within the tenant'),
  host: trunkFields.host,
  port: trunkFields.port.default(5060),
  transport: trunkFields.transport.default('udp'),
  username: trunkFields.username.default(null),
  password: trunkFields.password.default(null),
  authUsername: trunkFields.authUsername.default(null),
  fromDomain: trunkFields.fromDomain.default(null),
  register: trunkFields.register.default(false).describe('Needs username and password'),
  registerExpiresSeconds: trunkFields.registerExpiresSeconds.default(300),
  dialPrefixes: trunkFields.dialPrefixes.default([]),
  priority: trunkFields.priority.default(100),
  enabled: trunkFields.enabled.default(true),
});
export type TrunkCreate = z.input<typeof trunkCreateSchema>;

export const trunkUpdateSchema = z.strictObject({
  name: trunkFields.name.optional(),
  host: trunkFields.host.optional(),
  port: trunkFields.port.optional(),
  transport: trunkFields.transport.optional(),
  username: trunkFields.username.optional(),
  password: trunkFields.password.optional(),
  authUsername: trunkFields.authUsername.optional(),
  fromDomain: trunkFields.fromDomain.optional(),
  register: trunkFields.register.optional(),
  registerExpiresSeconds: trunkFields.registerExpiresSeconds.optional(),
  dialPrefixes: trunkFields.dialPrefixes.optional(),
  priority: trunkFields.priority.optional(),
  enabled: trunkFields.enabled.optional(),
});
export type TrunkUpdate = z.infer<typeof trunkUpdateSchema>;

/** Where a registering trunk stands with its provider (RFC 3261 §10), as the SIP edge sees it. */
export const trunkRegistrationSchema = z.object({
  trunkId: z.string(),
  name: z.string(),
  state: z
    .enum(['registering', 'registered', 'failed', 'stopped'])
    .describe('failed: the provider refused or did not answer; Provod retries'),
  expiresAt: z.string().nullable().describe('When the registration runs out (registered)'),
  status: z.number().int().nullable().describe("The provider's final status (failed)"),
  reason: z.string().nullable(),
  retryAt: z.string().nullable().describe('When Provod tries again (failed)'),
});
export type TrunkRegistration = z.infer<typeof trunkRegistrationSchema>;
