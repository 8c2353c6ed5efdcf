import { z } from 'zod';

/**
 * What the cabinet's softphone needs to register as its user's own extension: the SIP
 * account (user name = extension number, digest realm = the tenant's SIP domain) and where
 * SIP over WebSocket (RFC 7118) listens on the cabinet's own origin.
 */
export const softphoneCredentialsSchema = z.object({
  extension: z.string().describe('The extension number: SIP user name and authentication name'),
  displayName: z.string().describe("The extension's name, shown to the people it calls"),
  sipDomain: z.string().describe("The tenant's SIP domain: registrar and digest realm"),
  sipPassword: z.string(),
  webSocketPath: z
    .string()
    .describe('Path of SIP over WebSocket on this HTTP origin, e.g. /sip (subprotocol "sip")'),
});
export type SoftphoneCredentials = z.infer<typeof softphoneCredentialsSchema>;
