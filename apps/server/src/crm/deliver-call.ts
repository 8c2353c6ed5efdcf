import {
  buildExtensionUserMap,
  runAmoCrmCall,
  type AmoCallOutcome,
  type AmoCrmClient,
  type AmoUser,
  type CallLinks,
  type ExtensionOwner,
} from '@provod/crm';
import {
  callRepository,
  crmCallAttemptRepository,
  crmConnectionRepository,
  crmStepRepository,
  extensionRepository,
  TenantScope,
  userRepository,
} from '@provod/db';
import type { Logger } from 'pino';
import { PermanentJobError, RetryLaterError } from '../jobs/job-worker.ts';
import type { ServiceDeps } from '../services/service-context.ts';
import { amoClientFor, type AmoAccounts } from './amo-accounts.ts';
import { crmCallRecord } from './crm-call-record.ts';
import { readStoredRules } from './crm-settings.ts';

export interface CrmDelivery {
  readonly accounts: AmoAccounts;
  /** Where people (and the CRM's users) reach this installation: links in CRM records. */
  readonly publicUrl: string;
  /** A link to a call's recording that works without a Provod login, or null. */
  readonly recordingLink: (tenantId: string, recordingId: string) => Promise<string | null>;
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
 * The account's users, cached per connection. When amoCRM cannot list them now, the call
 * goes on with the manual mapping and the fallback user rather than wait.
 */
async function accountUsers(
  deps: ServiceDeps,
  accounts: AmoAccounts,
  connectionId: string,
  client: AmoCrmClient,
  logger: Logger,
): Promise<AmoUser[]> {
  const now = deps.clock().getTime();
  const cached = accounts.users.get(connectionId);
  if (cached !== undefined && now - cached.fetchedAtMs < usersFreshMs) return cached.users;
  try {
    const users = await client.listUsers();
    accounts.users.set(connectionId, { fetchedAtMs: now, users });
    return users;
  } catch (error) {
    logger.warn({ err: error, connectionId }, 'amoCRM users not listed; e-mail matching skipped');
    return cached?.users ?? [];
  }
}

/**
 * One delivery attempt of a finished call to one CRM connection (the `crm.deliver_call`
 * job). Every attempt's trace is stored, whatever its outcome. A failure amoCRM may get
 * over (5xx, 429, timeout, network) is retried by the job queue after the delay amoCRM
 * asked for; one it will not (a refused field, revoked access) ends the job. Steps an
 * earlier attempt finished are not sent again (the connector's ProcessedSteps, here
 * `crm_step_records`), so a retried call is never registered twice.
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
  const rules = readStoredRules(connection.settingsVersion, connection.settings);
  const client = amoClientFor(deps, delivery.accounts, job.tenantId, connection);

  const owners = await extensionOwners(scope, deps);
  const amoUsers = owners.some((owner) => owner.email !== null)
    ? await accountUsers(deps, delivery.accounts, connection.id, client, logger)
    : [];
  const recordingId = call.recordingIds[0];
  const recording =
    recordingId === undefined ? null : await delivery.recordingLink(job.tenantId, recordingId);
  const links: CallLinks = {
    recording: () => recording,
    callPage: () => `${delivery.publicUrl}/calls?call=${call.id}`,
  };

  const outcome: AmoCallOutcome = await runAmoCrmCall({
    call: crmCallRecord(call),
    rules,
    connectionId: connection.id,
    client,
    processed: crmStepRepository(scope, connection.id, deps.clock),
    users: buildExtensionUserMap(owners, amoUsers, rules.extensionUsers),
    links,
  });
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
  const message = `amoCRM ${connection.name}: ${error.code}: ${error.message}`;
  if (error.retryable) throw new RetryLaterError(message, error.retryAfterMs);
  throw new PermanentJobError(message);
}
