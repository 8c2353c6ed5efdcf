// Faithful emulators of the CRM APIs Provod talks to (amoCRM API v4, Bitrix24 REST), for
// tests, demos and local development: same paths, payloads, limits and error shapes as
// the vendors document, with state that tests can inspect, reset and make fail.
export { FaultPlan, type Fault, type FaultRule } from './common/faults.ts';
export { SandboxClock, type SandboxClockOptions } from './common/clock.ts';
export { createBitrix24Sandbox, defaultSandboxApp } from './bitrix24/sandbox.ts';
export type { Bitrix24Sandbox, Bitrix24SandboxOptions } from './bitrix24/sandbox-types.ts';
export type { AppRegistration, WebhookRegistration, TokenResponse } from './bitrix24/auth.ts';
export { parsePhpQuery } from './bitrix24/params.ts';
export { createAmoCrmSandbox } from './amocrm/sandbox.ts';
export type {
  AmoCrmSandbox,
  AmoCrmSandboxOptions,
  SandboxSeed as AmoSandboxSeed,
} from './amocrm/sandbox-api.ts';
export type { Integration as AmoIntegration } from './amocrm/auth.ts';
