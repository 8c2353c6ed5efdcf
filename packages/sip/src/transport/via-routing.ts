import {
  SipHeaders,
  headerKey,
  parseVia,
  serializeVia,
  splitHeaderList,
  type HeaderField,
  type SipParam,
  type SipRequest,
  type SipResponse,
  type Via,
} from '../message/index.ts';
import { SipTransportError } from './transport-error.ts';
import {
  bareAddress,
  sipTransportProtocols,
  type SipDestination,
  type SipEndpoint,
  type SipTransportProtocol,
} from './transport.ts';

/**
 * The two Via rules the transport applies (RFC 3261 §18.2.1, §18.2.2; RFC 3581 §4):
 * a server records where a request really came from in its top Via, and sends the
 * response back there — through a NAT, that is the only address that reaches the client.
 */

/**
 * RFC 3261 §18.2.1: add `received` when the sent-by host is not the source address.
 * RFC 3581 §4: when the client asked for `rport`, fill it with the source port, and add
 * `received` even when it equals sent-by.
 */
export function stampTopVia(via: Via, source: SipEndpoint): Via {
  const wantsRport = via.rport === true;
  const needsReceived = wantsRport || bareAddress(via.host) !== source.address;
  if (!needsReceived) return via;
  let params: SipParam[] = via.params.filter((param) => param.name.toLowerCase() !== 'received');
  if (wantsRport) {
    params = params.map((param) =>
      param.name.toLowerCase() === 'rport'
        ? { name: param.name, value: String(source.port) }
        : param,
    );
  }
  params.push({ name: 'received', value: source.address });
  return {
    ...via,
    params,
    received: source.address,
    rport: wantsRport ? source.port : via.rport,
  };
}

/** A request whose top Via carries `received` / `rport` for its source. */
export function stampReceivedRequest(request: SipRequest, source: SipEndpoint): SipRequest {
  const fields = request.headers.entries();
  const index = fields.findIndex((field) => headerKey(field.name) === 'via');
  const field = fields[index];
  // The parser refuses requests without Via (RFC 3261 §8.1.1.7), so this is defensive.
  if (field === undefined) return request;
  const [top = '', ...rest] = splitHeaderList(field.value);
  const stamped = stampTopVia(parseVia(top), source);
  const next: HeaderField[] = [...fields];
  next[index] = { name: field.name, value: [serializeVia(stamped), ...rest].join(', ') };
  return { ...request, headers: new SipHeaders(next) };
}

/**
 * The port a sent-by without one means (RFC 3261 §18.2.2 → §19.1.2: 5060, and 5061 for
 * TLS; RFC 7118 §5.2 with RFC 6455 §3: 80 for WS, 443 for WSS).
 */
const DEFAULT_PORTS: Readonly<Record<SipTransportProtocol, number>> = {
  udp: 5060,
  tcp: 5060,
  tls: 5061,
  ws: 80,
  wss: 443,
};

/**
 * Where a response goes (RFC 3261 §18.2.2 with RFC 3581 §4), read from its top Via:
 * `maddr` first, then `received` with `rport` (or the sent-by port), else sent-by itself.
 * The sent-by host may be a name; resolving it (RFC 3263 §6) is the caller's job before
 * `send`, which takes IP addresses only. A stream transport tries `connectionId` first.
 */
export function responseDestination(response: SipResponse, connectionId?: string): SipDestination {
  const top = response.headers.getAll('via')[0];
  if (top === undefined) {
    throw new SipTransportError('bad_destination', 'response has no Via to route by');
  }
  return viaDestination(parseVia(top), connectionId);
}

/** The §18.2.2 rule on one parsed top Via. */
export function viaDestination(via: Via, connectionId?: string): SipDestination {
  const token = via.transport.toLowerCase();
  const transport = sipTransportProtocols.find((protocol) => protocol === token);
  if (transport === undefined) {
    throw new SipTransportError('bad_destination', `no transport for Via ${via.transport}`);
  }
  const sentByPort = via.port ?? DEFAULT_PORTS[transport];
  const maddr = via.params.find((param) => param.name.toLowerCase() === 'maddr')?.value;
  let address: string;
  let port = sentByPort;
  if (maddr !== undefined) {
    address = bareAddress(maddr);
  } else if (via.received !== undefined) {
    address = bareAddress(via.received);
    if (typeof via.rport === 'number') port = via.rport;
  } else {
    address = bareAddress(via.host);
  }
  return connectionId === undefined
    ? { transport, address, port }
    : { transport, address, port, connectionId };
}
