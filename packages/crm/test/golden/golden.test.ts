import { describe, expect, it } from 'vitest';
import { runAmoCrmScenario } from './amocrm-golden.ts';
import { runBitrix24Scenario } from './bitrix24-golden.ts';
import { scenarioCall, scenarios, settingsSets, writeExpected, type Scenario } from './scenario.ts';

const updating = process.env.GOLDEN_UPDATE === '1';
const sets = settingsSets();

describe('golden CRM requests', () => {
  for (const [name, scenario] of scenarios()) {
    it(`${name}: ${scenario.description}`, async () => {
      const settings = sets.get(scenario.settings);
      if (settings === undefined) throw new Error(`no settings set "${scenario.settings}"`);
      const run = settings.crm === 'bitrix24' ? runBitrix24Scenario : runAmoCrmScenario;
      const actual = await run(scenario, settings, scenarioCall(scenario));
      if (updating) {
        writeExpected(name, scenario, actual);
        return;
      }
      if (scenario.expected === undefined)
        throw new Error(`${name} has no expected requests: run with GOLDEN_UPDATE=1 and review`);
      // Runs first: a different ending explains a different request list.
      expect(actual.runs, `${name}: how the runs ended`).toEqual(scenario.expected.runs);
      expect(actual.requests, `${name}: the requests, in order`).toEqual(
        scenario.expected.requests,
      );
    });
  }

  it('has at least 8 settings sets and 40 scenarios, across both CRMs', () => {
    const all = [...scenarios().values()];
    expect(sets.size).toBeGreaterThanOrEqual(8);
    expect(all.length).toBeGreaterThanOrEqual(40);
    const crmOf = (scenario: Scenario) => sets.get(scenario.settings)?.crm;
    expect(new Set(all.map(crmOf))).toEqual(new Set(['amocrm', 'bitrix24']));
  });

  it('uses every settings set in some scenario', () => {
    const used = new Set([...scenarios().values()].map((scenario) => scenario.settings));
    expect([...sets.keys()].filter((set) => !used.has(set))).toEqual([]);
  });
});
