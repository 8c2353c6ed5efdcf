import type { FastifyInstance } from 'fastify';
import type { FaultPlan } from '../common/faults.ts';
import type { Integration, OAuthOptions, OAuthServer } from './auth.ts';
import type { SandboxClock } from '../common/clock.ts';
import type { AccountRateLimiter, RateLimitOptions } from './rate-limit.ts';
import type { AccountInfo, AmoStore, SeedLead, SeedParty, SeedUser } from './store.ts';

export interface AmoCrmSandboxOptions {
  readonly account?: Partial<AccountInfo>;
  /** Defaults to a running clock; pass `SandboxClock.frozenAt(ms)` for a frozen one. */
  readonly clock?: SandboxClock;
  readonly oauth?: Partial<OAuthOptions>;
  /** 7/s by default; `blockAfterViolations` (403 for everything) is off unless set. */
  readonly rateLimit?: Partial<RateLimitOptions>;
  /** Body of the sandbox's own 429/403: problem+json (default) or the gateway's HTML page. */
  readonly limitResponseFormat?: 'problem' | 'html';
  /** Unexpected body fields: ignored (default) or refused with 400 `ExtraField`. */
  readonly unknownFields?: 'ignore' | 'reject';
  readonly logger?: boolean;
}

export interface SandboxSeed {
  readonly users?: readonly SeedUser[];
  readonly companies?: readonly SeedParty[];
  readonly contacts?: readonly SeedParty[];
  readonly leads?: readonly SeedLead[];
}

export interface SeededIds {
  readonly users: number[];
  readonly companies: number[];
  readonly contacts: number[];
  readonly leads: number[];
}

export interface AmoCrmSandbox {
  readonly app: FastifyInstance;
  readonly state: AmoStore;
  readonly oauth: OAuthServer;
  readonly faults: FaultPlan;
  readonly clock: SandboxClock;
  readonly rateLimiter: AccountRateLimiter;
  /** Base URL after listen(), e.g. http://127.0.0.1:41234. */
  readonly url: string | undefined;
  /** Registers the integration and returns an authorization code for it. */
  install(integration: Integration): string;
  issueLongLivedToken(lifetimeSeconds?: number): string;
  seed(seed: SandboxSeed): SeededIds;
  /** Empties the account (back to its defaults), tokens, faults and the rate limiter. */
  reset(): void;
  /** Requests a `hang` fault is holding open. */
  hungRequests(): number;
  snapshot(): Record<string, unknown>;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}
