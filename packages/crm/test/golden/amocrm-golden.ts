import { createAmoCrmSandbox, SandboxClock, type AmoCrmSandbox } from '@provod/crm-sandbox';
import { AmoCrmClient } from '../../src/amocrm/client.ts';
import { AmoConnection } from '../../src/amocrm/connection.ts';
import { RequestPacer } from '../../src/http/pacer.ts';
import { MemoryTokenStore } from '../../src/http/token-store.ts';
import type { CallRecord } from '../../src/call-model.ts';
import { runAmoCrmCall } from '../../src/connector/amocrm/pipeline.ts';
import { buildExtensionUserMap } from '../../src/connector/responsible.ts';
import { defaultAmoCrmRules, type AmoCrmRules } from '../../src/connector/rules.ts';
import type { CallLinks } from '../../src/connector/links.ts';
import { MemoryProcessedSteps } from '../../src/connector/steps.ts';
import { integration, sandboxDrivenClock, type InFlight } from '../amocrm-sandbox.ts';
import { engineFor, recordingTransport, replayRuns, resolveNames } from './golden-harness.ts';
import type { GoldenRequest, GoldenResult, Scenario, SettingsSet } from './scenario.ts';

/** Every scenario's account has the same employees: 101 is Olga, 102 is Ivan (by e-mail). */
const employees = [
  { name: 'Ольга', email: 'olga@example.com' },
  { name: 'Иван', email: 'ivan@example.com' },
];
const extensionOwners = [
  { extension: '101', email: 'olga@example.com' },
  { extension: '102', email: 'ivan@example.com' },
];

const links: CallLinks = {
  recording: (call) =>
    call.recordingFile === null
      ? null
      : `https://pbx.example/recordings/${encodeURIComponent(call.recordingFile)}`,
  callPage: (call) => `https://pbx.example/calls?call=${call.id}`,
};

async function openAccount(scenario: Scenario) {
  const sandbox: AmoCrmSandbox = createAmoCrmSandbox({
    clock: SandboxClock.frozenAt(Date.UTC(2024, 2, 12, 18, 0, 0)),
  });
  const url = await sandbox.listen(0, '127.0.0.1');
  const names = new Map<string, number>([['@admin', sandbox.state.defaultUserId()]]);
  const [olga, ivan] = sandbox.seed({ users: employees }).users;
  if (olga === undefined || ivan === undefined) throw new Error('employees not seeded');
  names.set('@olga', olga).set('@ivan', ivan);
  const { contacts = [], companies = [], leads = [] } = scenario.seed ?? {};
  const seeded = sandbox.seed(
    resolveNames({ contacts, companies }, names) as Parameters<AmoCrmSandbox['seed']>[0],
  );
  seeded.contacts.forEach((id, index) => names.set(`@contact${index}`, id));
  seeded.companies.forEach((id, index) => names.set(`@company${index}`, id));
  sandbox.seed({ leads: resolveNames(leads, names) } as Parameters<AmoCrmSandbox['seed']>[0]);
  return { sandbox, url, names };
}

/** One scenario against a fresh amoCRM sandbox: every request the connector sent, in order. */
export async function runAmoCrmScenario(
  scenario: Scenario,
  settings: SettingsSet,
  call: CallRecord,
): Promise<GoldenResult> {
  const { sandbox, url, names } = await openAccount(scenario);
  try {
    const inFlight: InFlight = { count: 0 };
    const clock = sandboxDrivenClock(sandbox, inFlight);
    const requests: GoldenRequest[] = [];
    const connection = new AmoConnection({
      baseUrl: url,
      integration,
      tokens: new MemoryTokenStore(),
      pacer: new RequestPacer(clock, { perSecond: 7, marginMs: 0 }),
      clock,
      transport: recordingTransport(requests, inFlight, (url) => ({
        path: `${url.pathname}${url.search}`,
        secret: url.pathname.startsWith('/oauth2/'),
      })),
      timeoutMs: 5_000,
    });
    await connection.install(sandbox.install(integration));
    const client = new AmoCrmClient(connection);
    const rules = resolveNames(
      {
        ...defaultAmoCrmRules,
        fallbackUserId: '@admin',
        ...settings.rules,
        callTypes: {
          ...defaultAmoCrmRules.callTypes,
          ...settings.rules.callTypes,
        },
      },
      names,
    ) as AmoCrmRules;
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
      runAmoCrmCall({
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
    await sandbox.close();
  }
}
