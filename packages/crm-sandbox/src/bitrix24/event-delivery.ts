/**
 * Click-to-call: Bitrix24 registers the outgoing call itself (without EXTERNAL_CALL_ID) and
 * posts ONEXTERNALCALLSTART, form-encoded with PHP bracket keys (data[CALL_ID]…, auth[…]),
 * to the handler the application bound with event.bind — once, with no retries: "If your
 * server does not respond or returns an error, the Bitrix24 queue server will log the
 * failure but will not resend the event" (api-reference/events/index.md). Payload:
 * api-reference/telephony/events/on-external-call-start.md, auth block:
 * _includes/auth-params-in-events.md (bitrix24/b24restdocs); CRM-FACTS #11.
 */
import { formatBitrixDate } from './dates.ts';
import { createHash } from 'node:crypto';
import type { OAuthServer, AppRegistration } from './auth.ts';
import type { Portal } from './method-registry.ts';
import { registerExternalCall } from './methods/telephony-register.ts';
import type { EventDelivery, EventHandler } from './store.ts';

export interface ClickToCallInput {
  userId: number;
  phoneNumber: string;
  /** The application whose handler gets the event; default: the first one bound. */
  clientId?: string;
  lineNumber?: string;
  crmEntityType?: 'CONTACT' | 'LEAD';
  crmEntityId?: number;
  callListId?: number;
}

export interface ClickToCallResult {
  callId: string;
  deliveries: EventDelivery[];
}

export interface DeliveryDeps {
  portal: Portal;
  oauth: OAuthServer;
  fetch: typeof fetch;
  timeoutMs: number;
  domain: string;
  memberId: string;
  /** Base URL the connector reaches the sandbox at (client_endpoint = base + /rest/). */
  baseUrl: () => string;
}

export class NoEventHandlerError extends Error {
  override readonly name = 'NoEventHandlerError';
}

/** The application_token Bitrix24 includes so a handler can check who sent the event. */
export function applicationToken(app: AppRegistration, memberId: string): string {
  return createHash('sha256').update(`${memberId}:${app.clientId}`).digest('hex').slice(0, 32);
}

export async function sendExternalCallStart(
  deps: DeliveryDeps,
  input: ClickToCallInput,
): Promise<ClickToCallResult> {
  const { portal } = deps;
  const bound = portal.store.eventHandlers.filter(
    (item) =>
      item.event === 'ONEXTERNALCALLSTART' &&
      (input.clientId === undefined || item.clientId === input.clientId),
  );
  const clientId = bound[0]?.clientId;
  const app = clientId === undefined ? undefined : portal.apps.get(clientId);
  if (clientId === undefined || app === undefined) {
    throw new NoEventHandlerError('no application has bound ONEXTERNALCALLSTART');
  }
  const call = registerExternalCall(portal, {
    clientId,
    origin: 'click_to_call',
    params: {
      USER_ID: input.userId,
      PHONE_NUMBER: input.phoneNumber,
      TYPE: 1,
      SHOW: 1,
      ...(input.lineNumber === undefined ? {} : { LINE_NUMBER: input.lineNumber }),
      ...(input.crmEntityType === undefined ? {} : { CRM_ENTITY_TYPE: input.crmEntityType }),
      ...(input.crmEntityId === undefined ? {} : { CRM_ENTITY_ID: input.crmEntityId }),
    },
  });
  const deliveries: EventDelivery[] = [];
  for (const handler of bound.filter((item) => item.clientId === clientId)) {
    const body = encodeEvent(
      deps,
      app,
      handler,
      input,
      call.CALL_ID,
      call.crmEntityType,
      call.crmEntityId,
    );
    const delivery = await postOnce(deps, handler, body);
    portal.store.deliveries.push(delivery);
    deliveries.push(delivery);
  }
  return { callId: call.CALL_ID, deliveries };
}

function encodeEvent(
  deps: DeliveryDeps,
  app: AppRegistration,
  handler: EventHandler,
  input: ClickToCallInput,
  callId: string,
  crmEntityType: string | null,
  crmEntityId: number | null,
): string {
  const base = deps.baseUrl();
  const tokens = deps.oauth.issue(app, input.userId, `${base}/rest/`, `${base}/rest/`);
  const form = new URLSearchParams();
  form.append('event', 'ONEXTERNALCALLSTART');
  form.append('event_handler_id', String(handler.id));
  const data: [string, string][] = [
    ['PHONE_NUMBER', input.phoneNumber],
    ['PHONE_NUMBER_INTERNATIONAL', input.phoneNumber],
    ['EXTENSION', ''],
    ['USER_ID', String(input.userId)],
    ['CALL_LIST_ID', String(input.callListId ?? 0)],
    ['LINE_NUMBER', input.lineNumber ?? ''],
    ['IS_MOBILE', '0'],
    ['CALL_ID', callId],
    ['CRM_ENTITY_TYPE', crmEntityType ?? ''],
    ['CRM_ENTITY_ID', crmEntityId === null ? '' : String(crmEntityId)],
  ];
  for (const [key, value] of data) form.append(`data[${key}]`, value);
  form.append('ts', String(deps.portal.clock.nowSeconds()));
  const auth: [string, string][] = [
    ['access_token', tokens.access_token],
    ['expires_in', String(tokens.expires_in)],
    ['scope', 'telephony'],
    ['domain', deps.domain],
    ['server_endpoint', tokens.server_endpoint],
    ['status', tokens.status],
    ['client_endpoint', tokens.client_endpoint],
    ['member_id', deps.memberId],
    ['refresh_token', tokens.refresh_token],
    ['application_token', applicationToken(app, deps.memberId)],
  ];
  for (const [key, value] of auth) form.append(`auth[${key}]`, value);
  return form.toString();
}

async function postOnce(
  deps: DeliveryDeps,
  handler: EventHandler,
  body: string,
): Promise<EventDelivery> {
  const base = {
    id: deps.portal.store.nextId('delivery'),
    event: 'ONEXTERNALCALLSTART',
    handlerId: handler.id,
    handlerUrl: handler.handler,
    body,
    at: formatBitrixDate(deps.portal.clock.nowMs()),
  };
  try {
    const response = await deps.fetch(handler.handler, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
    await response.arrayBuffer();
    const outcome = response.ok
      ? ({ kind: 'delivered', status: response.status } as const)
      : ({ kind: 'rejected', status: response.status } as const);
    return { ...base, outcome };
  } catch (error) {
    // Any transport failure is recorded and dropped: Bitrix24 does not retry events.
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ...base, outcome: { kind: 'unreachable', reason } };
  }
}
