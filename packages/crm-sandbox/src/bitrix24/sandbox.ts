/**
 * createBitrix24Sandbox: a Fastify app that answers like a Bitrix24 portal's REST API
 * (settings/how-to-call-rest-api/index.md, bitrix24/b24restdocs), with the authorization
 * server's /oauth/ endpoints, the portal's leaky-bucket limit, event delivery for
 * click-to-call, FaultPlan faults, and /__sandbox/ controls. See docs/crm-sandbox.md.
 */
import { formatBitrixDate } from './dates.ts';
import Fastify from 'fastify';
import { FaultPlan } from '../common/faults.ts';
import { defaultOAuthTimings, OAuthServer, type AppRegistration } from './auth.ts';
import { createBatchMethod } from './batch.ts';
import { SandboxClock } from '../common/clock.ts';
import { registerControlRoutes } from './control-routes.ts';
import { createCrmRecord } from './crm-records.ts';
import { createMethodCaller } from './dispatch.ts';
import { sendExternalCallStart } from './event-delivery.ts';
import {
  enterpriseLimits,
  LeakyBucket,
  standardLimits,
  type BucketLimits,
} from './leaky-bucket.ts';
import { buildMethodTable, type MethodDefinition, type Portal } from './method-registry.ts';
import { crmMethods } from './methods/crm.ts';
import { eventMethods } from './methods/events.ts';
import { imMethods } from './methods/im.ts';
import { taskMethods } from './methods/tasks.ts';
import { telephonyFinishMethods } from './methods/telephony-finish.ts';
import { telephonyRegisterMethods } from './methods/telephony-register.ts';
import { userMethods } from './methods/user.ts';
import { registerOAuthRoutes } from './oauth-routes.ts';
import { asInt, type JsonObject } from './params.ts';
import { registerRestRoutes } from './rest-routes.ts';
import type { SandboxRuntime } from './runtime.ts';
import type { Bitrix24Sandbox, Bitrix24SandboxOptions } from './sandbox-types.ts';
import { Bitrix24Store, type CrmRecord, type SandboxUser } from './store.ts';

export const defaultSandboxApp: AppRegistration = {
  clientId: 'local.provod-sandbox',
  clientSecret: 'sandbox-secret',
  name: 'Provod',
  scope: ['telephony', 'crm', 'user', 'task', 'im'],
};

function resolveLimits(limits: Bitrix24SandboxOptions['limits']): BucketLimits {
  if (limits === 'enterprise') return enterpriseLimits;
  if (limits === undefined || limits === 'standard') return standardLimits;
  return limits;
}

export function createBitrix24Sandbox(options: Bitrix24SandboxOptions = {}): Bitrix24Sandbox {
  const clock = options.clock ?? new SandboxClock();
  const faults = options.faults ?? new FaultPlan();
  const store = new Bitrix24Store();
  const apps = new Map((options.apps ?? [defaultSandboxApp]).map((item) => [item.clientId, item]));
  const domain = options.domain ?? 'provod-sandbox.bitrix24.ru';
  const memberId = options.memberId ?? 'a223c6b3710f85df22e9377d6c4f7553';
  const portal: Portal = { store, clock, apps };
  const oauth = new OAuthServer(
    clock,
    apps,
    options.webhooks ?? [],
    { ...defaultOAuthTimings, ...options.timings },
    memberId,
  );
  const groups: MethodDefinition[][] = [
    [...telephonyRegisterMethods],
    [...telephonyFinishMethods],
    [...crmMethods],
    [...userMethods],
    [...taskMethods],
    [...imMethods],
    [...eventMethods],
  ];
  const methods = new Map(buildMethodTable(groups));
  const call = createMethodCaller(methods, portal);
  const batch = createBatchMethod(call, clock);
  methods.set(batch.name, batch);

  const runtime: SandboxRuntime = {
    portal,
    oauth,
    bucket: new LeakyBucket(clock, resolveLimits(options.limits)),
    faults,
    methods,
    call,
    domain,
    memberId,
    hanging: new Set(),
    baseUrl: options.publicUrl ?? `https://${domain}`,
    fixedBaseUrl: options.publicUrl !== undefined,
  };

  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.addHook('preClose', async () => {
    for (const release of [...runtime.hanging]) release();
  });

  const seedUser = (input: Partial<SandboxUser> | JsonObject): SandboxUser => {
    const id = asInt(input.ID ?? undefined) ?? store.nextId('user');
    const text = (value: unknown, fallback: string): string =>
      typeof value === 'string' ? value : fallback;
    const user: SandboxUser = {
      ID: id,
      ACTIVE: input.ACTIVE !== false && input.ACTIVE !== 'N',
      NAME: text(input.NAME, `User ${id}`),
      LAST_NAME: text(input.LAST_NAME, ''),
      EMAIL: text(input.EMAIL, `user${id}@example.com`),
      UF_PHONE_INNER: text(input.UF_PHONE_INNER, ''),
      IS_ADMIN: input.IS_ADMIN === true,
    };
    store.users.set(id, user);
    return user;
  };
  const seedContact = (fields: JsonObject): CrmRecord =>
    createCrmRecord(store, 'CONTACT', fields, formatBitrixDate(clock.nowMs()));

  const seed = (): void => {
    for (const user of options.users ?? [{ ID: 1, NAME: 'Admin', IS_ADMIN: true }]) seedUser(user);
    for (const contact of options.contacts ?? []) seedContact(contact);
  };

  const sandbox: Bitrix24Sandbox = {
    app,
    clock,
    faults,
    store,
    seedUser,
    seedContact,
    hasApp: (clientId) => apps.has(clientId),
    authorize: (clientId, userId) => oauth.authorize(clientId, userId),
    issueTokens(clientId, userId) {
      const registration = apps.get(clientId);
      if (registration === undefined) throw new RangeError(`no application ${clientId}`);
      return oauth.issue(
        registration,
        userId,
        `${runtime.baseUrl}/rest/`,
        `${runtime.baseUrl}/rest/`,
      );
    },
    clickToCall: (input) =>
      sendExternalCallStart(
        {
          portal,
          oauth,
          fetch: options.fetch ?? fetch,
          timeoutMs: options.eventTimeoutMs ?? 10_000,
          domain,
          memberId,
          baseUrl: () => runtime.baseUrl,
        },
        input,
      ),
    bucketLevel: () => runtime.bucket.current(),
    state: () => ({
      portal: { domain, memberId, baseUrl: runtime.baseUrl },
      clock: { now: clock.nowMs() },
      bucket: {
        level: runtime.bucket.current(),
        capacity: runtime.bucket.limits.capacity,
        drainPerSecond: runtime.bucket.limits.drainPerSecond,
      },
      faults: faults.list().map((rule) => ({
        pathPrefix: rule.pathPrefix,
        fault: { ...rule.fault },
        remaining: rule.remaining ?? null,
      })),
      data: store.snapshot(),
    }),
    reset() {
      // A fresh portal: data, tokens, bucket and faults; the clock keeps running.
      store.clear();
      oauth.reset();
      runtime.bucket.reset();
      faults.clear();
      seed();
    },
  };

  registerRestRoutes(app, runtime);
  registerOAuthRoutes(app, runtime);
  registerControlRoutes(app, () => sandbox);
  seed();
  return sandbox;
}
