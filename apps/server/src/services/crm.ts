import {
  crmConnectionCreateSchema,
  crmConnectionUpdateSchema,
  ProvodError,
  type CrmCallAttempt,
  type CrmConnection,
  type CrmConnectionCreate,
  type CrmConnectionUpdate,
  type CrmKind,
  bitrix24InstallLinkSchema,
  type Bitrix24InstallLink,
} from '@provod/contracts';
import type { z } from 'zod';
import {
  callRepository,
  crmCallAttemptRepository,
  crmConnectionRepository,
  TenantScope,
  type CrmConnectionRecord,
  type Executor,
} from '@provod/db';
import { obtainAmoCredentials } from '../crm/amo-accounts.ts';
import {
  adoptBitrixInstallation,
  bitrixApp,
  obtainBitrixCredentials,
} from '../crm/bitrix-accounts.ts';
import type { BitrixInstallation } from '../crm/bitrix-install.ts';
import { crmAccounts, tokenExpiry, type CrmAccounts } from '../crm/crm-accounts.ts';
import { presentAttempt } from '../crm/crm-trace.ts';
import {
  applyRulesPatch,
  checkHooks,
  currentSettingsVersion,
  newConnectionRules,
  readStoredRules,
} from '../crm/crm-settings.ts';
import type { CrmDelivery } from '../crm/deliver-call.ts';
import { installStates } from '../crm/install-state.ts';
import { recordingLinks, type RecordingLinks } from '../crm/recording-links.ts';
import { enqueueTypedJob } from '../jobs/job-kinds.ts';
import {
  conflictOnUniqueViolation,
  inTenantTransaction,
  notFoundError,
  tenantScope,
  type ServiceDeps,
  type TenantContext,
} from './service-context.ts';

/** A CRM outage of hours loses nothing: with the queue's backoff (capped at 1 h) this is about a day. */
const deliveryAttempts = 30;

export interface CrmServiceOptions {
  /** Where people and CRMs reach this installation (links to calls and recordings). */
  publicUrl: string;
  accounts?: CrmAccounts;
  /** Provod's own amoCRM integration (config `crm.amocrm`), for the install redirect. */
  amocrmApp?: AmoCrmApp;
}

export interface AmoCrmApp {
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
  /** Hosts or `.suffixes` a redirect may name as the account (the secret goes there). */
  readonly accountHosts: readonly string[];
}

/** Where amoCRM sends the browser back after the install (register it with the integration). */
export const amoInstallPath = '/api/v1/crm/amocrm/installed';
/** Where a Bitrix24 portal reports the local application's installation. */
export const bitrixInstallPath = '/api/v1/crm/bitrix24/installed';

/**
 * The account's address from the redirect's `referer` (amoCRM sends the bare host, e.g.
 * `company.amocrm.ru`), or null when the host is not one the configuration allows: the
 * code and Provod's client secret are sent there next.
 */
function accountUrl(referer: string, hosts: readonly string[]): string | null {
  const host = referer.trim().toLowerCase();
  if (!/^[a-z0-9.-]+(:\d{1,5})?$/.test(host)) return null;
  const hostname = host.split(':')[0] ?? '';
  const allowed = hosts.some((entry) =>
    entry.startsWith('.') ? hostname.endsWith(entry) : hostname === entry,
  );
  if (!allowed) return null;
  const local = hostname === '127.0.0.1' || hostname === 'localhost';
  return `${local ? 'http' : 'https'}://${host}`;
}

const kindOf = (record: CrmConnectionRecord): CrmKind =>
  record.kind === 'bitrix24' ? 'bitrix24' : 'amocrm';

function authTypeOf(record: CrmConnectionRecord): CrmConnection['authType'] {
  return record.authType === 'oauth' || record.authType === 'webhook'
    ? record.authType
    : 'long_lived_token';
}

function present(record: CrmConnectionRecord): CrmConnection {
  return {
    id: record.id,
    kind: kindOf(record),
    name: record.name,
    baseUrl: record.baseUrl,
    authType: authTypeOf(record),
    enabled: record.enabled,
    settingsVersion: currentSettingsVersion,
    rules: readStoredRules(kindOf(record), record.settingsVersion, record.settings),
    tokenExpiresAt: tokenExpiry(record),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/**
 * The tenant's CRM connections, and every call's way to them: a finished call is queued
 * for each enabled connection in the transaction that writes it to the call log, and the
 * `crm.deliver_call` job sends it (crm/deliver-call.ts).
 */
export function crmService(deps: ServiceDeps, options: CrmServiceOptions) {
  const accounts = options.accounts ?? crmAccounts();
  const links: RecordingLinks = recordingLinks(deps, options.publicUrl);
  const states = installStates(deps);
  const amoRedirectUri = `${options.publicUrl}${amoInstallPath}`;
  const amoApp = () => {
    const app = options.amocrmApp;
    if (app?.clientId === undefined || app.clientSecret === undefined)
      throw new ProvodError(
        'validation_failed',
        "Provod's amoCRM integration is not configured (crm.amocrm.clientId and clientSecret); connect with a code or a long-lived token instead",
      );
    return { clientId: app.clientId, clientSecret: app.clientSecret, hosts: app.accountHosts };
  };
  const delivery: CrmDelivery = {
    accounts,
    publicUrl: options.publicUrl,
    recordingLink: (tenantId, recordingId) => links.linkFor(tenantId, recordingId),
  };
  const read = (ctx: TenantContext) => crmConnectionRepository(tenantScope(deps, ctx), deps.clock);
  const notFound = (id: string) => notFoundError('CRM connection', id);
  const conflict = (name: string) =>
    new ProvodError('conflict', `a CRM connection named "${name}" already exists`);

  async function enqueueForCall(
    executor: Executor,
    tenantId: string,
    callId: string,
  ): Promise<string[]> {
    const scope = new TenantScope(executor, tenantId);
    const connections = await crmConnectionRepository(scope, deps.clock).list();
    const jobs: string[] = [];
    for (const connection of connections.filter((c) => c.enabled)) {
      jobs.push(
        await enqueueTypedJob(executor, deps.clock, {
          kind: 'crm.deliver_call',
          tenantId,
          payload: { connectionId: connection.id, callId },
          maxAttempts: deliveryAttempts,
        }),
      );
    }
    return jobs;
  }

  /** Swaps the install code for tokens (or checks the token or webhook) and reads the users. */
  async function install(fields: z.output<typeof crmConnectionCreateSchema>) {
    if (fields.kind === 'bitrix24') {
      const installed = await obtainBitrixCredentials(accounts, fields.baseUrl, fields.auth);
      return { ...installed, integration: bitrixApp(fields.auth) };
    }
    const installed = await obtainAmoCredentials(accounts, fields.baseUrl, fields.auth);
    const { auth } = fields;
    const integration =
      auth.type === 'oauth'
        ? {
            clientId: auth.clientId,
            clientSecret: auth.clientSecret,
            redirectUri: auth.redirectUri,
          }
        : null;
    return { ...installed, integration };
  }

  return {
    delivery,
    recordingLinks: links,
    enqueueForCall,

    list: async (ctx: TenantContext) => (await read(ctx).list()).map(present),

    async get(ctx: TenantContext, id: string): Promise<CrmConnection> {
      return present((await read(ctx).get(id)) ?? notFound(id));
    },

    /** Installs the integration (the code is swapped for tokens) before anything is saved. */
    async create(ctx: TenantContext, input: CrmConnectionCreate): Promise<CrmConnection> {
      const fields = crmConnectionCreateSchema.parse(input);
      if ((await read(ctx).list()).some((c) => c.name === fields.name)) throw conflict(fields.name);
      await checkHooks(fields.rules?.hooks);
      const installed = await install(fields);
      const firstUser = installed.users
        .filter((user) => user.isActive)
        .reduce<number | undefined>(
          (first, user) => Math.min(first ?? user.id, user.id),
          undefined,
        );
      if (fields.rules?.fallbackUserId === undefined && firstUser === undefined)
        throw new ProvodError(
          'validation_failed',
          `the ${fields.kind} account has no active user to be the fallback responsible; give rules.fallbackUserId`,
        );
      const rules = newConnectionRules(fields.kind, { fallbackUserId: firstUser, ...fields.rules });
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const created = await crmConnectionRepository(scope, deps.clock)
          .create({
            kind: fields.kind,
            name: fields.name,
            baseUrl: fields.baseUrl,
            authType: fields.auth.type,
            integration: installed.integration,
            credentials: installed.credentials,
            settings: rules,
            settingsVersion: currentSettingsVersion,
            enabled: fields.enabled,
          })
          .catch(conflictOnUniqueViolation(() => conflict(fields.name)));
        const shown = present(created);
        await record('create', 'crm_connection', created.id, null, shown);
        return shown;
      });
    },

    /**
     * Where to send the tenant's admin to install Provod's amoCRM integration: amoCRM's
     * consent page, which comes back to `amoInstallPath` with a code for this tenant.
     */
    async amoInstallLink(
      ctx: TenantContext,
      input: { name: string },
    ): Promise<{ url: string; redirectUri: string }> {
      const app = amoApp();
      if ((await read(ctx).list()).some((c) => c.name === input.name)) throw conflict(input.name);
      const query = new URLSearchParams({
        client_id: app.clientId,
        state: await states.issue(ctx.tenantId, input.name, 30 * 60),
        mode: 'post_message',
      });
      return {
        url: `https://www.amocrm.ru/oauth?${query.toString()}`,
        redirectUri: amoRedirectUri,
      };
    },

    /** The redirect back from amoCRM: the connection the signed `state` asked for, installed. */
    async completeAmoInstall(query: {
      code: string;
      referer: string;
      state: string;
    }): Promise<CrmConnection> {
      const app = amoApp();
      const request = await states.read(query.state);
      if (request === null)
        throw new ProvodError('not_found', 'no such install request (or it has expired)');
      const baseUrl = accountUrl(query.referer, app.hosts);
      if (baseUrl === null)
        throw new ProvodError('validation_failed', `${query.referer} is not an amoCRM account`, [
          { path: 'referer', message: 'not one of crm.amocrm.accountHosts' },
        ]);
      const ctx: TenantContext = {
        tenantId: request.tenantId,
        actor: { type: 'system', id: null },
        role: 'owner',
      };
      return this.create(ctx, {
        kind: 'amocrm',
        name: request.subject,
        baseUrl,
        auth: {
          type: 'oauth',
          clientId: app.clientId,
          clientSecret: app.clientSecret,
          redirectUri: amoRedirectUri,
          code: query.code,
        },
      });
    },

    /**
     * A Bitrix24 connection waiting for the portal: saved disabled, without tokens, and the
     * URL to set as the local application's install path (valid 7 days).
     */
    async bitrixInstallLink(
      ctx: TenantContext,
      input: Bitrix24InstallLink,
    ): Promise<{ connection: CrmConnection; installUrl: string }> {
      const fields = bitrix24InstallLinkSchema.parse(input);
      await checkHooks(fields.rules?.hooks);
      if ((await read(ctx).list()).some((c) => c.name === fields.name)) throw conflict(fields.name);
      const connection = await inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const created = await crmConnectionRepository(scope, deps.clock)
          .create({
            kind: 'bitrix24',
            name: fields.name,
            baseUrl: fields.baseUrl,
            authType: 'oauth',
            integration: {
              clientId: fields.clientId,
              clientSecret: fields.clientSecret,
              oauthUrl: fields.oauthUrl,
            },
            credentials: null,
            settings: newConnectionRules('bitrix24', fields.rules),
            settingsVersion: currentSettingsVersion,
            enabled: false,
          })
          .catch(conflictOnUniqueViolation(() => conflict(fields.name)));
        const shown = present(created);
        await record('create', 'crm_connection', created.id, null, shown);
        return shown;
      });
      const state = await states.issue(ctx.tenantId, connection.id, 7 * 24 * 3600);
      const installUrl = `${options.publicUrl}${bitrixInstallPath}?state=${encodeURIComponent(state)}`;
      return { connection, installUrl };
    },

    /** The portal's report of the installation: tokens kept, the connection enabled. */
    async completeBitrixInstall(
      state: string,
      installation: BitrixInstallation,
    ): Promise<CrmConnection> {
      const request = await states.read(state);
      if (request === null)
        throw new ProvodError('not_found', 'no such install request (or it has expired)');
      const ctx: TenantContext = {
        tenantId: request.tenantId,
        actor: { type: 'system', id: null },
        role: 'owner',
      };
      const pending = (await read(ctx).get(request.subject)) ?? notFound(request.subject);
      if (pending.kind !== 'bitrix24' || pending.credentials !== null)
        throw new ProvodError('conflict', `the connection "${pending.name}" is installed already`);
      if (new URL(pending.baseUrl).host !== installation.domain)
        throw new ProvodError(
          'validation_failed',
          `the installing portal ${installation.domain} is not ${pending.baseUrl}`,
          [{ path: 'DOMAIN', message: 'another portal' }],
        );
      const installed = await adoptBitrixInstallation(accounts, pending, installation);
      const rules = readStoredRules('bitrix24', pending.settingsVersion, pending.settings);
      const active = installed.users.filter((user) => user.isActive).map((user) => user.id);
      const fallbackUserId = active.includes(rules.fallbackUserId)
        ? rules.fallbackUserId
        : (active.sort((a, b) => a - b)[0] ?? rules.fallbackUserId);
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repository = crmConnectionRepository(scope, deps.clock);
        await repository.saveCredentials(pending.id, installed.credentials);
        const after =
          (await repository.update(pending.id, {
            enabled: true,
            settings: { ...rules, fallbackUserId },
          })) ?? notFound(pending.id);
        const shown = present(after);
        await record('install', 'crm_connection', pending.id, present(pending), shown);
        return shown;
      });
    },

    async update(ctx: TenantContext, id: string, input: CrmConnectionUpdate) {
      const patch = crmConnectionUpdateSchema.parse(input);
      await checkHooks(patch.rules?.hooks);
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repository = crmConnectionRepository(scope, deps.clock);
        const before = (await repository.get(id)) ?? notFound(id);
        const kind = kindOf(before);
        // The contract accepts either CRM's patch; the connection's own kind decides here.
        const rules = applyRulesPatch(
          kind,
          readStoredRules(kind, before.settingsVersion, before.settings),
          patch.rules,
        );
        const after =
          (await repository
            .update(id, {
              ...(patch.name === undefined ? {} : { name: patch.name }),
              ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
              settings: rules,
              settingsVersion: currentSettingsVersion,
            })
            .catch(conflictOnUniqueViolation(() => conflict(patch.name ?? before.name)))) ??
          notFound(id);
        const shown = present(after);
        await record('update', 'crm_connection', id, present(before), shown);
        return shown;
      });
    },

    async delete(ctx: TenantContext, id: string): Promise<void> {
      await inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repository = crmConnectionRepository(scope, deps.clock);
        const before = (await repository.get(id)) ?? notFound(id);
        await repository.delete(id);
        await record('delete', 'crm_connection', id, present(before), null);
      });
    },

    /** What the call sent to each CRM and why, attempt by attempt. */
    async callAttempts(ctx: TenantContext, callId: string): Promise<CrmCallAttempt[]> {
      const scope = tenantScope(deps, ctx);
      if ((await callRepository(scope, deps.clock).get(callId)) === undefined)
        notFoundError('call', callId);
      const names = new Map((await read(ctx).list()).map((c) => [c.id, c.name]));
      const attempts = await crmCallAttemptRepository(scope, deps.clock).forCall(callId);
      return attempts.map((attempt) => presentAttempt(attempt, names));
    },

    /**
     * Sends the call to the tenant's CRMs again. Steps already done are not repeated (the
     * CRM would get a second call); the new attempt's trace says which were done before.
     */
    async replay(ctx: TenantContext, callId: string): Promise<{ jobIds: string[] }> {
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const call = await callRepository(scope, deps.clock).get(callId);
        if (call === undefined || call.status === 'in_progress')
          notFoundError('finished call', callId);
        const jobIds = await enqueueForCall(scope.executor, ctx.tenantId, callId);
        await record('replay', 'crm_call', callId, null, { jobIds });
        return { jobIds };
      });
    },
  };
}

export type CrmService = ReturnType<typeof crmService>;
