import {
  callSchema,
  extensionSchema,
  extensionWithSecretSchema,
  pageOf,
  registrationSchema,
  sessionSchema,
  softphoneCredentialsSchema,
  tenantSchema,
  userSchema,
  type ExtensionCreate,
  type ExtensionUpdate,
  type Login,
  type Signup,
  type TenantSettingsUpdate,
} from '@provod/contracts';
import { z } from 'zod';
import type { ApiClient } from './api-client.ts';

/** Agents and viewers get extensions without SIP credentials (numberplan:secrets). */
export const extensionViewSchema = z.union([extensionWithSecretSchema, extensionSchema]);
export type ExtensionView = z.infer<typeof extensionViewSchema>;

const callPageSchema = pageOf(callSchema);

export interface CallListQuery {
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

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
