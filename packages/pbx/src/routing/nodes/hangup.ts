import { hungUp, type NodeHandler } from '../node-handler.ts';

/**
 * docs/routing-schemes.md, hangup. The engine sends the hang-up itself (BYE, 486 or 603,
 * RFC 3261 §21), as it does for every end that is not an answer.
 */
export const hangupHandler: NodeHandler<'hangup'> = {
  needs: () => 'nothing',
  async run(node) {
    return { outcome: node.cause, note: `hang up (${node.cause})`, end: hungUp(node.cause) };
  },
};
