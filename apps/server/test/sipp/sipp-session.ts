import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerScenario } from './register-scenario.ts';
import { runSipp } from './run-sipp.ts';

/** The Provod a sipp test talks to: its temp dir, SIP port and extension passwords. */
interface SippTarget {
  readonly dir: string;
  readonly sipPort: number;
  sipPasswordOf(extension: string): string;
}

/**
 * What every sipp test against a Provod needs: scenario files in the test's temp dir, the
 * arguments every run shares (address, local port, one call, a timeout, errors logged in
 * the temp dir) and a phone registered from the port its UAS will listen on.
 */
export function sippSession(provod: SippTarget, domain: string, timeout = '30s') {
  const scenario = (name: string, xml: string): string => {
    const path = join(provod.dir, `${name}.xml`);
    writeFileSync(path, xml);
    return path;
  };
  const args = (port: number, name: string, address = '127.0.0.1'): string[] => [
    '-i',
    address,
    '-p',
    String(port),
    '-m',
    '1',
    '-timeout',
    timeout,
    '-nostdin',
    '-trace_err',
    '-error_file',
    join(provod.dir, `${name}-errors.log`),
  ];
  return {
    scenario,
    args,
    /** Registers `extension` from `port`; throws with sipp's output when that fails. */
    async register(extension: string, port: number): Promise<void> {
      const run = await runSipp([
        `127.0.0.1:${provod.sipPort}`,
        '-sf',
        scenario(`register-${extension}`, registerScenario(extension, domain, 200)),
        '-au',
        extension,
        '-ap',
        provod.sipPasswordOf(extension),
        ...args(port, `register-${extension}`),
      ]);
      if (run.code !== 0) throw new Error(`registering ${extension} failed:\n${run.output}`);
    },
  };
}
