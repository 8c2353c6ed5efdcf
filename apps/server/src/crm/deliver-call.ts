import {
  buildExtensionUserMap,
  runAmoCrmCall,
  runBitrix24Call,
  type CallLinks,
  type CallRecord,
  type CallTrace,
  type CrmFailure,
  type CrmUser,
  type ExtensionOwner,
  type HookSources,
  type ProcessedSteps,
  quickJsEngine,
} from '@provod/crm';
import {
  callRepository,
  crmCallAttemptRepository,
  crmConnectionRepository,
  crmStepRepository,
  extensionRepository,
  TenantScope,
  userRepository,
  type CrmConnectionRecord,
} from '@provod/db';
import type { Logger } from 'pino';
import { PermanentJobError, RetryLaterError } from '../jobs/job-worker.ts';
import type { ServiceDeps } from '../services/service-context.ts';
import { amoClientFor } from './amo-accounts.ts';
import { bitrixClientFor } from './bitrix-accounts.ts';
import type { CrmAccounts } from './crm-accounts.ts';
import { crmCallRecord } from './crm-call-record.ts';
import { readStoredRules } from './crm-settings.ts';
import type { SharedRecording } from './recording-links.ts';

export interface CrmDelivery {
  readonly accounts: CrmAccounts;
  /** Where people (and the CRM's users) reach this installation: links in CRM records. */
  readonly publicUrl: string;
  /** A link to a call's recording that works without a Provod login, or null. */
  readonly recordingLink: (
    tenantId: string,
    recordingId: string,
  ) => Promise<SharedRecording | null>;
}

export interface DeliverCallJob {
  readonly tenantId: string;
  readonly connectionId: string;
  readonly callId: string;
  readonly attempt: number;
}

const usersFreshMs = 10 * 60_000;

async function extensionOwners(scope: TenantScope, deps: ServiceDeps): Promise<ExtensionOwner[]> {
  const [extensions, users] = await Promise.all([
    extensionRepository(scope, deps.clock).list(),
    userRepository(scope, deps.clock).list(),
  ]);
  const emails = new Map(users.map((user) => [user.id, user.email]));
  return extensions.map((extension) => ({
    extension: extension.number,
    email: (extension.userId === null ? undefined : emails.get(extension.userId)) ?? null,
  }));
}

/**
 * The CRM's users, cached per connection. When the CRM cannot list them now, the call
 * goes on with the manual mapping and the fallback user rather than wait.
 */
async function crmUsers(
  deps: ServiceDeps,
  accounts: CrmAccounts,
  connectionId: string,
  listUsers: () => Promise<readonly CrmUser[]>,
  logger: Logger,
): Promise<readonly CrmUser[]> {
  const now = deps.clock().getTime();
  const cached = accounts.users.get(connectionId);
  if (cached !== undefined && now - cached.fetchedAtMs < usersFreshMs) return cached.users;
  try {
    const users = await listUsers();
    accounts.users.set(connectionId, { fetchedAtMs: now, users });
    return users;
  } catch (error) {
    logger.warn({ err: error, connectionId }, 'CRM users not listed; automatic matching skipped');
    return cached?.users ?? [];
  }
}

type CrmOutcome =
  | { readonly outcome: 'completed'; readonly trace: CallTrace }
  | { readonly outcome: 'failed'; readonly error: CrmFailure; readonly trace: CallTrace };

interface CallToSend {
  readonly call: CallRecord;
  readonly links: CallLinks;
  readonly processed: ProcessedSteps;
  readonly owners: readonly ExtensionOwner[];
}

/** The connection's own CRM: its client, its users, its rules and its pipeline. */
async function sendToCrm(
  deps: ServiceDeps,
  delivery: CrmDelivery,
  tenantId: string,
  connection: CrmConnectionRecord,
  send: CallToSend,
  logger: Logger,
): Promise<CrmOutcome> {
  const base = { call: send.call, connectionId: connection.id, processed: send.processed };
  const engineFor = async (hooks: HookSources) =>
    Object.values(hooks).some((source) => source.trim() !== '') ? quickJsEngine() : null;
  if (connection.kind === 'bitrix24') {
    const client = bitrixClientFor(deps, delivery.accounts, tenantId, connection);
    const rules = readStoredRules('bitrix24', connection.settingsVersion, connection.settings);
    // Bitrix24 users carry their extension (UF_PHONE_INNER): always worth reading.
    const users = await crmUsers(
      deps,
      delivery.accounts,
      connection.id,
      () => client.listUsers(),
      logger,
    );
    return runBitrix24Call({
      ...base,
      rules,
      hookEngine: await engineFor(rules.hooks),
      client,
      users: buildExtensionUserMap(send.owners, users, rules.extensionUsers),
      links: send.links,
    });
  }
  const client = amoClientFor(deps, delivery.accounts, tenantId, connection);
  const rules = readStoredRules('amocrm', connection.settingsVersion, connection.settings);
  const users = send.owners.some((owner) => owner.email !== null)
    ? await crmUsers(deps, delivery.accounts, connection.id, () => client.listUsers(), logger)
    : [];
  return runAmoCrmCall({
    ...base,
    rules,
    hookEngine: await engineFor(rules.hooks),
    client,
    users: buildExtensionUserMap(send.owners, users, rules.extensionUsers),
    links: send.links,
  });
}

/**
 * One delivery attempt of a finished call to one CRM connection (the `crm.deliver_call`
 * job). Every attempt's trace is stored, whatever its outcome. A failure the CRM may get
 * over (5xx, 429, QUERY_LIMIT_EXCEEDED, timeout, network) is retried by the job queue after
 * the delay the CRM asked for; one it will not (a refused field, revoked access) ends the
 * job. Steps an earlier attempt finished are not sent again (`crm_step_records`), so a
 * retried call is never registered twice.
 */
export async function deliverCallToCrm(
  deps: ServiceDeps,
  delivery: CrmDelivery,
  job: DeliverCallJob,
  logger: Logger,
): Promise<void> {
  const scope = new TenantScope(deps.database.db, job.tenantId);
  const connection = await crmConnectionRepository(scope, deps.clock).get(job.connectionId);
  if (connection === undefined || !connection.enabled) {
    logger.info(
      { connectionId: job.connectionId },
      'CRM connection gone or disabled; call skipped',
    );
    return;
  }
  const call = await callRepository(scope, deps.clock).get(job.callId);
  if (call === undefined) throw new PermanentJobError(`call ${job.callId} is not in the call log`);
  const recordingId = call.recordingIds[0];
  const recording =
    recordingId === undefined ? null : await delivery.recordingLink(job.tenantId, recordingId);
  const links: CallLinks = {
    recording: () => recording?.url ?? null,
    recordingFileName: () => recording?.fileName ?? null,
    callPage: () => `${delivery.publicUrl}/calls?call=${call.id}`,
  };
  const outcome = await sendToCrm(
    deps,
    delivery,
    job.tenantId,
    connection,
    {
      call: crmCallRecord(call),
      links,
      processed: crmStepRepository(scope, connection.id, deps.clock),
      owners: await extensionOwners(scope, deps),
    },
    logger,
  );
  await crmCallAttemptRepository(scope, deps.clock).add({
    connectionId: connection.id,
    callId: call.id,
    attempt: job.attempt,
    outcome: outcome.outcome,
    error: outcome.outcome === 'failed' ? `${outcome.error.code}: ${outcome.error.message}` : null,
    trace: outcome.trace,
  });
  if (outcome.outcome === 'completed') return;
  const { error } = outcome;
  const message = `${connection.kind} ${connection.name}: ${error.code}: ${error.message}`;
  if (error.retryable) throw new RetryLaterError(message, error.retryAfterMs);
  throw new PermanentJobError(message);
}
