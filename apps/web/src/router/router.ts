import type { Permission } from '@provod/contracts';
import type { Component } from 'vue';
import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from 'vue-router';
import {
  ApiOutlined,
  BranchesOutlined,
  DashboardOutlined,
  GlobalOutlined,
  HistoryOutlined,
  PhoneOutlined,
  SettingOutlined,
  WalletOutlined,
} from '@ant-design/icons-vue';
import type { MessageSchema } from '../i18n/ru.ts';
import type { useSessionStore } from '../stores/session.ts';

type MenuKey = keyof MessageSchema['menu'];

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (login, sign-up). */
    public?: boolean;
    /** What the role must allow to open the page; the menu hides it otherwise. */
    permission?: Permission;
    /** Shown in the side menu under this title. */
    menu?: { title: MenuKey; icon: Component };
  }
}

export const cabinetPages: RouteRecordRaw[] = [
  {
    path: 'dashboard',
    name: 'dashboard',
    component: () => import('../pages/DashboardPage.vue'),
    meta: { permission: 'calls:read', menu: { title: 'dashboard', icon: DashboardOutlined } },
  },
  {
    path: 'calls',
    name: 'calls',
    component: () => import('../pages/CallLogPage.vue'),
    meta: { permission: 'calls:read', menu: { title: 'calls', icon: HistoryOutlined } },
  },
  {
    path: 'extensions',
    name: 'extensions',
    component: () => import('../pages/ExtensionsPage.vue'),
    meta: { permission: 'numberplan:read', menu: { title: 'extensions', icon: PhoneOutlined } },
  },
  {
    path: 'phone-numbers',
    name: 'phoneNumbers',
    component: () => import('../pages/PhoneNumbersPage.vue'),
    meta: { permission: 'numberplan:read', menu: { title: 'phoneNumbers', icon: GlobalOutlined } },
  },
  {
    path: 'routing-schemes',
    name: 'routingSchemes',
    component: () => import('../pages/RoutingSchemesPage.vue'),
    meta: {
      permission: 'numberplan:read',
      menu: { title: 'routingSchemes', icon: BranchesOutlined },
    },
  },
  {
    path: 'trunks',
    name: 'trunks',
    component: () => import('../pages/TrunksPage.vue'),
    meta: { permission: 'numberplan:read', menu: { title: 'trunks', icon: ApiOutlined } },
  },
  {
    path: 'settings',
    name: 'settings',
    component: () => import('../pages/SettingsPage.vue'),
    meta: { permission: 'tenant:write', menu: { title: 'settings', icon: SettingOutlined } },
  },
  {
    path: 'billing',
    name: 'billing',
    component: () => import('../pages/BillingPage.vue'),
    meta: { permission: 'billing:read', menu: { title: 'billing', icon: WalletOutlined } },
  },
];

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('../pages/LoginPage.vue'),
    meta: { public: true },
  },
  {
    path: '/signup',
    name: 'signup',
    component: () => import('../pages/SignupPage.vue'),
    meta: { public: true },
  },
  {
    path: '/',
    component: () => import('../layouts/AppLayout.vue'),
    redirect: { name: 'dashboard' },
    children: cabinetPages,
  },
  { path: '/:unknown(.*)*', redirect: '/' },
];

/**
 * History-mode routing (the server answers every non-/api path with index.html, see
 * apps/server/src/http/web-assets.ts). The guard waits for the session, sends strangers
 * to /login, and keeps a role out of pages its permissions do not cover.
 */
export function createCabinetRouter(session: ReturnType<typeof useSessionStore>): Router {
  const router = createRouter({ history: createWebHistory(), routes });
  router.beforeEach(async (to) => {
    await session.ensureLoaded();
    const loggedIn = session.state.kind === 'authenticated';
    if (to.meta.public === true) return loggedIn ? { name: 'dashboard' } : true;
    if (!loggedIn) {
      return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    const permission = to.meta.permission;
    if (permission !== undefined && !session.can(permission)) {
      const allowed = cabinetPages.find(
        (page) => page.meta?.permission === undefined || session.can(page.meta.permission),
      );
      return allowed?.name !== undefined && allowed.name !== to.name
        ? { name: allowed.name }
        : false;
    }
    return true;
  });
  return router;
}
