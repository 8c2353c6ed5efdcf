import type { RoutingNodeOf } from '@provod/contracts';
import {
  follow,
  hungUp,
  type NodeContext,
  type NodeHandler,
  type NodeStep,
} from '../node-handler.ts';
import { ringExtension } from './extension.ts';

type IvrNode = RoutingNodeOf<'ivr'>;

/** Ringing time of an extension reached by direct dial: the extension node's default. */
const directDialTimeoutSeconds = 30;

/**
 * docs/routing-schemes.md, ivr: the prompt plays and waits for keys; after no key or a
 * wrong key it replays, `retries` times, then the `timeout` or `invalid` edge is taken —
 * whichever the last attempt ended with (`invalid: null` acts as timeout).
 */
export const ivrHandler: NodeHandler<'ivr'> = {
  needs: () => 'answered',
  async run(node, ctx) {
    const heard: string[] = [];
    let last: 'timeout' | 'invalid' = 'timeout';
    for (let attempt = 0; attempt <= node.retries; attempt++) {
      const keyed = await ctx.actions.collectDigits({
        prompt: node.prompt,
        timeoutSeconds: node.timeoutSeconds,
        maxDigits: maxDigitsOf(node),
      });
      if (keyed.kind === 'timeout') {
        heard.push('no key');
        last = 'timeout';
        continue;
      }
      const { digits } = keyed;
      const next = node.digits[digits];
      if (next !== undefined) {
        return { outcome: `digit ${digits}`, note: said(heard, `key ${digits}`), next };
      }
      if (mayDirectDial(node, ctx, digits)) return directDial(ctx, digits, heard);
      heard.push(`key ${digits} (invalid)`);
      last = 'invalid';
      if (node.invalidPrompt !== null) await ctx.actions.playPrompt(node.invalidPrompt);
    }
    if (last === 'invalid' && node.invalid !== null) {
      return { outcome: 'invalid', note: said(heard, 'no valid key'), next: node.invalid };
    }
    return follow(node.timeout, last, said(heard, 'retries used up'));
  },
};

/** One key for a plain menu; with direct dial, as many as the longest extension dialled. */
function maxDigitsOf(node: IvrNode): number {
  if (!node.directDial.enabled) return 1;
  const allowed = node.directDial.extensions;
  return allowed.length === 0 ? 6 : Math.max(1, ...allowed.map((n) => n.length));
}

function mayDirectDial(node: IvrNode, ctx: NodeContext, digits: string): boolean {
  if (!node.directDial.enabled) return false;
  const allowed = node.directDial.extensions;
  if (allowed.length > 0 && !allowed.includes(digits)) return false;
  return ctx.tenant.extension(digits) !== undefined;
}

/**
 * The dialled extension rings as an extension node with defaults would (its forwarding
 * applies); unanswered, the caller reaches its voicemail when the extension keeps one,
 * else the call ends — the menu has no edge for it.
 */
async function directDial(ctx: NodeContext, number: string, heard: string[]): Promise<NodeStep> {
  const outcome = `direct dial ${number}`;
  const ring = await ringExtension(ctx, number, {
    timeoutSeconds: directDialTimeoutSeconds,
    followForwarding: true,
  });
  const note = said(heard, `dialled ${number}: ${ring.note}`);
  if (ring.reached) return { outcome, note, end: ring.end };
  if (ctx.tenant.extension(number)?.voicemailEnabled === true) {
    const message = await ctx.actions.recordVoicemail({
      mailbox: number,
      greeting: null,
      maxSeconds: 120,
    });
    const recorded = message.kind === 'recorded';
    return {
      outcome,
      note: `${note}; voicemail ${number}`,
      end: { kind: 'voicemail', mailbox: number, recorded },
    };
  }
  return { outcome, note: `${note}; no voicemail: hang up`, end: hungUp('normal') };
}

function said(heard: readonly string[], last: string): string {
  return [...heard, last].join(', ');
}
