import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { FaultRule } from '@provod/crm-sandbox';
import type { CallRecord } from '../../src/call-model.ts';
import { amiCall } from '../ami-calls.ts';

/**
 * The golden-request test system (seed 000's TestSystem, for Provod's connector): a
 * scenario is a call (an AMI transcript or a Provod PBX call record), a settings set, the
 * CRM account's state before the call and the faults the CRM shows; its `expected` part is
 * the list of requests the connector must send, in order, with their bodies, and how each
 * run of the pipeline ended. `GOLDEN_UPDATE=1` rewrites `expected` from what the connector
 * does now — review the diff before committing it.
 */
export interface SettingsSet {
  readonly description: string;
  readonly crm: 'amocrm' | 'bitrix24';
  /** Over the connector's defaults; `"@olga"`-style names stand for user ids. */
  readonly rules: Record<string, unknown> & { callTypes?: Record<string, unknown> };
}

export interface Scenario {
  readonly description: string;
  readonly settings: string;
  readonly call:
    | { readonly ami: string }
    /** A Provod call: fields over `basePbxCall` (an inbound call 101 answered). */
    | { readonly pbx: Partial<CallRecord> };
  readonly seed?: {
    readonly contacts?: readonly unknown[];
    readonly companies?: readonly unknown[];
    readonly leads?: readonly unknown[];
  };
  readonly faults?: readonly FaultRule[];
  readonly expected?: GoldenResult;
}

export interface GoldenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  /** The CRM's answer; null when none came. */
  readonly status: number | null;
}

export interface GoldenResult {
  /** Each run of the pipeline (the job queue's retries): how it ended, step by step. */
  readonly runs: readonly string[];
  readonly requests: readonly GoldenRequest[];
}

const basePbxCall: CallRecord = {
  id: 'pbx-call-1',
  source: 'provod_pbx',
  direction: 'inbound',
  callerNumber: '+79261112233',
  calledNumber: '74951234567',
  trunk: null,
  extensionsRung: ['101'],
  answeredBy: '101',
  startedAt: '2024-03-12T08:00:00.000Z',
  answeredAt: '2024-03-12T08:00:10.000Z',
  endedAt: '2024-03-12T08:01:10.000Z',
  durationSeconds: 70,
  talkSeconds: 60,
  result: 'answered',
  hangupCause: null,
  transfers: [],
  recordingFile: null,
};

export function scenarioCall(scenario: Scenario): CallRecord {
  return 'ami' in scenario.call
    ? amiCall(scenario.call.ami)
    : { ...basePbxCall, ...scenario.call.pbx };
}

const here = new URL('./', import.meta.url);

function readJsonFiles<T>(folder: string): Map<string, T> {
  const directory = new URL(`${folder}/`, here);
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort();
  return new Map(
    files.map((name) => [
      name.replace(/\.json$/, ''),
      JSON.parse(readFileSync(new URL(name, directory), 'utf8')) as T,
    ]),
  );
}

export const settingsSets = (): Map<string, SettingsSet> => readJsonFiles('settings');
export const scenarios = (): Map<string, Scenario> => readJsonFiles('scenarios');

export function writeExpected(name: string, scenario: Scenario, expected: GoldenResult): void {
  const file = new URL(`scenarios/${name}.json`, here);
  writeFileSync(file, `${JSON.stringify({ ...scenario, expected }, null, 2)}\n`);
}
