import {
  getParam,
  hasUriParam,
  parseCSeq,
  parseNameAddr,
  parseUri,
  SIP_VERSION,
  SipHeaders,
  serializeCSeq,
  serializeNameAddr,
  serializeUri,
  type SipRequest,
  type SipResponse,
} from '../message/index.ts';

/**
 * The state of one dialog as RFC 3261 §12 defines it, from this UA's side: the dialog
 * ID (Call-ID, local tag, remote tag), the sequence numbers, the remote target and the
 * route set. Immutable: every change makes a new value, so a leg's state machine can
 * keep its dialog in one field and tests can compare snapshots.
 */
export interface Dialog {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  /** The From (UAC) or To (UAS) of the creating request, as this side writes it. */
  readonly localUri: string;
  readonly remoteUri: string;
  /** The CSeq number of the last request this side sent in the dialog. */
  readonly localSeq: number;
  /** The CSeq number of the last request received; undefined until one arrives. */
  readonly remoteSeq: number | undefined;
  /** The peer's Contact URI: the Request-URI of requests within the dialog (§12.2.1.1). */
  readonly remoteTarget: string;
  /** Route header values in the order they are sent (§12.1.1, §12.1.2). */
  readonly routeSet: readonly string[];
  /** The creating request had a SIPS Request-URI (§12.1.1). */
  readonly secure: boolean;
}

export class DialogError extends Error {
  constructor(
    readonly code: 'missing_header' | 'no_contact' | 'no_tag',
    message: string,
  ) {
    super(message);
    this.name = 'DialogError';
  }
}

export function isDialogError(error: unknown): error is DialogError {
  return error instanceof DialogError;
}

/** §12.1.1: the UAS side of a dialog made by a request and the response it answers with. */
export function dialogAsUas(request: SipRequest, localTag: string): Dialog {
  const from = required(request, 'from');
  const remoteTag = tagOf(from);
  if (remoteTag === undefined) throw new DialogError('no_tag', 'the request has no From tag');
  return {
    callId: required(request, 'call-id'),
    localTag,
    remoteTag,
    localUri: withoutTag(required(request, 'to')),
    remoteUri: withoutTag(from),
    // §12.1.1: the local sequence number is empty; §12.2.1.1 lets the first request use
    // any value, and starting low keeps it far from 2**31.
    localSeq: 0,
    remoteSeq: parseCSeq(required(request, 'cseq')).seq,
    remoteTarget: contactTarget(request),
    routeSet: request.headers.getAll('record-route'),
    secure: isSecure(request.uri),
  };
}

/**
 * §12.1.2: the UAC side, from the request it sent and a 101–299 response with a To tag.
 * The route set is the response's Record-Route in reverse order.
 */
export function dialogAsUac(request: SipRequest, response: SipResponse): Dialog {
  const to = requiredIn(response.headers, 'to');
  const remoteTag = tagOf(to);
  if (remoteTag === undefined) throw new DialogError('no_tag', 'the response has no To tag');
  const from = required(request, 'from');
  const localTag = tagOf(from);
  if (localTag === undefined) throw new DialogError('no_tag', 'the request has no From tag');
  return {
    callId: required(request, 'call-id'),
    localTag,
    remoteTag,
    localUri: withoutTag(from),
    remoteUri: withoutTag(to),
    localSeq: parseCSeq(required(request, 'cseq')).seq,
    remoteSeq: undefined,
    remoteTarget: contactTarget(response),
    routeSet: [...response.headers.getAll('record-route')].reverse(),
    secure: isSecure(request.uri),
  };
}

/**
 * §12.2.1.2 and §12.2.2: a target refresh (re-INVITE, UPDATE) or a response to one with a
 * Contact moves the remote target; the route set never changes after creation.
 */
export function refreshRemoteTarget(dialog: Dialog, message: SipRequest | SipResponse): Dialog {
  if (message.headers.get('contact') === undefined) return dialog;
  return { ...dialog, remoteTarget: contactTarget(message) };
}

export type InDialogCheck =
  { readonly kind: 'accepted'; readonly dialog: Dialog } | { readonly kind: 'out_of_order' };

/**
 * §12.2.2: a request whose CSeq is lower than the last one received is out of order
 * (answered 500); an ACK or CANCEL repeats its INVITE's number and never moves it.
 */
export function acceptInDialogRequest(dialog: Dialog, request: SipRequest): InDialogCheck {
  const seq = parseCSeq(required(request, 'cseq')).seq;
  if (request.method === 'ACK' || request.method === 'CANCEL') {
    return { kind: 'accepted', dialog };
  }
  if (dialog.remoteSeq !== undefined && seq <= dialog.remoteSeq) {
    // Equal is a retransmission the transaction layer absorbs; reaching here it is a
    // new request reusing a number, which §12.2.2 treats as out of order too.
    return { kind: 'out_of_order' };
  }
  return { kind: 'accepted', dialog: { ...dialog, remoteSeq: seq } };
}

export interface InDialogRequestOptions {
  readonly method: string;
  /** This UA's Via for the request, with a fresh branch (§8.1.1.7). */
  readonly via: string;
  readonly contact?: string;
  readonly body?: Buffer;
  readonly contentType?: string;
  readonly headers?: readonly [string, string][];
  readonly maxForwards?: number;
}

/**
 * §12.2.1.1: a request within the dialog. A new CSeq number for everything but ACK and
 * CANCEL (they reuse the INVITE's; pass them through `buildAck`). With a loose-routing
 * first hop (`;lr`) the Request-URI is the remote target and the route set is sent as it
 * is; with a strict router the first route becomes the Request-URI and the remote target
 * goes last (§12.2.1.1 strict-routing rules, §16.12).
 */
export function buildInDialogRequest(
  dialog: Dialog,
  options: InDialogRequestOptions,
): { readonly dialog: Dialog; readonly request: SipRequest } {
  const seq = dialog.localSeq + 1;
  const request = composeRequest(dialog, options, seq, options.method);
  return { dialog: { ...dialog, localSeq: seq }, request };
}

/** §13.2.2.4: the ACK for a 2xx carries the INVITE's CSeq number and its own Via branch. */
export function buildAck(
  dialog: Dialog,
  inviteSeq: number,
  options: Omit<InDialogRequestOptions, 'method'>,
): SipRequest {
  return composeRequest(dialog, options, inviteSeq, 'ACK');
}

function composeRequest(
  dialog: Dialog,
  options: Omit<InDialogRequestOptions, 'method'>,
  seq: number,
  method: string,
): SipRequest {
  const { requestUri, routes } = routeRequest(dialog);
  const headers = new SipHeaders();
  headers.append('Via', options.via);
  for (const route of routes) headers.append('Route', route);
  headers.append('Max-Forwards', String(options.maxForwards ?? 70));
  headers.append('From', `${dialog.localUri};tag=${dialog.localTag}`);
  headers.append('To', `${dialog.remoteUri};tag=${dialog.remoteTag}`);
  headers.append('Call-ID', dialog.callId);
  headers.append('CSeq', serializeCSeq({ seq, method }));
  if (options.contact !== undefined) headers.append('Contact', options.contact);
  for (const [name, value] of options.headers ?? []) headers.append(name, value);
  const body = options.body ?? Buffer.alloc(0);
  if (body.length > 0 && options.contentType !== undefined) {
    headers.append('Content-Type', options.contentType);
  }
  headers.append('Content-Length', String(body.length));
  return { kind: 'request', method, uri: requestUri, version: SIP_VERSION, headers, body };
}

function routeRequest(dialog: Dialog): { requestUri: string; routes: readonly string[] } {
  const [first, ...rest] = dialog.routeSet;
  if (first === undefined) return { requestUri: dialog.remoteTarget, routes: [] };
  const firstUri = parseNameAddr(first).uri;
  if (firstUri.kind === 'sip' && hasUriParam(firstUri, 'lr')) {
    return { requestUri: dialog.remoteTarget, routes: dialog.routeSet };
  }
  // A strict router (RFC 2543): it expects the next hop in the Request-URI, with URI
  // parameters not allowed there stripped (§19.1.1 table: method and maddr stay out).
  const requestUri =
    firstUri.kind === 'sip'
      ? serializeUri({
          ...firstUri,
          params: firstUri.params.filter((p) => p.name.toLowerCase() !== 'method'),
          headers: [],
        })
      : serializeUri(firstUri);
  return { requestUri, routes: [...rest, `<${dialog.remoteTarget}>`] };
}

/** The dialog ID of a message as the receiving side sees it (§12): local tag first. */
export function dialogIdOf(message: SipRequest | SipResponse, side: 'uas' | 'uac'): string {
  const callId = message.headers.get('call-id') ?? '';
  const fromTag = tagOf(message.headers.get('from') ?? '') ?? '';
  const toTag = tagOf(message.headers.get('to') ?? '') ?? '';
  return side === 'uas' ? dialogKey(callId, toTag, fromTag) : dialogKey(callId, fromTag, toTag);
}

export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\u0000${localTag}\u0000${remoteTag}`;
}

export function dialogIdOfDialog(dialog: Dialog): string {
  return dialogKey(dialog.callId, dialog.localTag, dialog.remoteTag);
}

/** The tag parameter of a From or To value, if any. */
export function tagOf(nameAddr: string): string | undefined {
  if (nameAddr === '') return undefined;
  return getParam(parseNameAddr(nameAddr).params, 'tag');
}

function withoutTag(nameAddr: string): string {
  const parsed = parseNameAddr(nameAddr);
  const params = parsed.params.filter((param) => param.name.toLowerCase() !== 'tag');
  return serializeNameAddr({ ...parsed, params });
}

function contactTarget(message: SipRequest | SipResponse): string {
  const contact = message.headers.getAll('contact')[0];
  if (contact === undefined) throw new DialogError('no_contact', 'a dialog needs a Contact');
  return serializeUri(parseNameAddr(contact).uri);
}

function isSecure(requestUri: string): boolean {
  const uri = parseUri(requestUri);
  return uri.kind === 'sip' && uri.scheme === 'sips';
}

function required(request: SipRequest, name: string): string {
  return requiredIn(request.headers, name);
}

function requiredIn(headers: SipHeaders, name: string): string {
  const value = headers.get(name);
  if (value === undefined) throw new DialogError('missing_header', `the message has no ${name}`);
  return value;
}
