import { z } from 'zod';

/** People of a tenant (the customer company). */
export const tenantRoles = ['owner', 'admin', 'agent', 'viewer'] as const;
/** The operator's back-office staff; they belong to no tenant. */
export const staffRoles = ['superadmin', 'support', 'billing'] as const;

export const tenantRoleSchema = z.enum(tenantRoles);
export const staffRoleSchema = z.enum(staffRoles);
export const roles = [...tenantRoles, ...staffRoles] as const;
export const roleSchema = z.enum(roles);

export type TenantRole = (typeof tenantRoles)[number];
export type StaffRole = (typeof staffRoles)[number];
export type Role = TenantRole | StaffRole;

export const permissions = [
  'tenant:read',
  'tenant:write',
  'billing:read',
  'users:read',
  'users:write',
  'api_keys:manage',
  'numberplan:read',
  'numberplan:secrets',
  'numberplan:write',
  'calls:read',
  'recordings:read',
  'recordings:write',
  'voicemail:read',
  'voicemail:write',
  'softphone:use',
  'audit:read',
  'integrations:read',
  'integrations:write',
  'jobs:read',
  'jobs:write',
  'staff:tenants:read',
  'staff:tenants:write',
  'staff:billing:write',
] as const;

export type Permission = (typeof permissions)[number];

const tenantReadOnly: Permission[] = [
  'tenant:read',
  'numberplan:read',
  'calls:read',
  'recordings:read',
  'voicemail:read',
  // The cabinet's softphone, as the caller's own extension only (GET /me/softphone).
  'softphone:use',
];

/**
 * What each role may do. Exhaustive over roles, so a new role without a grant does not
 * compile. The web hides what a role lacks; the API refuses it with 403.
 */
export const rolePermissions: Record<Role, readonly Permission[]> = {
  owner: permissions.filter((p) => !p.startsWith('staff:')),
  admin: permissions.filter((p) => !p.startsWith('staff:') && p !== 'billing:read'),
  agent: [...tenantReadOnly, 'voicemail:write'],
  viewer: [...tenantReadOnly, 'users:read', 'audit:read'],
  superadmin: ['staff:tenants:read', 'staff:tenants:write', 'staff:billing:write'],
  support: ['staff:tenants:read'],
  billing: ['staff:tenants:read', 'staff:billing:write'],
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

export function isStaffRole(role: Role): role is StaffRole {
  return (staffRoles as readonly string[]).includes(role);
}
