import type { ForwardTarget } from '@provod/contracts';
import { follow, type CallEnd, type NodeContext, type NodeHandler } from '../node-handler.ts';
import type { RoutingExtension } from '../routing-context.ts';

/** How ringing an extension ended: reached (the call ends there) or not, and why. */
export type ExtensionRing =
  | { readonly reached: true; readonly end: CallEnd; readonly note: string }
  | {
      readonly reached: false;
      readonly reason: 'busy' | 'no_answer' | 'unreachable' | 'do_not_disturb' | 'unknown';
      readonly note: string;
    };

export interface ExtensionRingOptions {
  readonly timeoutSeconds: number;
  readonly followForwarding: boolean;
}

/**
 * Rings one extension the way its owner set it up (packages/contracts/src/extension.ts,
 * rules in the order a PBX checks them): unconditional forwarding first; do-not-disturb
 * counts as busy; no registered phone is unreachable; then the phones ring, for the
 * no-answer rule's `afterSeconds` when that is shorter than the node's timeout (else the
 * node's timeout runs out first and the node's own no-answer edge wins).
 */
export async function ringExtension(
  ctx: NodeContext,
  number: string,
  options: ExtensionRingOptions,
): Promise<ExtensionRing> {
  const extension = ctx.tenant.extension(number);
  if (extension === undefined) {
    return { reached: false, reason: 'unknown', note: `extension ${number} does not exist` };
  }
  const rules = options.followForwarding ? extension.forwarding : undefined;
  if (rules?.unconditional)
    return forwardTo(ctx, extension, rules.unconditional, 'always', options);
  if (extension.doNotDisturb) {
    return rules?.busy
      ? forwardTo(ctx, extension, rules.busy, 'do not disturb (as busy)', options)
      : { reached: false, reason: 'do_not_disturb', note: `${number} is on do-not-disturb` };
  }
  if (!ctx.tenant.isRegistered(number)) {
    return rules?.unreachable
      ? forwardTo(ctx, extension, rules.unreachable, 'not registered', options)
      : { reached: false, reason: 'unreachable', note: `${number} has no registered phone` };
  }
  const noAnswerRule =
    rules?.noAnswer && rules.noAnswer.afterSeconds <= options.timeoutSeconds
      ? rules.noAnswer
      : undefined;
  const seconds = noAnswerRule?.afterSeconds ?? options.timeoutSeconds;
  const outcome = await ctx.actions.ring([{ kind: 'extension', number }], seconds);
  switch (outcome.kind) {
    case 'answered':
      return { reached: true, end: { kind: 'answered', by: number }, note: `${number} answered` };
    case 'busy':
      return rules?.busy
        ? forwardTo(ctx, extension, rules.busy, 'busy', options)
        : { reached: false, reason: 'busy', note: `${number} is busy` };
    case 'unreachable':
      return rules?.unreachable
        ? forwardTo(ctx, extension, rules.unreachable, 'unreachable', options)
        : { reached: false, reason: 'unreachable', note: `${number} is unreachable` };
    case 'no_answer':
      return noAnswerRule
        ? forwardTo(ctx, extension, noAnswerRule.target, `no answer in ${seconds} s`, options)
        : { reached: false, reason: 'no_answer', note: `${number} did not answer in ${seconds} s` };
  }
}

/**
 * One hop of forwarding. A forwarded-to extension rings with its do-not-disturb and
 * registration respected but not its own forwarding, so two extensions forwarding to
 * each other cannot bounce a call between them.
 */
async function forwardTo(
  ctx: NodeContext,
  owner: RoutingExtension,
  target: ForwardTarget,
  why: string,
  options: ExtensionRingOptions,
): Promise<ExtensionRing> {
  const prefix = `${owner.number} forwards (${why}) to`;
  switch (target.kind) {
    case 'voicemail': {
      await ctx.provide('answered');
      const message = await ctx.actions.recordVoicemail({
        mailbox: owner.number,
        greeting: null,
        maxSeconds: 120,
      });
      const recorded = message.kind === 'recorded';
      return {
        reached: true,
        end: { kind: 'voicemail', mailbox: owner.number, recorded },
        note: `${prefix} voicemail${recorded ? '' : ': no message left'}`,
      };
    }
    case 'extension': {
      const hop = await ringExtension(ctx, target.number, { ...options, followForwarding: false });
      return { ...hop, note: `${prefix} ${target.number}: ${hop.note}` };
    }
    case 'external': {
      const outcome = await ctx.actions.forward(target.number, {
        timeoutSeconds: options.timeoutSeconds,
        callerId: 'caller',
      });
      if (outcome.kind === 'answered') {
        return {
          reached: true,
          end: { kind: 'forwarded', number: target.number, answeredBy: outcome.by },
          note: `${prefix} ${target.number}: answered`,
        };
      }
      const reason = outcome.kind;
      return { reached: false, reason, note: `${prefix} ${target.number}: ${reason}` };
    }
  }
}

/** docs/routing-schemes.md, extension: one number, its own forwarding rules, `noAnswer`. */
export const extensionHandler: NodeHandler<'extension'> = {
  needs: () => 'nothing',
  async run(node, ctx) {
    const ring = await ringExtension(ctx, node.number, node);
    if (ring.reached) return { outcome: ring.end.kind, note: ring.note, end: ring.end };
    return follow(node.noAnswer, ring.reason, ring.note);
  },
};
