/**
 * event.bind / event.get / event.unbind for the events the sandbox can send.
 * api-reference/events/event-bind.md (application context only; ERROR_EVENT_NOT_FOUND),
 * error-codes.md (ERROR_HANDLER_ALREADY_EXIST) — bitrix24/b24restdocs.
 */
import { B24Error } from '../errors.ts';
import type { MethodDefinition } from '../method-registry.ts';
import { paramString } from '../params.ts';

/** Events the sandbox knows; it sends only ONEXTERNALCALLSTART (see event-delivery.ts). */
export const knownEvents = new Set([
  'ONEXTERNALCALLSTART',
  'ONEXTERNALCALLBACKSTART',
  'ONAPPINSTALL',
  'ONAPPUNINSTALL',
]);

const eventBind: MethodDefinition = {
  name: 'event.bind',
  scope: 'basic',
  appOnly: true,
  run({ params, portal, auth }) {
    const event = paramString(params, 'event')?.toUpperCase() ?? '';
    const handler = paramString(params, 'handler') ?? '';
    if (!knownEvents.has(event))
      throw new B24Error(400, 'ERROR_EVENT_NOT_FOUND', 'Event not found');
    if (handler === '') throw new B24Error(400, 'ERROR_EVENT_NOT_FOUND', 'Handler not found');
    const clientId = auth.kind === 'oauth' ? auth.clientId : '';
    const handlers = portal.store.eventHandlers;
    if (
      handlers.some(
        (item) => item.event === event && item.handler === handler && item.clientId === clientId,
      )
    ) {
      throw new B24Error(400, 'ERROR_HANDLER_ALREADY_EXIST', 'Handler already exists!');
    }
    handlers.push({
      id: portal.store.nextId('event_handler'),
      event,
      handler,
      clientId,
      userId: auth.userId,
    });
    return { result: true };
  },
};

const eventGet: MethodDefinition = {
  name: 'event.get',
  scope: 'basic',
  appOnly: true,
  run({ portal, auth }) {
    const clientId = auth.kind === 'oauth' ? auth.clientId : '';
    const result = portal.store.eventHandlers
      .filter((item) => item.clientId === clientId)
      .map((item) => ({ event: item.event, handler: item.handler, auth_type: '0', offline: 0 }));
    return { result };
  },
};

const eventUnbind: MethodDefinition = {
  name: 'event.unbind',
  scope: 'basic',
  appOnly: true,
  run({ params, portal, auth }) {
    const event = paramString(params, 'event')?.toUpperCase() ?? '';
    const handler = paramString(params, 'handler') ?? '';
    const clientId = auth.kind === 'oauth' ? auth.clientId : '';
    const before = portal.store.eventHandlers.length;
    portal.store.eventHandlers = portal.store.eventHandlers.filter(
      (item) =>
        !(
          item.clientId === clientId &&
          item.event === event &&
          (handler === '' || item.handler === handler)
        ),
    );
    return { result: { count: before - portal.store.eventHandlers.length } };
  },
};

export const eventMethods: readonly MethodDefinition[] = [eventBind, eventGet, eventUnbind];
