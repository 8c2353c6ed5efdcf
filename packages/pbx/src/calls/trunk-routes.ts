import type { DigestAccount, SipDestination } from '@provod/sip';

/** One of a tenant's trunks as an outbound call uses it. */
export interface OutboundTrunk {
  readonly name: string;
  /** Where the carrier listens (its host may be a name; the transport resolves it). */
  readonly destination: SipDestination;
  /** The host of the Request-URI, From and To: the trunk's from-domain, else its host. */
  readonly domain: string;
  /** For the carrier's digest challenge; undefined for a trunk trusted by address. */
  readonly account: DigestAccount | undefined;
}

export interface OutboundRoute {
  /** The trunks to try, in turn: a trunk failing as a trunk (5xx, silence) hands over. */
  readonly trunks: readonly OutboundTrunk[];
  /** The number the called party sees (RFC 3261 From user). */
  readonly callerId: string;
}

/** The tenant's trunks, chosen for an extension's call to an external number. */
export interface TrunkRoutes {
  /** undefined when no enabled trunk of the tenant dials `number`. */
  outbound(tenantId: string, extension: string, number: string): Promise<OutboundRoute | undefined>;
}
