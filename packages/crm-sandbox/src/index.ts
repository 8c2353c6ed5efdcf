// Faithful emulators of the CRM APIs Provod talks to (amoCRM API v4, Bitrix24 REST), for
// tests, demos and local development: same paths, payloads, limits and error shapes as
// the vendors document, with state that tests can inspect, reset and make fail.
export { FaultPlan, type Fault, type FaultRule } from './common/faults.ts';
