import { spawn, type ChildProcess } from 'node:child_process';

export interface SippRun {
  code: number | null;
  output: string;
}

export interface RunningSipp {
  readonly child: ChildProcess;
  /** Resolves when sipp exits (or is killed at the deadline). */
  readonly done: Promise<SippRun>;
}

/** Starts sipp (Debian sip-tester) and collects its output; killed after `deadlineMs`. */
export function startSipp(args: readonly string[], deadlineMs = 20_000): RunningSipp {
  let output = '';
  const child = spawn('sipp', [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<SippRun>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
  return { child, done };
}

export function runSipp(args: readonly string[], deadlineMs?: number): Promise<SippRun> {
  return startSipp(args, deadlineMs).done;
}
