import {
  createBitrix24Sandbox,
  defaultSandboxApp,
  SandboxClock,
  type Bitrix24Sandbox,
} from '@provod/crm-sandbox';
import { Bitrix24Client } from '../../src/bitrix24/client.ts';
import { Bitrix24Connection } from '../../src/bitrix24/connection.ts';
import type { BitrixCredentials } from '../../src/bitrix24/tokens.ts';
import type { CallRecord } from '../../src/call-model.ts';
import { runBitrix24Call } from '../../src/connector/bitrix24/pipeline.ts';
import { defaultBitrix24Rules, type Bitrix24Rules } from '../../src/connector/bitrix24/rules.ts';
import { buildExtensionUserMap } from '../../src/connector/responsible.ts';
import type { CallLinks } from '../../src/connector/links.ts';
import { MemoryProcessedSteps } from '../../src/connector/steps.ts';
import { LeakyBucketPacer } from '../../src/http/leaky-bucket-pacer.ts';
import { MemoryTokenStore } from '../../src/http/token-store.ts';
import type { InFlight } from '../amocrm-sandbox.ts';
import { bitrixDrivenClock, sandboxApp } from '../bitrix24-sandbox.ts';
import { engineFor, recordingTransport, replayRuns, resolveNames } from './golden-harness.ts';
import type { GoldenRequest, GoldenResult, Scenario, SettingsSet } from './scenario.ts';

/**
 * Every scenario's portal has the same people: Admin (1), Olga (2, inner phone 101) and
 * Ivan (3, no inner phone: matched to extension 102 by e-mail).
 */
const portalUsers = [
  { ID: 1, NAME: 'Admin', EMAIL: 'admin@example.com', IS_ADMIN: true },
  { ID: 2, NAME: 'Ольга', EMAIL: 'olga@example.com', UF_PHONE_INNER: '101' },
  { ID: 3, NAME: 'Иван', EMAIL: 'ivan@example.com' },
];
const names = new Map([
  ['@admin', 1],
  ['@olga', 2],
  ['@ivan', 3],
]);
const extensionOwners = [
  { extension: '101', email: null },
  { extension: '102', email: 'ivan@example.com' },
];

const links: CallLinks = {
  recording: (call) =>
    call.recordingFile === null
      ? null
      : `https://pbx.example/recordings/${encodeURIComponent(call.recordingFile)}`,
  callPage: (call) => `https://pbx.example/calls?call=${call.id}`,
  recordingFileName: (call) => call.recordingFile,
};

function seedPortal(sandbox: Bitrix24Sandbox, scenario: Scenario, known: Map<string, number>) {
  const { contacts = [] } = scenario.seed ?? {};
  contacts.forEach((fields, index) => {
    const record = sandbox.seedContact(
      resolveNames(fields, known) as Parameters<Bitrix24Sandbox['seedContact']>[0],
    );
    known.set(`@contact${index}`, record.ID);
  });
}

/** One scenario against a fresh Bitrix24 sandbox: every request the connector sent, in order. */
export async function runBitrix24Scenario(
  scenario: Scenario,
  settings: SettingsSet,
  call: CallRecord,
): Promise<GoldenResult> {
  const sandbox = createBitrix24Sandbox({
    clock: SandboxClock.frozenAt(Date.UTC(2024, 2, 12, 18, 0, 0)),
    users: portalUsers,
  });
  const url = await sandbox.app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const known = new Map(names);
    seedPortal(sandbox, scenario, known);
    const inFlight: InFlight = { count: 0 };
    const clock = bitrixDrivenClock(sandbox, inFlight);
    const requests: GoldenRequest[] = [];
    const connection = new Bitrix24Connection({
      baseUrl: url,
      app: sandboxApp(url),
      tokens: new MemoryTokenStore<BitrixCredentials>(),
      pacer: new LeakyBucketPacer(clock),
      clock,
      // The access token rides in the query: the golden path is the method alone.
      transport: recordingTransport(requests, inFlight, (target) => ({
        path: target.pathname,
        secret: target.pathname.startsWith('/oauth/'),
      })),
      timeoutMs: 5_000,
    });
    await connection.install(sandbox.authorize(defaultSandboxApp.clientId, 1));
    const client = new Bitrix24Client(connection);
    for (const [index, fields] of (scenario.seed?.leads ?? []).entries()) {
      const { result } = await connection.call('crm.lead.add', {
        fields: resolveNames(fields, known),
      });
      known.set(`@lead${index}`, Number(result));
    }
    const rules = resolveNames(
      {
        ...defaultBitrix24Rules,
        ...settings.rules,
        callTypes: { ...defaultBitrix24Rules.callTypes, ...settings.rules.callTypes },
      },
      known,
    ) as Bitrix24Rules;
    const users = buildExtensionUserMap(
      extensionOwners,
      await client.listUsers(),
      rules.extensionUsers,
    );
    requests.length = 0;
    for (const rule of scenario.faults ?? []) sandbox.faults.add(rule);
    const processed = new MemoryProcessedSteps();
    const hookEngine = await engineFor(rules.hooks);
    const runs = await replayRuns(() =>
      runBitrix24Call({
        call,
        rules,
        connectionId: 'golden',
        client,
        processed,
        users,
        links,
        hookEngine,
      }),
    );
    return { runs, requests };
  } finally {
    await sandbox.app.close();
  }
}
