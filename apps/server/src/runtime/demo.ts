import type { Actor } from '@provod/contracts';
import { generateSipPassword } from '../services/generated-secrets.ts';
import type { Services } from './services.ts';

export interface DemoCredentials {
  tenantSlug: string;
  sipDomain: string;
  owner: { email: string; password: string };
  extensions: { number: string; password: string }[];
}

export const demoTenant = {
  slug: 'demo',
  sipDomain: 'demo.provod.local',
  ownerEmail: 'owner@demo.provod.local',
  extensionNumbers: ['101', '102', '103', '104', '105'],
};

/** Tenant "demo" with extensions 101–105 and an owner, through the same services as the API. */
export async function createDemoTenant(services: Services, actor: Actor): Promise<DemoCredentials> {
  const tenant = await services.tenants.create(
    { slug: demoTenant.slug, name: 'Demo', sipDomain: demoTenant.sipDomain },
    actor,
  );
  const ctx = { tenantId: tenant.id, role: 'owner' as const, actor };
  const ownerPassword = generateSipPassword(12);
  await services.users.create(ctx, {
    email: demoTenant.ownerEmail,
    name: 'Demo Owner',
    password: ownerPassword,
    role: 'owner',
  });
  const extensions = [];
  for (const number of demoTenant.extensionNumbers) {
    const created = await services.extensions.create(ctx, {
      number,
      displayName: `Demo ${number}`,
    });
    extensions.push({ number, password: created.sipPassword });
  }
  return {
    tenantSlug: tenant.slug,
    sipDomain: tenant.sipDomain,
    owner: { email: demoTenant.ownerEmail, password: ownerPassword },
    extensions,
  };
}

export function formatDemoCredentials(demo: DemoCredentials): string {
  return [
    `Demo tenant "${demo.tenantSlug}" (SIP domain ${demo.sipDomain})`,
    `  owner login: ${demo.owner.email} / ${demo.owner.password}`,
    ...demo.extensions.map((e) => `  extension ${e.number}: SIP password ${e.password}`),
  ].join('\n');
}
