import { readFileSync } from 'node:fs';
import { CallAssembler } from '../src/ami/assembler.ts';
import { parseTranscript } from '../src/ami/transcript.ts';
import type { CallRecord } from '../src/call-model.ts';

/** The CallRecord an AMI transcript in fixtures/ami assembles into (trunk and 3-digit extensions as in the assembler's tests). */
export function amiCall(name: string): CallRecord {
  const url = new URL(`./fixtures/ami/${name}`, import.meta.url);
  const calls: CallRecord[] = [];
  const assembler = new CallAssembler(
    {
      channels: { trunks: ['PJSIP/trunk-'], extensions: [/^PJSIP\/(?<ext>\d{3})-/] },
      nowMs: () => 0,
    },
    (call) => calls.push(call),
  );
  for (const event of parseTranscript(readFileSync(url, 'utf8'))) assembler.push(event);
  assembler.flush();
  const [call] = calls;
  if (call === undefined || calls.length !== 1)
    throw new Error(`${name} assembles into ${calls.length} calls, expected 1`);
  return call;
}
