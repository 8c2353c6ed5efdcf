import { hungUp, type NodeHandler } from '../node-handler.ts';

/** docs/routing-schemes.md, forward: an external number through the trunk; ends the scheme. */
export const forwardHandler: NodeHandler<'forward'> = {
  needs: () => 'nothing',
  async run(node, ctx) {
    const outcome = await ctx.actions.forward(node.number, {
      timeoutSeconds: node.timeoutSeconds,
      callerId: node.callerId,
    });
    if (outcome.kind === 'answered') {
      return {
        outcome: 'answered',
        note: `${node.number} answered`,
        end: { kind: 'forwarded', number: node.number, answeredBy: outcome.by },
      };
    }
    return {
      outcome: outcome.kind,
      note: `${node.number}: ${outcome.kind}`,
      end: hungUp(outcome.kind === 'busy' ? 'busy' : 'normal'),
    };
  },
};
