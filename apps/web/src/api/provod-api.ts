import {
  callSchema,
  callWithLegsSchema,
  extensionSchema,
  extensionWithSecretSchema,
  pageOf,
  phoneNumberSchema,
  recordingSchema,
  registrationSchema,
  routingSchemeSchema,
  routingSimulationResultSchema,
  sessionSchema,
  softphoneCredentialsSchema,
  tenantSchema,
  trunkRegistrationSchema,
  trunkSchema,
  trunkWithSecretSchema,
  userSchema,
  type CallQuery,
  type ExtensionCreate,
  type ExtensionUpdate,
  type Login,
  type PhoneNumberCreate,
  type PhoneNumberUpdate,
  type RoutingSimulationRequest,
  type Signup,
  type TenantSettingsUpdate,
  type TrunkCreate,
  type TrunkUpdate,
} from '@provod/contracts';
import { z } from 'zod';
import type { ApiClient } from './api-client.ts';

/** Agents and viewers get extensions without SIP credentials (numberplan:secrets). */
export const extensionViewSchema = z.union([extensionWithSecretSchema, extensionSchema]);
export type ExtensionView = z.infer<typeof extensionViewSchema>;

const callPageSchema = pageOf(callSchema);

/** GET /calls parameters (callQuerySchema); the server fills in the default limit. */
export type CallListQuery = Omit<CallQuery, 'limit'> & { limit?: number };

/** Agents and viewers get trunks without the provider password (numberplan:secrets). */
export const trunkViewSchema = z.union([trunkWithSecretSchema, trunkSchema]);
export type TrunkView = z.infer<typeof trunkViewSchema>;

const byId = (collection: string, id: string) => `/${collection}/${encodeURIComponent(id)}`;

/** The REST resources the cabinet uses, each typed by its contract (packages/contracts). */
export function provodApi(call: ApiClient) {
  return {
    auth: {
      session: () => call({ method: 'GET', path: '/auth/session', response: sessionSchema }),
      login: (body: Login) =>
        call({ method: 'POST', path: '/auth/login', body, response: sessionSchema }),
      signup: (body: Signup) =>
        call({ method: 'POST', path: '/auth/signup', body, response: sessionSchema }),
      logout: () => call({ method: 'POST', path: '/auth/logout', response: z.null() }),
    },
    tenant: {
      get: () => call({ method: 'GET', path: '/tenant', response: tenantSchema }),
      update: (body: TenantSettingsUpdate) =>
        call({ method: 'PATCH', path: '/tenant', body, response: tenantSchema }),
    },
    extensions: {
      list: () =>
        call({ method: 'GET', path: '/extensions', response: z.array(extensionViewSchema) }),
      create: (body: ExtensionCreate) =>
        call({ method: 'POST', path: '/extensions', body, response: extensionViewSchema }),
      update: (id: string, body: ExtensionUpdate) =>
        call({
          method: 'PATCH',
          path: `/extensions/${encodeURIComponent(id)}`,
          body,
          response: extensionViewSchema,
        }),
      remove: (id: string) =>
        call({
          method: 'DELETE',
          path: `/extensions/${encodeURIComponent(id)}`,
          response: z.null(),
        }),
    },
    calls: {
      list: (query: CallListQuery) =>
        call({ method: 'GET', path: '/calls', query: { ...query }, response: callPageSchema }),
      /** One call with its legs. */
      get: (id: string) =>
        call({ method: 'GET', path: byId('calls', id), response: callWithLegsSchema }),
    },
    recordings: {
      get: (id: string) =>
        call({ method: 'GET', path: byId('recordings', id), response: recordingSchema }),
    },
    phoneNumbers: {
      list: () =>
        call({ method: 'GET', path: '/phone-numbers', response: z.array(phoneNumberSchema) }),
      create: (body: PhoneNumberCreate) =>
        call({ method: 'POST', path: '/phone-numbers', body, response: phoneNumberSchema }),
      update: (id: string, body: PhoneNumberUpdate) =>
        call({
          method: 'PATCH',
          path: byId('phone-numbers', id),
          body,
          response: phoneNumberSchema,
        }),
      remove: (id: string) =>
        call({ method: 'DELETE', path: byId('phone-numbers', id), response: z.null() }),
    },
    trunks: {
      list: () => call({ method: 'GET', path: '/trunks', response: z.array(trunkViewSchema) }),
      registrations: () =>
        call({
          method: 'GET',
          path: '/trunks/registrations',
          response: z.array(trunkRegistrationSchema),
        }),
      create: (body: TrunkCreate) =>
        call({ method: 'POST', path: '/trunks', body, response: trunkViewSchema }),
      update: (id: string, body: TrunkUpdate) =>
        call({ method: 'PATCH', path: byId('trunks', id), body, response: trunkViewSchema }),
      remove: (id: string) =>
        call({ method: 'DELETE', path: byId('trunks', id), response: z.null() }),
    },
    routingSchemes: {
      list: () =>
        call({ method: 'GET', path: '/routing-schemes', response: z.array(routingSchemeSchema) }),
      /** The path a made-up call would take; nothing is dialled (docs/routing-schemes.md). */
      simulate: (id: string, body: RoutingSimulationRequest) =>
        call({
          method: 'POST',
          path: `${byId('routing-schemes', id)}/simulate`,
          body,
          response: routingSimulationResultSchema,
        }),
    },
    registrations: {
      list: () =>
        call({ method: 'GET', path: '/registrations', response: z.array(registrationSchema) }),
    },
    users: {
      list: () => call({ method: 'GET', path: '/users', response: z.array(userSchema) }),
    },
    softphone: {
      /** The SIP account of the caller's own extension; 404 not_found when they own none. */
      credentials: () =>
        call({ method: 'GET', path: '/me/softphone', response: softphoneCredentialsSchema }),
    },
  };
}

export type ProvodApi = ReturnType<typeof provodApi>;
