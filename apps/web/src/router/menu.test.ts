import { roleAllows, type Role } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import { menuFor } from './menu.ts';
import { cabinetPages } from './router.ts';

const menuOf = (role: Role) =>
  menuFor(cabinetPages, (permission) => roleAllows(role, permission)).map((entry) => entry.name);

describe('menuFor', () => {
  it('shows the owner every page', () => {
    expect(menuOf('owner')).toEqual(['dashboard', 'extensions', 'settings', 'billing']);
  });

  it('hides billing from an admin (roles.ts gives admins no billing:read)', () => {
    expect(menuOf('admin')).toEqual(['dashboard', 'extensions', 'settings']);
  });

  it('shows an agent neither billing nor settings', () => {
    expect(menuOf('agent')).toEqual(['dashboard', 'extensions']);
  });

  it('shows operator staff none of a tenant cabinet', () => {
    expect(menuOf('support')).toEqual([]);
  });
});
