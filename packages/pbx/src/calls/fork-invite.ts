import { randomBytes } from 'node:crypto';
import {
  newTag,
  parseRequestUri,
  serializeNameAddr,
  SipHeaders,
  SIP_VERSION,
  type DigestAccount,
  type SipDestination,
  type SipRequest,
} from '@provod/sip';
import type { Binding } from '../registrar/location-service.ts';
import type { CallTarget } from './bridged-call.ts';
import { sessionRequestHeaders } from './session-expires.ts';
import type { SipNetwork } from './sip-network.ts';
import type { OutboundTrunk } from './trunk-routes.ts';

/** Who calls whom, and the offer Provod makes the callee's phones. */
export interface ForkInviteParams {
  /** The calling extension or number, written as the From user. */
  readonly caller: string;
  /** The display name shown on the callee's screen (the caller's own, passed on). */
  readonly displayName: string | undefined;
  readonly callee: string;
  /** The tenant's SIP domain: the host of From and To. */
  readonly domain: string;
  /** Max-Forwards for the new INVITE: the caller's, less one. */
  readonly hops: number;
  readonly body: Buffer;
  readonly contentType: string | undefined;
  /** RFC 4028 interval offered to the callee; 0: none. */
  readonly sessionExpiresSeconds: number;
}

/**
 * Provod's INVITE to one registered contact of a callee, as a UAC starting a new dialog
 * (RFC 3261 §8.1.1): new Call-ID and From tag, sent to the address the phone registered
 * from (its flow, behind NAT), its Contact as the Request-URI.
 */
export function forkTarget(
  network: SipNetwork,
  binding: Binding,
  params: ForkInviteParams,
): CallTarget {
  return inviteTo(
    network,
    {
      uri: binding.contact.replace(/^<(.*)>$/, '$1'),
      destination: {
        transport: binding.source.transport,
        address: binding.source.address,
        port: binding.source.port,
        connectionId: binding.source.connectionId,
      },
    },
    params,
  );
}

/**
 * Provod's INVITE to `uri` at `destination`: a registered phone (forkTarget) or a
 * carrier's trunk, whose account answers its digest challenge.
 */
export function inviteTo(
  network: SipNetwork,
  to: {
    readonly uri: string;
    readonly destination: SipDestination;
    readonly account?: DigestAccount;
  },
  params: ForkInviteParams,
): CallTarget {
  const { destination } = to;
  const callerUri = parseRequestUri(`sip:${params.caller}@${params.domain}`);
  const headers = new SipHeaders();
  headers.append('Via', network.via(destination.transport));
  headers.append('Max-Forwards', String(params.hops));
  headers.append(
    'From',
    `${serializeNameAddr({ displayName: params.displayName, uri: callerUri, params: [] })};tag=${newTag()}`,
  );
  headers.append('To', `<sip:${params.callee}@${params.domain}>`);
  headers.append('Call-ID', `${randomBytes(12).toString('hex')}@provod`);
  headers.append('CSeq', '1 INVITE');
  headers.append('Contact', `<${network.contactUri(destination.transport)}>`);
  headers.append('Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, MESSAGE, NOTIFY');
  // RFC 4028 §7.1: Provod, the UAC, offers the session timer and refreshes it itself.
  for (const [name, value] of sessionRequestHeaders(
    params.sessionExpiresSeconds > 0
      ? { seconds: params.sessionExpiresSeconds, refresher: 'provod' }
      : undefined,
  )) {
    headers.append(name, value);
  }
  if (params.body.length > 0 && params.contentType !== undefined) {
    headers.append('Content-Type', params.contentType);
  }
  headers.append('Content-Length', String(params.body.length));
  const invite: SipRequest = {
    kind: 'request',
    method: 'INVITE',
    uri: to.uri,
    version: SIP_VERSION,
    headers,
    body: params.body,
  };
  return to.account === undefined
    ? { invite, destination }
    : { invite, destination, account: to.account };
}

/** Provod's INVITE for `number` through one of the tenant's trunks, as `callerId`. */
export function trunkInvite(
  network: SipNetwork,
  trunk: OutboundTrunk,
  number: string,
  params: Omit<ForkInviteParams, 'callee' | 'domain'>,
): CallTarget {
  return inviteTo(
    network,
    {
      uri: `sip:${number}@${trunk.domain}`,
      destination: trunk.destination,
      ...(trunk.account === undefined ? {} : { account: trunk.account }),
    },
    { ...params, callee: number, domain: trunk.domain },
  );
}
