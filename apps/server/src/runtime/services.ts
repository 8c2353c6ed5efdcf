import type { ServiceDeps } from '../services/service-context.ts';
import { authService } from '../services/auth.ts';
import { extensionService } from '../services/extensions.ts';
import { routingSchemeService } from '../services/routing-schemes.ts';
import { phoneNumberService } from '../services/phone-numbers.ts';
import { trunkService } from '../services/trunks.ts';
import { soundService } from '../services/sounds.ts';
import { tenantService } from '../services/tenants.ts';
import { userService } from '../services/users.ts';
import { auditService } from '../services/audit.ts';
import { jobService } from '../services/jobs.ts';
import { callService } from '../services/calls.ts';
import { recordingService } from '../services/recordings.ts';
import { voicemailService } from '../services/voicemail.ts';
import { registrationService } from '../services/registrations.ts';
import { callEventBus } from '../events/call-event-bus.ts';
import { softphoneService } from '../services/softphone.ts';
import { crmService, type AmoCrmApp } from '../services/crm.ts';

export interface ServiceOptions {
  sessionTtlHours: number;
  /** Where SIP over WebSocket listens (config `sip.webSocketPath`); its default when omitted. */
  sipWebSocketPath?: string;
  /** Where people and CRMs reach this installation (config `http.publicUrl`). */
  publicUrl?: string;
  /** Provod's own amoCRM integration (config `crm.amocrm`). */
  amocrmApp?: AmoCrmApp;
}

/** Every service of the process, built once; the HTTP API and the CLI both call these. */
export function createServices(deps: ServiceDeps, options: ServiceOptions) {
  const tenants = tenantService(deps);
  const users = userService(deps);
  const crm = crmService(deps, {
    publicUrl: options.publicUrl ?? 'http://localhost:8080',
    ...(options.amocrmApp === undefined ? {} : { amocrmApp: options.amocrmApp }),
  });
  return {
    deps,
    tenants,
    users,
    auth: authService(deps, tenants, users, options),
    extensions: extensionService(deps),
    routingSchemes: routingSchemeService(deps),
    phoneNumbers: phoneNumberService(deps),
    trunks: trunkService(deps),
    sounds: soundService(deps),
    audit: auditService(deps),
    jobs: jobService(deps),
    calls: callService(deps, crm),
    crm,
    recordings: recordingService(deps),
    voicemail: voicemailService(deps),
    registrations: registrationService(deps),
    callEvents: callEventBus(),
    softphone: softphoneService(deps, tenants, {
      webSocketPath: options.sipWebSocketPath ?? '/sip',
    }),
  };
}

export type Services = ReturnType<typeof createServices>;
