import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';
import { apiKeyRoutes } from './api-keys.ts';
import { auditRoutes } from './audit.ts';
import { jobRoutes } from './jobs.ts';
import { authRoutes } from './auth.ts';
import { extensionRoutes } from './extensions.ts';
import { routingSchemeRoutes } from './routing-schemes.ts';
import { phoneNumberRoutes } from './phone-numbers.ts';
import { trunkRoutes } from './trunks.ts';
import { soundRoutes } from './sounds.ts';
import { staffTenantRoutes } from './staff-tenants.ts';
import { tenantRoutes } from './tenant.ts';
import { userRoutes } from './users.ts';
import { registrationRoutes } from './registrations.ts';
import { softphoneRoutes } from './softphone.ts';
import { callRoutes } from './calls.ts';
import { recordingRoutes } from './recordings.ts';
import { voicemailRoutes } from './voicemail.ts';
import { crmRoutes } from './crm.ts';

/** Every /api/v1 resource, one file each, registered here and nowhere else. */
export function registerRoutes(app: ProvodApp, services: Services): void {
  authRoutes(app, services);
  tenantRoutes(app, services);
  userRoutes(app, services);
  apiKeyRoutes(app, services);
  extensionRoutes(app, services);
  routingSchemeRoutes(app, services);
  phoneNumberRoutes(app, services);
  trunkRoutes(app, services);
  soundRoutes(app, services);
  auditRoutes(app, services);
  jobRoutes(app, services);
  callRoutes(app, services);
  recordingRoutes(app, services);
  voicemailRoutes(app, services);
  staffTenantRoutes(app, services);
  registrationRoutes(app, services);
  softphoneRoutes(app, services);
  crmRoutes(app, services);
}
