import type { Permission } from '@provod/contracts';
import type { RouteRecordRaw } from 'vue-router';

export interface MenuEntry {
  name: string;
  title: NonNullable<NonNullable<RouteRecordRaw['meta']>['menu']>['title'];
  icon: NonNullable<NonNullable<RouteRecordRaw['meta']>['menu']>['icon'];
}

/**
 * The side menu: the cabinet's pages whose permission the role has, in route order. Derived
 * from the routes' declared permissions (packages/contracts/src/roles.ts), never a list per
 * role, so an agent never sees billing or settings it may not open.
 */
export function menuFor(pages: RouteRecordRaw[], can: (permission: Permission) => boolean) {
  const entries: MenuEntry[] = [];
  for (const page of pages) {
    const menu = page.meta?.menu;
    if (menu === undefined || typeof page.name !== 'string') continue;
    const permission = page.meta?.permission;
    if (permission !== undefined && !can(permission)) continue;
    entries.push({ name: page.name, title: menu.title, icon: menu.icon });
  }
  return entries;
}
