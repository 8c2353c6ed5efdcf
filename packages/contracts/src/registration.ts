import { z } from 'zod';
import { timestampSchema } from './common.ts';

/** One live SIP registration: who is online, from where, with what phone. */
export const registrationSchema = z.object({
  extension: z.string(),
  contact: z.string().describe('The Contact URI the phone registered'),
  transport: z.enum(['udp', 'tcp', 'tls', 'ws', 'wss']),
  sourceAddress: z
    .string()
    .describe('Where the REGISTER really came from (behind NAT: the public address)'),
  sourcePort: z.number().int(),
  userAgent: z.string().nullable(),
  registeredAt: timestampSchema,
  expiresAt: timestampSchema,
});
export type Registration = z.infer<typeof registrationSchema>;

/** A source or user refused after too many failed SIP authentications. */
export const sipAuthBlockSchema = z.object({
  kind: z.enum(['source', 'user']),
  key: z.string().describe('An address (IPv6: its /64) or username@tenant'),
  failures: z.number().int(),
  blockedAt: timestampSchema,
  blockedUntil: timestampSchema,
});
export type SipAuthBlock = z.infer<typeof sipAuthBlockSchema>;
