import { roleAllows, type Role } from '@provod/contracts';
import { describe, expect, it } from 'vitest';
import { menuFor } from './menu.ts';
import { cabinetPages } from './router.ts';

const menuOf = (role: Role) =>
  menuFor(cabinetPages, (permission) => roleAllows(role, permission)).map((entry) => entry.name);

describe('menuFor', () => {
  it('shows the owner every page', () => {
    expect(menuOf('owner')).toEqual([
      'dashboard',
      'calls',
      'extensions',
      'phoneNumbers',
      'routingSchemes',
      'trunks',
      'settings',
      'billing',
    ]);
  });

  it('hides billing from an admin (roles.ts gives admins no billing:read)', () => {
    expect(menuOf('admin')).toEqual([
      'dashboard',
      'calls',
      'extensions',
      'phoneNumbers',
      'routingSchemes',
      'trunks',
      'settings',
    ]);
  });

  it('shows an agent neither billing nor settings, and the number plan read-only', () => {
    expect(menuOf('agent')).toEqual([
      'dashboard',
      'calls',
      'extensions',
      'phoneNumbers',
      'routingSchemes',
      'trunks',
    ]);
  });

  it('shows a viewer the same pages as an agent', () => {
    expect(menuOf('viewer')).toEqual(menuOf('agent'));
  });

  it('shows operator staff none of a tenant cabinet', () => {
    expect(menuOf('support')).toEqual([]);
  });
});
