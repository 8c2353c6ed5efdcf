import { follow, type NodeHandler } from '../node-handler.ts';

/**
 * docs/routing-schemes.md, queue: the caller waits (answered, hearing music) until an
 * agent answers; after `maxWaitSeconds`, or at once when `maxLength` callers already
 * wait, the call takes the `overflow` edge. Choosing and ringing agents is the queue's
 * job (`CallActions.waitInQueue`), since real queues share agents between calls.
 */
export const queueHandler: NodeHandler<'queue'> = {
  needs: () => 'answered',
  async run(node, ctx) {
    const outcome = await ctx.actions.waitInQueue({
      nodeId: node.id,
      strategy: node.strategy,
      agents: node.agents,
      agentTimeoutSeconds: node.agentTimeoutSeconds,
      maxWaitSeconds: node.maxWaitSeconds,
      maxLength: node.maxLength,
      musicOnHold: node.musicOnHold,
    });
    switch (outcome.kind) {
      case 'answered':
        return {
          outcome: 'answered',
          note: `agent ${outcome.by} answered after ${outcome.waitedSeconds} s`,
          end: { kind: 'answered', by: outcome.by },
        };
      case 'max_wait':
        return follow(
          node.overflow,
          'max_wait',
          `no agent answered in ${outcome.waitedSeconds} s (max wait ${node.maxWaitSeconds} s)`,
        );
      case 'full':
        return follow(
          node.overflow,
          'full',
          `${outcome.waiting} callers already waiting (max ${String(node.maxLength)})`,
        );
    }
  },
};
