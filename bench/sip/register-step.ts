/**
 * REGISTER steps: REGISTER → 401 → REGISTER with MD5 digest → 200, a new Call-ID and the
 * next of `extensionCount` users (from an injection file, `-inf`) for every call.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerScenario } from '../../apps/server/test/sipp/register-scenario.ts';
import { freePort } from '../../apps/server/test/free-port.ts';
import type { BenchedProvod } from './benched-provod.ts';
import { measureSippStep, type StepResult } from './sipp-step.ts';
import { runSeries } from './step-series.ts';

const extensionCount = 500;
const firstExtension = 2000;
const password = 'bench-register-secret';

export async function registerSeries(
  provod: BenchedProvod,
  dir: string,
  rates: readonly number[],
  seconds: number,
): Promise<StepResult[]> {
  const users: string[] = ['SEQUENTIAL'];
  for (let n = firstExtension; n < firstExtension + extensionCount; n++) {
    await provod.createExtension(String(n), password);
    users.push(`${n};${password};`);
  }
  const usersFile = join(dir, 'users.csv');
  writeFileSync(usersFile, `${users.join('\n')}\n`);
  const scenarioFile = join(dir, 'register.xml');
  writeFileSync(
    scenarioFile,
    registerScenario(
      '[field0]',
      provod.domain,
      200,
      '[authentication username="[field0]" password="[field1]"]',
    ),
  );
  // One port for every step, so each step refreshes the same contacts as phones do.
  const localPort = await freePort();

  provod.eventLoopNote(); // starts the measure afresh: creating the users is not a step
  const steps = await runSeries(
    `REGISTER through Provod (${extensionCount} users, ${seconds} s steps)`,
    rates,
    (rate) =>
      measureSippStep({
        dir,
        tag: `register-r${rate}`,
        remote: `127.0.0.1:${provod.sipPort}`,
        scenarioFile,
        // An aborted REGISTER has no dialog: no BYE for Provod to refuse.
        scenarioArgs: [
          '-inf',
          usersFile,
          '-p',
          String(localPort),
          '-default_behaviors',
          'all,-bye',
        ],
        rate,
        seconds,
        // One second's worth of calls in flight at most: beyond that Provod is behind.
        concurrency: rate,
        callSeconds: 0,
        system: provod.process,
      }),
    () => provod.eventLoopNote(),
  );
  console.log(
    `Extensions registered at the end: ${provod.registeredCount(firstExtension, extensionCount)} ` +
      `of ${extensionCount}.`,
  );
  return steps;
}
