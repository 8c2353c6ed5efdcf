import type { RoutingNodeOf } from '@provod/contracts';
import { follow, type NodeContext, type NodeHandler } from '../node-handler.ts';
import type { RingTarget } from '../routing-context.ts';

type Member = RoutingNodeOf<'ring_group'>['members'][number];

/**
 * docs/routing-schemes.md, ring_group: members ring together for `timeoutSeconds`, or one
 * after another for each member's own timeout. A group rings phones directly: members'
 * forwarding rules do not apply (the call would leave the group for one member's
 * choice), but a member on do-not-disturb or without a registered phone is skipped.
 */
export const ringGroupHandler: NodeHandler<'ring_group'> = {
  needs: () => 'nothing',
  async run(node, ctx) {
    const skipped: string[] = [];
    const members = node.members.filter((member) => {
      const why = skipReason(ctx, member);
      if (why !== undefined) skipped.push(`${member.number} ${why}`);
      return why === undefined;
    });
    const notes = skipped.length > 0 ? [`skipped ${skipped.join(', ')}`] : [];

    if (node.strategy === 'simultaneous') {
      if (members.length > 0) {
        const rung = members.map((m) => m.number).join(', ');
        const outcome = await ctx.actions.ring(members.map(targetOf), node.timeoutSeconds);
        if (outcome.kind === 'answered') {
          notes.push(`rang ${rung} together: ${outcome.by} answered`);
          return { outcome: 'answered', note: notes.join('; '), end: outcome };
        }
        notes.push(`rang ${rung} together for ${node.timeoutSeconds} s: ${outcome.kind}`);
      }
      return follow(node.noAnswer, 'no_answer', notes.join('; ') || 'nobody to ring');
    }

    for (const member of members) {
      const outcome = await ctx.actions.ring([targetOf(member)], member.timeoutSeconds);
      if (outcome.kind === 'answered') {
        notes.push(`${member.number} answered`);
        return { outcome: 'answered', note: notes.join('; '), end: outcome };
      }
      notes.push(`${member.number}: ${outcome.kind}`);
    }
    return follow(node.noAnswer, 'no_answer', notes.join('; ') || 'nobody to ring');
  },
};

function targetOf(member: Member): RingTarget {
  return member.number.startsWith('+')
    ? { kind: 'external', number: member.number }
    : { kind: 'extension', number: member.number };
}

function skipReason(ctx: NodeContext, member: Member): string | undefined {
  if (member.number.startsWith('+')) return undefined;
  const extension = ctx.tenant.extension(member.number);
  if (extension === undefined) return '(no such extension)';
  if (extension.doNotDisturb) return '(do not disturb)';
  if (!ctx.tenant.isRegistered(member.number)) return '(not registered)';
  return undefined;
}
