import {
  roleAllows,
  type Login,
  type Permission,
  type Session,
  type Signup,
  type Tenant,
} from '@provod/contracts';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { createApiClient } from '../api/api-client.ts';
import { isApiError } from '../api/api-error.ts';
import { provodApi } from '../api/provod-api.ts';

/** Whether anyone is logged in, known only after the first GET /auth/session. */
export type SessionState =
  | { kind: 'unknown' }
  | { kind: 'anonymous' }
  | { kind: 'authenticated'; session: Session; tenant: Tenant | null };

export const useSessionStore = defineStore('session', () => {
  const state = ref<SessionState>({ kind: 'unknown' });
  const api = provodApi(
    createApiClient({
      fetch: (input, init) => window.fetch(input, init),
      baseUrl: '/api/v1',
      csrfToken: () =>
        state.value.kind === 'authenticated' ? state.value.session.csrfToken : null,
    }),
  );

  const user = computed(() =>
    state.value.kind === 'authenticated' ? state.value.session.user : null,
  );
  const tenant = computed(() => (state.value.kind === 'authenticated' ? state.value.tenant : null));

  /** What the role allows (packages/contracts/src/roles.ts); the API enforces the same. */
  function can(permission: Permission): boolean {
    return user.value !== null && roleAllows(user.value.role, permission);
  }

  async function enter(session: Session): Promise<void> {
    // Staff belong to no tenant; everyone else works inside their company.
    state.value = { kind: 'authenticated', session, tenant: null };
    if (session.user.tenantId !== null) {
      state.value = { kind: 'authenticated', session, tenant: await api.tenant.get() };
    }
  }

  let loading: Promise<void> | null = null;

  /** Learn once whether the cookie holds a session; the router waits for this. */
  function ensureLoaded(): Promise<void> {
    if (state.value.kind !== 'unknown') return Promise.resolve();
    loading ??= api.auth
      .session()
      .then(enter, (error: unknown) => {
        if (isApiError(error) && error.code === 'unauthenticated') {
          state.value = { kind: 'anonymous' };
          return;
        }
        throw error;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  async function login(credentials: Login): Promise<void> {
    await enter(await api.auth.login(credentials));
  }

  async function signup(company: Signup): Promise<void> {
    await enter(await api.auth.signup(company));
  }

  async function logout(): Promise<void> {
    await api.auth.logout();
    state.value = { kind: 'anonymous' };
  }

  function replaceTenant(updated: Tenant): void {
    if (state.value.kind === 'authenticated') state.value = { ...state.value, tenant: updated };
  }

  return { state, api, user, tenant, can, ensureLoaded, login, signup, logout, replaceTenant };
});
