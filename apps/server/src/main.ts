import { runCli } from './cli/cli.ts';

const exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  env: process.env,
  cwd: process.cwd(),
});
// `start` keeps running on its open server; other commands end here.
if (exitCode !== 0) process.exit(exitCode);
