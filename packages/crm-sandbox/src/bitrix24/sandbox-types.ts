/**
 * The public face of the Bitrix24 sandbox: its options and the typed controls tests use
 * in-process (the same ones /__sandbox/ exposes over HTTP).
 */
import type { FastifyInstance } from 'fastify';
import type { FaultPlan } from '../common/faults.ts';
import type { AppRegistration, OAuthTimings, TokenResponse, WebhookRegistration } from './auth.ts';
import type { SandboxClock } from '../common/clock.ts';
import type { ClickToCallInput, ClickToCallResult } from './event-delivery.ts';
import type { BucketLimits } from './leaky-bucket.ts';
import type { JsonObject } from './params.ts';
import type { Bitrix24Store, CrmRecord, SandboxUser } from './store.ts';

export interface Bitrix24SandboxOptions {
  domain?: string;
  memberId?: string;
  apps?: readonly AppRegistration[];
  webhooks?: readonly WebhookRegistration[];
  /** Seeded on start and on every reset; default: user 1, an active administrator. */
  users?: readonly Partial<SandboxUser>[];
  /** Contact fields as crm.contact.add takes them (PHONE as a multifield list). */
  contacts?: readonly JsonObject[];
  /** 'standard' (50, 2/s), 'enterprise' (250, 5/s) or explicit numbers (limits.md). */
  limits?: 'standard' | 'enterprise' | BucketLimits;
  timings?: Partial<OAuthTimings>;
  clock?: SandboxClock;
  faults?: FaultPlan;
  /** Fixes client_endpoint and event auth; default: learnt from the Host of each request. */
  publicUrl?: string;
  /** How events are posted; default: the global fetch. */
  fetch?: typeof fetch;
  eventTimeoutMs?: number;
}

export interface Bitrix24Sandbox {
  readonly app: FastifyInstance;
  readonly clock: SandboxClock;
  readonly faults: FaultPlan;
  readonly store: Bitrix24Store;
  seedUser(input: Partial<SandboxUser> | JsonObject): SandboxUser;
  seedContact(fields: JsonObject): CrmRecord;
  hasApp(clientId: string): boolean;
  /** The one-time code an application gets after /oauth/authorize/ (lives 30 s). */
  authorize(clientId: string, userId: number): string;
  /** Straight to a token pair, as after install; for tests that are not about OAuth. */
  issueTokens(clientId: string, userId: number): TokenResponse;
  /** Simulates a click on a phone number: registers the call and posts ONEXTERNALCALLSTART once. */
  clickToCall(input: ClickToCallInput): Promise<ClickToCallResult>;
  bucketLevel(): number;
  state(): JsonObject;
  reset(): void;
}
